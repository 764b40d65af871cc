import 'reflect-metadata';
import { execute, getOperationAST, getVariableValues, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { loadConfig } from '../../src/config.js';
import { sqlExecutor } from '../../src/graph/compiled/sql-executor.js';
import { createContext } from '../../src/graph/context.js';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { createLogger } from '../../src/infra/logger.js';
import { countingSql, type CountingSql } from '../support/counting-sql.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { seedBook } from './book.js';

const db = useTestDatabase();
const log = createLogger(loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'off', LOG_LEVEL: 'error' }));
let schema: GraphQLSchema;
let counted: CountingSql;
let answer: ReturnType<typeof sqlExecutor>;
let server: TestServer;
let sectors: string[];
let portfolioIds: string[];

const ADMIN: Viewer = { role: 'ADMIN', subject: 'admin', portfolios: undefined };
const ANALYST: Viewer = { role: 'ANALYST', subject: 'analyst', portfolios: undefined };
const VIEWERS: Viewer[] = [ADMIN, ANALYST];

beforeAll(async () => {
  await seedBook(db.sql, { assets: 40, days: 45, portfolios: 4, seed: 23 });
  // After the build: an asset whose asset_360 fields are all null, and a name that JSON must escape.
  await db.sql`
    insert into asset_master (asset_name, asset_type, currency, sector, isin)
    values (${'Zeta "quoted" \\ back/slash\ttab ünï 😀'}, 'EQUITY', 'EUR', null, 'XX0000000001')`;
  sectors = (await db.sql<{ sector: string }[]>`select distinct sector from asset_master where sector is not null order by 1`).map(
    (row) => row.sector,
  );
  portfolioIds = (await db.sql<{ id: string }[]>`select portfolio_id::text as id from portfolios order by 1`).map((row) => row.id);
  VIEWERS.push({ role: 'VIEWER', subject: 'viewer', portfolios: portfolioIds.slice(0, 2) });
  VIEWERS.push({ role: 'VIEWER', subject: 'viewer', portfolios: [portfolioIds.at(-1)!] });
  schema = await buildGraphSchema();
  counted = await countingSql(db.url);
  answer = sqlExecutor(schema);
  server = await startTestServer(db.sql, { RESPONSE_CACHE: 'off', MAX_QUERY_COMPLEXITY: '1000000' });
});

afterAll(async () => {
  await server?.close();
  await counted?.sql.end();
});

interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

/** graphql-js's execution of the operation through the resolvers, as JSON. */
async function byResolvers({ query, variables }: Operation, viewer: Viewer) {
  const result = await execute({
    schema,
    document: parse(query),
    variableValues: variables,
    contextValue: createContext({ requestId: 'test', viewer, sql: db.sql, log }),
  });
  return result;
}

/** The SQL-compiled answer (undefined when the operation is left to the resolvers), and the statements it sent. */
async function bySql({ query, variables }: Operation, viewer: Viewer) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw new Error(coerced.errors.map((error) => error.message).join('; '));
  return counted.count(() => answer(query, document, operation, coerced.coerced, { sql: counted.sql, viewer }));
}

/** The cursors of an answer, by the ordering their first value names. */
const cursors = new Map<string, string[]>();
function collectCursors(value: unknown): void {
  if (Array.isArray(value)) value.forEach(collectCursors);
  else if (value && typeof value === 'object') Object.values(value).forEach(collectCursors);
  else if (typeof value === 'string' && /^[\w-]{8,}$/.test(value)) {
    try {
      const decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(decoded) && typeof decoded[0] === 'string') {
        const list = cursors.get(decoded[0]) ?? [];
        list.push(value);
        cursors.set(decoded[0], list);
      }
    } catch {
      // not a cursor
    }
  }
}

/** A directive goes after the field's arguments and before its selections. */
function withDirective(selection: string, directive: string): string {
  let cut = selection.indexOf(' {');
  const open = selection.indexOf('(');
  if (open >= 0 && (cut < 0 || open < cut)) {
    let depth = 0;
    for (let index = open; index < selection.length; index++) {
      if (selection[index] === '(') depth++;
      else if (selection[index] === ')' && --depth === 0) {
        cut = index + 1;
        break;
      }
    }
  }
  return cut < 0 ? `${selection}${directive}` : `${selection.slice(0, cut)}${directive}${selection.slice(cut)}`;
}

/** Random operations over the compiled shapes, in the forms a client writes them. */
function generator(seed: number) {
  const random = seededRandom(seed, 'compiled-sql');
  const chance = (p: number) => random() < p;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const subset = <T>(items: readonly T[], min = 1): T[] => {
    const chosen = items.filter(() => chance(0.35));
    while (chosen.length < min) chosen.push(pick(items));
    return chosen;
  };
  const plain = (typeName: string) =>
    Object.values((schema.getType(typeName) as GraphQLObjectType).getFields())
      .filter((field) => field.resolve === undefined && field.name !== 'createdAt')
      .map((field) => field.name);

  let fragments: string[] = [];
  let variables: Record<string, unknown> = {};
  let definitions: string[] = [];
  let aliases = 0;
  const variable = (type: string, value: unknown) => {
    const name = `v${definitions.length}`;
    definitions.push(`$${name}: ${type}`);
    variables[name] = value;
    return `$${name}`;
  };
  const alias = (name: string) => (chance(0.2) ? `a${aliases++}: ${name}` : name);
  const directive = () => {
    if (!chance(0.12)) return '';
    const include = chance(0.5);
    const value = chance(0.5);
    const argument = chance(0.5) ? String(value) : variable('Boolean!', value);
    return include ? ` @include(if: ${argument})` : ` @skip(if: ${argument})`;
  };
  /** Selections, sometimes split into inline and named fragments on the type. */
  const wrap = (typeName: string, selections: string[]): string => {
    const parts = selections.map((selection) => withDirective(selection, directive()));
    if (parts.length > 1 && chance(0.3)) {
      const cut = int(1, parts.length - 1);
      const moved = parts.splice(cut);
      if (chance(0.5)) parts.push(`... on ${typeName} { ${moved.join(' ')} }`);
      else {
        const name = `F${fragments.length}`;
        fragments.push(`fragment ${name} on ${typeName} { ${moved.join(' ')} }`);
        parts.push(`...${name}`);
      }
    }
    if (chance(0.15)) parts.push('__typename');
    return parts.join(' ');
  };
  const first = () => {
    const value = int(0, 7);
    return chance(0.3) ? variable('Int', value) : String(value);
  };
  const after = (signature: string) => {
    const pool = cursors.get(signature);
    if (!pool?.length || !chance(0.5)) return '';
    const cursor = pick(pool);
    return `, after: ${chance(0.5) ? variable('String', cursor) : JSON.stringify(cursor)}`;
  };
  // Ranges from April or May to June: never empty, so the resolvers accept them (refusals have their own test).
  const date = () => `2025-0${int(4, 5)}-${String(int(1, 28)).padStart(2, '0')}`;

  const connection = (typeName: string, node: () => string): string => {
    const parts: string[] = [];
    const options = [
      () => {
        const edge = subset(['cursor', 'node', '__typename']).map((part) =>
          part === 'node' ? `${alias('node')} { ${node()} }` : alias(part),
        );
        return `${alias('edges')} { ${edge.join(' ')} }`;
      },
      () => `${alias('pageInfo')} { ${subset(['hasNextPage', 'startCursor', 'endCursor', '__typename']).map(alias).join(' ')} }`,
      () => alias('totalCount'),
    ];
    for (const option of subset(options)) parts.push(option());
    return wrap(`${typeName}Connection`, parts);
  };

  const tradeFilter = () => {
    if (!chance(0.4)) return '';
    const filter: string[] = [];
    if (chance(0.4)) filter.push(`type: ${pick(['BUY', 'SELL'])}`);
    if (chance(0.3)) filter.push(`portfolioId: "${pick(portfolioIds)}"`);
    if (chance(0.3)) filter.push(`dateFrom: "${date()}"`);
    if (chance(0.3)) filter.push(`dateTo: "2025-06-${String(int(10, 30)).padStart(2, '0')}"`);
    if (chance(0.2)) filter.push(`counterpartyId: "${int(1, 4)}"`);
    return `, filter: { ${filter.join(', ')} }`;
  };

  const portfolio = () => wrap('Portfolio', subset(plain('Portfolio')).map(alias));
  const counterparty = () => wrap('Counterparty', subset(plain('Counterparty')).map(alias));
  const price = () => wrap('PricePoint', subset(plain('PricePoint')).map(alias));

  const trade = (depth: number): string => {
    const selections = subset(plain('Trade')).map(alias);
    if (chance(0.4)) selections.push(`${alias('asset')} { ${asset(depth + 1)} }`);
    if (chance(0.4)) selections.push(`${alias('portfolio')} { ${portfolio()} }`);
    if (chance(0.4)) selections.push(`${alias('counterparty')} { ${counterparty()} }`);
    return wrap('Trade', selections);
  };

  const asset = (depth: number): string => {
    const selections = subset(plain('Asset')).map(alias);
    if (depth < 2 && chance(0.45)) {
      selections.push(
        `${alias('trades')}(first: ${first()}${after('DATE DESC,ID DESC')}${tradeFilter()}) { ${connection('Trade', () => trade(depth + 1))} }`,
      );
    }
    if (depth < 2 && chance(0.3)) {
      const range = [
        chance(0.5) ? `from: "${date()}"` : '',
        chance(0.5) ? `to: "2025-06-${String(int(10, 30)).padStart(2, '0')}"` : '',
      ].filter(Boolean);
      selections.push(`${alias('prices')}${range.length ? `(${range.join(', ')})` : ''} { ${price()} }`);
    }
    return wrap('Asset', selections);
  };

  const assets = () => {
    const orders = subset(['NAME', 'MARKET_VALUE', 'TOTAL_RETURN', 'VALUE_AT_RISK', 'SHARPE_RATIO', 'ACTIVE_VIOLATIONS'], 0)
      .filter((field, index, all) => all.indexOf(field) === index)
      .map((field) => ({ field, direction: pick(['ASC', 'DESC']) }));
    const signature = [...(orders.length ? orders : [{ field: 'NAME', direction: 'ASC' }]), { field: 'ID', direction: 'ASC' }]
      .map((order) => `${order.field} ${order.direction}`)
      .join(',');
    const orderBy = orders.length
      ? `, orderBy: [${orders.map((order) => `{ field: ${order.field}, direction: ${order.direction} }`).join(', ')}]`
      : '';
    const filter: string[] = [];
    if (chance(0.2)) filter.push(`sector: ${JSON.stringify(subset(sectors))}`);
    if (chance(0.15)) filter.push(`hasActiveViolations: ${chance(0.5)}`);
    if (chance(0.15)) filter.push(`search: ${JSON.stringify(pick(['a', 'e', 'quoted', '%', 'Z']))}`);
    if (chance(0.1)) filter.push(`riskCategory: [${subset(['LOW', 'MEDIUM', 'HIGH', 'UNKNOWN']).join(', ')}]`);
    const filterArgument = filter.length ? `, filter: { ${filter.join(', ')} }` : '';
    return `${alias('assets')}(first: ${first()}${after(signature)}${orderBy}${filterArgument}) { ${connection('Asset', () => asset(1))} }`;
  };

  return (): Operation => {
    fragments = [];
    variables = {};
    definitions = [];
    aliases = 0;
    const roots = subset([
      assets,
      () => `${alias('asset')}(id: ${chance(0.5) ? `"${int(1, 45)}"` : variable('ID!', String(int(1, 45)))}) { ${asset(1)} }`,
      () => `${alias('trades')}(first: ${first()}${after('DATE DESC,ID DESC')}${tradeFilter()}) { ${connection('Trade', () => trade(1))} }`,
    ]).map((root) => root());
    const body = wrap('Query', roots);
    const header = definitions.length ? `query Generated(${definitions.join(', ')})` : 'query Generated';
    return { query: [`${header} { ${body} }`, ...fragments].join('\n'), variables };
  };
}

describe('SQL-compiled operations', () => {
  it('answer random operations exactly as the resolvers do, in one statement each', async () => {
    const seed = Number(process.env.COMPILED_SQL_SEED ?? Date.now() % 1_000_000);
    const next = generator(seed);
    let compiled = 0;
    for (let round = 0; round < 120; round++) {
      const operation = next();
      const viewer = VIEWERS[round % VIEWERS.length]!;
      const where = `seed ${seed} (COMPILED_SQL_SEED=${seed}), round ${round}, ${viewer.role} ${viewer.portfolios ?? ''}\n${operation.query}\n${JSON.stringify(operation.variables)}`;
      const expected = await byResolvers(operation, viewer);
      expect(expected.errors, where).toBeUndefined();
      const { result, statements, sent } = await bySql(operation, viewer);
      expect(result, where).toBeDefined();
      expect(statements, `${where}\n${sent.join('\n')}`).toBe(1);
      // Byte for byte as the response will be written: values, nulls, order of keys and of lists.
      expect(JSON.stringify(result!.data), where).toBe(JSON.stringify(expected.data));
      collectCursors(result!.data);
      compiled++;
    }
    expect(compiled).toBe(120);
    expect(cursors.size).toBeGreaterThan(1);
  });

  it('leave operations outside the compiled shapes to the resolvers', async () => {
    const outside = [
      // @Authorized: a VIEWER gets null and FORBIDDEN from the resolvers' rule.
      '{ assets(first: 2) { edges { node { id marketValue } } } }',
      // A relation that is not compiled, and a root field that is not.
      '{ asset(id: "1") { id violations { ruleId } } }',
      '{ portfolios(first: 2) { edges { node { id } } } }',
      // A scalar that is not compiled (DateTime), deep inside an otherwise compiled operation.
      '{ trades(first: 2) { edges { node { id portfolio { createdAt } } } } }',
      // Mixed: one field outside makes the whole operation run on the resolvers.
      '{ asset(id: "1") { id } counterparties(first: 1) { totalCount } }',
      'mutation { __typename }',
    ];
    for (const query of outside) {
      const { result, statements } = await bySql({ query, variables: {} }, ADMIN);
      expect(result, query).toBeUndefined();
      expect(statements, query).toBe(0);
    }
  });

  it('leave arguments the resolvers refuse to them, with the same codes and argument paths', async () => {
    const [{ cursor } = { cursor: '' }] = (
      await graphql<{ trades: { edges: Array<{ cursor: string }> } }>(server.url, '{ trades(first: 1) { edges { cursor } } }')
    ).data!.trades.edges;
    const refused: Array<[string, string]> = [
      ['{ assets(first: 501) { totalCount } }', 'first'],
      ['{ assets(first: -1) { totalCount } }', 'first'],
      ['{ assets(after: "not a cursor") { totalCount } }', 'after'],
      // A cursor of another ordering.
      [`{ assets(after: "${cursor}") { totalCount } }`, 'after'],
      ['{ assets(orderBy: [{ field: NAME }, { field: NAME, direction: DESC }]) { totalCount } }', 'orderBy'],
      ['{ asset(id: "0") { id } }', 'id'],
      ['{ asset(id: "abc") { id } }', 'id'],
      ['{ asset(id: "3") { prices(from: "2025-06-01", to: "2025-05-01") { date } } }', 'to'],
      ['{ trades(filter: { dateFrom: "2025-06-01", dateTo: "2025-05-01" }) { totalCount } }', 'filter.dateTo'],
      ['{ trades(filter: { portfolioId: "x" }) { totalCount } }', 'filter.portfolioId'],
      ['{ trades(first: 1, after: "AAAA") { totalCount } }', 'after'],
      ['{ assets(first: 3) { edges { node { id trades(first: 900) { totalCount } } } } }', 'first'],
      ['{ asset(id: "2") { id } assets(first: 600) { totalCount } }', 'first'],
    ];
    for (const [query, argument] of refused) {
      const { result, statements } = await bySql({ query, variables: {} }, ADMIN);
      expect(result, query).toBeUndefined();
      expect(statements, query).toBe(0);
      // The server's answer (on the resolvers, after the compiled path declined) against graphql-js's.
      const served = await graphql(server.url, query);
      const expected = await byResolvers({ query, variables: {} }, ADMIN);
      const shape = (errors: ReadonlyArray<{ path?: ReadonlyArray<string | number> | undefined; code: unknown; argument: unknown }>) =>
        errors.map(({ path, code, argument }) => ({ path, code, argument }));
      expect(shape((served.errors ?? []).map((error) => ({ path: error.path, ...error.extensions })) as never), query).toEqual(
        shape(
          (expected.errors ?? []).map((error) => ({
            path: error.path,
            code: (error.originalError as { code?: string } | undefined)?.code,
            argument: (error.originalError as { extensions?: { argument?: string } } | undefined)?.extensions?.argument,
          })),
        ),
      );
      expect(served.errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(served.data, query).toEqual(JSON.parse(JSON.stringify(expected.data ?? null)));
    }
  });

  it('serves the compiled answer through the server, cursors accepted by the resolvers', async () => {
    const query =
      '{ assets(first: 3, orderBy: [{ field: TOTAL_RETURN, direction: DESC }]) { edges { cursor node { id } } pageInfo { endCursor } } }';
    const page = await graphql<{ assets: { pageInfo: { endCursor: string } } }>(server.url, query);
    expect(page.errors).toBeUndefined();
    const expected = await byResolvers({ query, variables: {} }, ADMIN);
    expect(page.data).toEqual(JSON.parse(JSON.stringify(expected.data)));
    // The next page through graphql-js, from the cursor the compiled statement made.
    const nextQuery = `{ assets(first: 3, after: "${page.data!.assets.pageInfo.endCursor}", orderBy: [{ field: TOTAL_RETURN, direction: DESC }]) { edges { node { id } } } }`;
    const next = await byResolvers({ query: nextQuery, variables: {} }, ADMIN);
    expect(next.errors).toBeUndefined();
    expect((next.data as { assets: { edges: unknown[] } }).assets.edges).toHaveLength(3);
  });
});
