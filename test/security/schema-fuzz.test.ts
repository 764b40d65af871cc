/**
 * Every argument of every field, drawn from the schema itself: a new field or argument is fuzzed
 * without editing this file. Each leaf (a scalar or enum inside the arguments, however nested) gets
 * each value of its class at and past the edges of what PostgreSQL stores, the other arguments
 * valid; then random mixes. No answer may be INTERNAL_SERVER_ERROR, and a value that no server could
 * store must be BAD_USER_INPUT naming its argument.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { seedBook } from '../graph/book.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';
import { useRedisPrefix } from '../support/redis.js';
import { startRebuildServer, type RebuildServer } from '../jobs/support.js';
import { graphql, type GraphQLResponse } from '../support/server.js';

const db = useTestDatabase();
const queuePrefix = useRedisPrefix('schema-fuzz');
const SEED = Number(process.env.FUZZ_SEED ?? 10);
const RANDOM_REQUESTS = 300;
const CONCURRENCY = 8;

let server: RebuildServer;
let schema: GraphQLSchema;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 12, days: 25, portfolios: 2, seed: 3 });
  schema = await buildGraphSchema();
  // Mutations run as ADMIN (auth off) on this file's own queues, which no worker serves.
  server = await startRebuildServer(db.sql, { QUEUE_PREFIX: queuePrefix });
});

afterAll(() => server?.close());

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Edge {
  value: unknown;
  /** No server could store it: the answer must be BAD_USER_INPUT naming the argument. */
  refused: boolean;
}

const edge = (value: unknown, refused = false): Edge => ({ value, refused });

/** The values of each class of leaf, at and past the edges. */
const EDGES: Record<string, Edge[]> = {
  Date: [
    edge('0001-01-01'),
    edge('9999-12-31'),
    edge('1970-01-01'),
    edge('0000-01-01', true),
    edge('0000-12-31', true),
    edge('10000-01-01', true),
    edge('2025-02-29', true),
    edge('-0001-01-01', true),
  ],
  String: [
    edge(''),
    edge('%_\\'),
    edge('😀'),
    edge('\u0001\u001f\u007f'),
    edge('a\u0000b', true),
    edge('\u0000', true),
    edge('\uD800', true),
    edge('x'.repeat(100_000), true),
  ],
  ID: [
    edge('1'),
    edge('9223372036854775807'),
    edge('9223372036854775808', true),
    edge('1'.repeat(40), true),
    edge('-1', true),
    edge('1\u0000', true),
  ],
  Decimal: [
    edge('0'),
    edge('-0.5'),
    edge(`${'9'.repeat(30)}.${'9'.repeat(30)}`),
    edge('9'.repeat(31), true),
    edge(`1.${'1'.repeat(31)}`, true),
    edge('1e400', true),
    edge('NaN', true),
    edge('Infinity', true),
  ],
  Int: [edge(0), edge(-1), edge(2_147_483_647), edge(-2_147_483_648), edge(2_147_483_648, true)],
  Float: [edge(0), edge(1), edge(-1), edge(0.5), edge(1e308), edge(-1e308), edge(5e-324)],
  Boolean: [edge(true), edge(false)],
  DateTime: [edge('2025-01-01T00:00:00Z'), edge('0000-01-01T00:00:00Z')],
};

/** Ids that are not bigints of the database, so that a large number is a valid one. */
const NOT_DATABASE_IDS = new Set(['Query.rebuildJob(id)']);

/** Cursors of any shape and size, for String arguments named `after`. */
const CURSORS: Edge[] = [
  edge(cursorOf(['x', 1])),
  edge(cursorOf(['DATE DESC,ID DESC', '0000-01-01', '1'])),
  edge(cursorOf(['NAME ASC,ID ASC', 'a\u0000', '99999999999999999999'])),
  edge(cursorOf([1e308, -1e308, null])),
  edge('%%%'),
  edge('A'.repeat(3_000)),
];

/** A value the field accepts, for the arguments not under test. */
function validValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, name);
  if (isListType(type)) return [validValue(type.ofType as GraphQLInputType, name)];
  if (isEnumType(type)) return type.getValues()[0]!.value === undefined ? type.getValues()[0]!.name : type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields()))
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = validValue(field.type, field.name);
    return value;
  }
  switch (type.name) {
    case 'ID':
      return '1';
    case 'Date':
      return '2025-01-15';
    case 'Decimal':
      return '1';
    case 'Int':
      return 1;
    case 'Float':
      return name === 'confidence' ? 0.95 : 0.01;
    case 'Boolean':
      return true;
    case 'String':
      return name === 'pattern' ? '*/15 * * * *' : name === 'csv' ? 'account_ref,trade_time,symbol,side,qty,price\n' : 'x';
    default:
      return null;
  }
}

/** A leaf of an argument: its path from the argument (filter.dateFrom) and its type. */
interface Leaf {
  path: string[];
  type: GraphQLNamedType;
  list: boolean;
  /** Lists of input objects on the way, by the index in path of the list's key: each gets one valid element. */
  objectLists: Map<number, GraphQLInputType>;
}

function leaves(
  type: GraphQLInputType,
  path: string[],
  list = false,
  depth = 0,
  objectLists = new Map<number, GraphQLInputType>(),
): Leaf[] {
  if (isNonNullType(type)) return leaves(type.ofType, path, list, depth, objectLists);
  if (isListType(type)) {
    const element = type.ofType as GraphQLInputType;
    if (isInputObjectType(getNamedType(element)))
      return leaves(element, path, false, depth, new Map(objectLists).set(path.length - 1, element));
    return leaves(element, path, true, depth, objectLists);
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return [];
    return Object.values(type.getFields()).flatMap((field) => leaves(field.type, [...path, field.name], list, depth + 1, objectLists));
  }
  return [{ path, type, list, objectLists }];
}

function edgesOf(leaf: Leaf): Edge[] {
  const named = leaf.type;
  if (isEnumType(named)) return [edge(named.getValues()[0]!.name), edge(named.getValues().at(-1)!.name), edge('NOT_A_VALUE', true)];
  if (leaf.path.at(-1) === 'after' && named.name === 'String') return CURSORS;
  if (leaf.path.at(-1) === 'csv') return [];
  return EDGES[named.name] ?? [];
}

/** The argument values with one leaf replaced. */
function withLeaf(args: Record<string, unknown>, leaf: Leaf, value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  let target: Record<string, unknown> = copy;
  leaf.path.slice(0, -1).forEach((key, index) => {
    const element = leaf.objectLists.get(index);
    if (element) {
      const list = [validValue(element, key) as Record<string, unknown>];
      target[key] = list;
      target = list[0]!;
      return;
    }
    const next = target[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      target[key] = {};
    }
    target = target[key] as Record<string, unknown>;
  });
  target[leaf.path.at(-1)!] = leaf.list ? [value] : value;
  return copy;
}

/** A selection of the field's result that asks for one scalar, or nothing for a scalar result. */
function minimalSelection(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isScalarType(named) || isEnumType(named)) return '';
  return '{ __typename }';
}

function typeString(type: GraphQLInputType): string {
  return type.toString();
}

/** How to reach an object type from Query, with the arguments that path needs. */
function pathsTo(schema: GraphQLSchema): Map<string, (inner: string) => string> {
  const paths = new Map<string, (inner: string) => string>();
  const query = schema.getQueryType()!;
  paths.set(query.name, (inner) => inner);
  const queue: GraphQLObjectType[] = [query];
  while (queue.length) {
    const type = queue.shift()!;
    const outer = paths.get(type.name)!;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || paths.has(named.name)) continue;
      const args = field.args
        .filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)
        .map((arg) => `${arg.name}: ${JSON.stringify(validValue(arg.type, arg.name))}`);
      if (args.some((arg) => arg.includes('{'))) continue;
      const call = args.length ? `${field.name}(${args.join(', ')})` : field.name;
      paths.set(named.name, (inner) => outer(`${call} { __typename ${inner} }`));
      queue.push(named);
    }
  }
  return paths;
}

interface Case {
  coordinate: string;
  query: string;
  variables: Record<string, unknown>;
  /** The argument path whose value no server could store; undefined for valid or random mixes. */
  refused?: string;
}

function operationFor(
  schema: GraphQLSchema,
  paths: Map<string, (inner: string) => string>,
  owner: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  values: Record<string, unknown>,
): string | undefined {
  const declared = field.args.map((arg: GraphQLArgument) => `$${arg.name}: ${typeString(arg.type)}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const call = `${field.name}${passed ? `(${passed})` : ''} ${minimalSelection(field)}`;
  void values;
  if (owner === schema.getMutationType()) return `mutation Fuzz${declared ? `(${declared})` : ''} { ${call} }`;
  const reach = paths.get(owner.name);
  if (!reach) return undefined;
  return `query Fuzz${declared ? `(${declared})` : ''} { ${reach(call)} }`;
}

function cases(schema: GraphQLSchema, random: () => number): Case[] {
  const paths = pathsTo(schema);
  const result: Case[] = [];
  const owners = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__') && type !== schema.getSubscriptionType(),
  );
  for (const owner of owners) {
    for (const field of Object.values(owner.getFields())) {
      if (field.args.length === 0) continue;
      const valid: Record<string, unknown> = {};
      for (const arg of field.args)
        if (isNonNullType(arg.type) && arg.defaultValue === undefined) valid[arg.name] = validValue(arg.type, arg.name);
      const query = operationFor(schema, paths, owner, field, valid);
      if (!query) throw new Error(`no path from Query to ${owner.name}.${field.name}: extend pathsTo`);
      const coordinate = `${owner.name}.${field.name}`;
      const allLeaves = field.args.flatMap((arg) => leaves(arg.type, [arg.name]));
      for (const leaf of allLeaves) {
        const queueId = NOT_DATABASE_IDS.has(`${coordinate}(${leaf.path.join('.')})`);
        for (const { value, refused } of edgesOf(leaf)) {
          const refusedHere = refused && !(queueId && typeof value === 'string' && /^[\w-]+$/.test(value));
          result.push({
            coordinate,
            query,
            variables: withLeaf(valid, leaf, value),
            refused: refusedHere ? leaf.path.map((key, index) => (leaf.objectLists.has(index) ? `${key}[0]` : key)).join('.') : undefined,
          });
        }
      }
      // Random mixes: several leaves at once, refused values included.
      for (let mix = 0; mix < 3; mix++) {
        let variables = valid;
        for (const leaf of allLeaves) {
          const edges = edgesOf(leaf);
          if (edges.length && random() < 0.5) variables = withLeaf(variables, leaf, edges[Math.floor(random() * edges.length)]!.value);
        }
        result.push({ coordinate, query, variables });
      }
    }
  }
  return result;
}

async function runAll(all: Case[]): Promise<Array<{ item: Case; response: GraphQLResponse }>> {
  const results: Array<{ item: Case; response: GraphQLResponse }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < all.length) {
        const item = all[next++]!;
        results.push({ item, response: await graphql(server.url, item.query, item.variables) });
      }
    }),
  );
  return results;
}

describe('arguments of every field, from the schema', () => {
  it('never answer INTERNAL_SERVER_ERROR, and refuse what no server could store as BAD_USER_INPUT naming the argument', async () => {
    const random = seededRandom(SEED, 'schema-fuzz');
    const all = cases(schema, random);
    const extra = Array.from({ length: RANDOM_REQUESTS }, () => all[Math.floor(random() * all.length)]!);
    expect(all.length).toBeGreaterThan(300);
    const results = await runAll([...all, ...extra]);

    const internal = results.filter(({ response }) => response.errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR'));
    expect(
      internal.map(({ item }) => ({ coordinate: item.coordinate, variables: JSON.stringify(item.variables).slice(0, 200) })),
      'INTERNAL_SERVER_ERROR answers',
    ).toEqual([]);

    const wrong = results
      .filter(({ item }) => item.refused !== undefined)
      .filter(({ item, response }) => {
        const first = response.errors?.[0];
        const argument = item.refused!;
        // A list's element may be named with its index (orderBy[0].field) or without (orderBy.field).
        const named = [argument, argument.replaceAll('[0]', '')].some((name) => first?.message.includes(name));
        return !(first?.extensions?.code === 'BAD_USER_INPUT' && named);
      })
      .map(({ item, response }) => ({
        coordinate: item.coordinate,
        argument: item.refused,
        got: response.errors?.[0]
          ? `${String(response.errors[0].extensions?.code)}: ${response.errors[0].message.slice(0, 160)}`
          : 'no error',
      }));
    expect(wrong, 'refusals that are not BAD_USER_INPUT naming the argument').toEqual([]);
    console.info(`schema fuzz: ${results.length} requests over ${new Set(all.map((item) => item.coordinate)).size} fields`);
  }, 120_000);
});
