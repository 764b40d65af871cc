import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields.js';
import type { Keyset } from '../common/keyset.js';
import { join, type Fragment } from '../common/sql.js';
import { SHAPES, type Relation, type Scope } from './shapes.js';

/** PostgreSQL functions take at most 100 arguments: json_build_object at most 50 keys. */
const MAX_KEYS = 50;

type FieldMap = Map<string, readonly FieldNode[]>;

/** How each kind of scalar is cast so that its JSON is what the scalar's serialize makes of the resolvers' row. */
const CASTS: Readonly<Record<string, string>> = {
  ID: 'text',
  String: 'text',
  // numeric's text, as postgres.js hands it to the resolvers.
  Decimal: 'text',
  Float: 'float8',
  Int: 'int4',
  Boolean: 'boolean',
  // json renders a date as YYYY-MM-DD, as postgres.js reads it here (src/infra/db.ts).
  Date: 'date',
};

type Entry =
  | { key: string; kind: 'literal'; value: string }
  | { key: string; kind: 'column'; expression: string }
  | { key: string; kind: 'relation'; relation: Relation; field: GraphQLField<unknown, unknown>; node: FieldNode; child: Child };

interface ObjectPlan {
  kind: 'object';
  entries: Entry[];
}

type EdgePart =
  { key: string; part: 'cursor' } | { key: string; part: 'node'; node: ObjectPlan } | { key: string; part: 'literal'; value: string };
type InfoPart = { key: string; part: 'hasNextPage' | 'startCursor' | 'endCursor' } | { key: string; part: 'literal'; value: string };
type ConnectionPart =
  | { key: string; part: 'edges'; edge: EdgePart[] }
  | { key: string; part: 'pageInfo'; info: InfoPart[] }
  | { key: string; part: 'totalCount' }
  | { key: string; part: 'literal'; value: string };

interface ConnectionPlan {
  kind: 'connection';
  parts: ConnectionPart[];
}

type Child = ObjectPlan | ConnectionPlan;

/** A piece of the statement, and what turns its part of the answer into the resolvers' answer (the cursors). */
interface Built {
  sql: Fragment;
  fix?: (value: never) => void;
}

type Json = Record<string, unknown>;

/** A literal of a name GraphQL allows ([_A-Za-z][_0-9A-Za-z]*), so it needs no quoting beyond the quotes. */
const literal = (scope: Scope, name: string) => scope.sql.unsafe(`'${name}'`);

/**
 * An operation answered by one SQL statement that builds its `data` as json in PostgreSQL. Made once per
 * operation (and values of the variables its @skip/@include read); `run` builds the statement for the
 * request's arguments and viewer.
 */
export class SqlOperation {
  constructor(private readonly root: ObjectPlan) {}

  /**
   * The statement and the fix of its answer; throws the resolvers' BadUserInputError for an argument
   * they would refuse.
   */
  statement(scope: Scope, variables: Record<string, unknown>): { sql: Fragment; fix: (data: Json) => Json } {
    const built = objectJson(this.root, scope, variables);
    const fix = built.fix as ((value: Json) => void) | undefined;
    return {
      sql: scope.sql`select ${built.sql} as data`,
      fix: (data) => {
        fix?.(data);
        return data;
      },
    };
  }
}

function objectJson(plan: ObjectPlan, scope: Scope, variables: Record<string, unknown>): Built {
  const { sql } = scope;
  const pairs: Fragment[] = [];
  const fixes: Array<[string, (value: never) => void]> = [];
  for (const entry of plan.entries) {
    const key = literal(scope, entry.key);
    if (entry.kind === 'literal') pairs.push(sql`${key}, ${literal(scope, entry.value)}::text`);
    else if (entry.kind === 'column') pairs.push(sql`${key}, ${sql.unsafe(entry.expression)}`);
    else {
      const child = relationJson(entry, scope, variables);
      pairs.push(sql`${key}, ${child.sql}`);
      if (child.fix) fixes.push([entry.key, child.fix]);
    }
  }
  const built: Built = { sql: pairs.length ? sql`json_build_object(${join(sql, pairs, ', ')})` : sql`json_build_object()` };
  if (fixes.length) {
    built.fix = ((value: Json) => {
      for (const [key, fix] of fixes) if (value[key] != null) fix(value[key] as never);
    }) as (value: never) => void;
  }
  return built;
}

function relationJson(entry: Extract<Entry, { kind: 'relation' }>, scope: Scope, variables: Record<string, unknown>): Built {
  const { sql } = scope;
  const args = getArgumentValues(entry.field, entry.node, variables);
  const { relation, child } = entry;
  if (relation.kind === 'connection') {
    const { from, where, keyset, page } = relation.rows(scope, args);
    return connectionJson(child as ConnectionPlan, scope, variables, { from, where, keyset, ...page });
  }
  const node = objectJson(child as ObjectPlan, scope, variables);
  if (relation.kind === 'one') {
    const { from, where } = relation.rows(scope, args);
    return { sql: sql`(select ${node.sql} from ${from} where ${where})`, ...(node.fix ? { fix: node.fix } : {}) };
  }
  const { from, where, orderBy } = relation.rows(scope, args);
  const built: Built = { sql: sql`coalesce((select json_agg(${node.sql} order by ${orderBy}) from ${from} where ${where}), '[]'::json)` };
  if (node.fix) {
    const fix = node.fix as (value: Json) => void;
    built.fix = ((list: Json[]) => list.forEach(fix)) as (value: never) => void;
  }
  return built;
}

interface PageRows {
  from: Fragment;
  where: Fragment;
  keyset: Keyset;
  first: number;
  after: Parameters<Keyset['after']>[0];
}

/**
 * A connection as Keyset.connection makes it: the page is read with `limit first + 1` in the keyset's
 * order, numbered, and aggregated; cursors leave PostgreSQL as their key values and become cursors in
 * `fix`, by the keyset's own encoding.
 */
function connectionJson(plan: ConnectionPlan, scope: Scope, variables: Record<string, unknown>, rows: PageRows): Built {
  const { sql } = scope;
  const { from, where, keyset, first, after } = rows;
  const pairs: Fragment[] = [];
  const nodeColumns: Fragment[] = [];
  const cursorFixes: Array<(connection: Json) => void> = [];
  let readsPage = false;
  for (const part of plan.parts) {
    const key = literal(scope, part.key);
    if (part.part === 'literal') pairs.push(sql`${key}, ${literal(scope, part.value)}::text`);
    else if (part.part === 'totalCount') pairs.push(sql`${key}, (select count(*)::int from ${from} where ${where})`);
    else if (part.part === 'edges') {
      readsPage = true;
      const edgePairs: Fragment[] = [];
      const edgeFixes: Array<(edge: Json) => void> = [];
      for (const edgePart of part.edge) {
        const edgeKey = literal(scope, edgePart.key);
        if (edgePart.part === 'literal') edgePairs.push(sql`${edgeKey}, ${literal(scope, edgePart.value)}::text`);
        else if (edgePart.part === 'cursor') {
          edgePairs.push(sql`${edgeKey}, ${keyset.cursorValues()}`);
          edgeFixes.push((edge) => {
            edge[edgePart.key] = keyset.cursor(edge[edgePart.key] as unknown[]);
          });
        } else {
          const node = objectJson(edgePart.node, scope, variables);
          const column = sql(`_node${nodeColumns.length}`);
          nodeColumns.push(sql`${node.sql} as ${column}`);
          edgePairs.push(sql`${edgeKey}, s.${column}`);
          const fix = node.fix as ((value: Json) => void) | undefined;
          if (fix) edgeFixes.push((edge) => fix(edge[edgePart.key] as Json));
        }
      }
      const edge = edgePairs.length ? sql`json_build_object(${join(sql, edgePairs, ', ')})` : sql`json_build_object()`;
      pairs.push(sql`${key}, coalesce(json_agg(${edge} order by s._n) filter (where s._n <= ${first}::int), '[]'::json)`);
      if (edgeFixes.length) {
        cursorFixes.push((connection) => {
          for (const value of connection[part.key] as Json[]) for (const fix of edgeFixes) fix(value);
        });
      }
    } else {
      readsPage = true;
      const infoPairs: Fragment[] = [];
      const cursorKeys: string[] = [];
      for (const infoPart of part.info) {
        const infoKey = literal(scope, infoPart.key);
        if (infoPart.part === 'literal') infoPairs.push(sql`${infoKey}, ${literal(scope, infoPart.value)}::text`);
        else if (infoPart.part === 'hasNextPage') infoPairs.push(sql`${infoKey}, count(*) > ${first}::int`);
        else {
          cursorKeys.push(infoPart.key);
          infoPairs.push(
            infoPart.part === 'startCursor'
              ? sql`${infoKey}, (array_agg(${keyset.cursorValues()}) filter (where s._n = 1 and ${first}::int > 0))[1]`
              : sql`${infoKey}, (array_agg(${keyset.cursorValues()} order by s._n desc) filter (where s._n <= ${first}::int))[1]`,
          );
        }
      }
      pairs.push(sql`${key}, ${infoPairs.length ? sql`json_build_object(${join(sql, infoPairs, ', ')})` : sql`json_build_object()`}`);
      if (cursorKeys.length) {
        cursorFixes.push((connection) => {
          const info = connection[part.key] as Json;
          for (const cursorKey of cursorKeys) if (info[cursorKey] !== null) info[cursorKey] = keyset.cursor(info[cursorKey] as unknown[]);
        });
      }
    }
  }
  const object = pairs.length ? sql`json_build_object(${join(sql, pairs, ', ')})` : sql`json_build_object()`;
  const built: Built = { sql: sql`(${object})` };
  // One row, whatever the page holds: the parts are aggregates of the page (group by () when none is).
  if (readsPage) {
    const columns = join(sql, [...nodeColumns, keyset.columns()], ', ');
    built.sql = sql`(
      select ${object}
      from (
        select s.*, row_number() over (order by ${keyset.orderByColumns()}) as _n
        from (
          select ${columns} from ${from}
          where ${where} and ${keyset.after(after)}
          order by ${keyset.orderBy()}
          limit ${first + 1}
        ) s
      ) s
      group by ()
    )`;
  }
  if (cursorFixes.length) {
    built.fix = ((connection: Json) => {
      for (const fix of cursorFixes) fix(connection);
    }) as (value: never) => void;
  }
  return built;
}

/** Compiles operations against the shapes of shapes.ts; undefined for anything outside them. */
export class SqlCompiler {
  constructor(
    private readonly schema: GraphQLSchema,
    /** "Type.field" of the fields whose resolution runs a rule or a middleware. */
    private readonly guarded: ReadonlySet<string>,
  ) {}

  compile(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): SqlOperation | undefined {
    const queryType = this.schema.getQueryType();
    if (operation.operation !== 'query' || !queryType) return undefined;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions)
      if (definition.kind === 'FragmentDefinition') fragments[definition.name.value] = definition;
    const context = { fragments, variables };
    const root = this.object(context, queryType, collectFields(this.schema, fragments, variables, queryType, operation.selectionSet));
    return root && new SqlOperation(root);
  }

  private object(context: CompileContext, type: GraphQLObjectType, fields: FieldMap): ObjectPlan | undefined {
    const shape = SHAPES[type.name];
    if (!shape || fields.size > MAX_KEYS) return undefined;
    const entries: Entry[] = [];
    for (const [key, nodes] of fields) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        entries.push({ key, kind: 'literal', value: type.name });
        continue;
      }
      const field = type.getFields()[name];
      if (!field) return undefined;
      const expression = shape.fields[name];
      // A field with a resolver of its own runs a rule or a middleware (plain-fields.ts): not compiled.
      if (expression !== undefined && field.resolve === undefined && field.args.length === 0) {
        const cast = castOf(field.type);
        if (!cast) return undefined;
        entries.push({ key, kind: 'column', expression: `(${expression})::${cast}` });
        continue;
      }
      const relation = shape.relations[name];
      if (!relation || this.guarded.has(`${type.name}.${name}`)) return undefined;
      const child = this.relation(context, relation, field.type, nodes);
      if (!child) return undefined;
      entries.push({ key, kind: 'relation', relation, field, node: nodes[0]!, child });
    }
    return { kind: 'object', entries };
  }

  private relation(context: CompileContext, relation: Relation, type: GraphQLOutputType, nodes: readonly FieldNode[]): Child | undefined {
    const named = getNamedType(type);
    if (!isObjectType(named)) return undefined;
    if (relation.kind !== 'connection') {
      if (named.name !== relation.type || isListType(getNullableType(type)) !== (relation.kind === 'list')) return undefined;
      return this.object(context, named, this.subfields(context, named, nodes));
    }
    if (named.name !== `${relation.type}Connection`) return undefined;
    const parts: ConnectionPart[] = [];
    const connectionFields = this.subfields(context, named, nodes);
    if (connectionFields.size > MAX_KEYS) return undefined;
    for (const [key, fieldNodes] of connectionFields) {
      const name = fieldNodes[0]!.name.value;
      if (name === '__typename') parts.push({ key, part: 'literal', value: named.name });
      else if (name === 'totalCount') parts.push({ key, part: 'totalCount' });
      else if (name === 'edges') {
        const edge = this.edge(context, relation.type, named.getFields().edges!.type, fieldNodes);
        if (!edge) return undefined;
        parts.push({ key, part: 'edges', edge });
      } else if (name === 'pageInfo') {
        const infoType = getNamedType(named.getFields().pageInfo!.type) as GraphQLObjectType;
        const infoFields = this.subfields(context, infoType, fieldNodes);
        if (infoFields.size > MAX_KEYS) return undefined;
        const info: InfoPart[] = [];
        for (const [infoKey, infoNodes] of infoFields) {
          const infoName = infoNodes[0]!.name.value;
          if (infoName === '__typename') info.push({ key: infoKey, part: 'literal', value: infoType.name });
          else if (infoName === 'hasNextPage' || infoName === 'startCursor' || infoName === 'endCursor')
            info.push({ key: infoKey, part: infoName });
          else return undefined;
        }
        parts.push({ key, part: 'pageInfo', info });
      } else return undefined;
    }
    return { kind: 'connection', parts };
  }

  private edge(
    context: CompileContext,
    nodeTypeName: string,
    type: GraphQLOutputType,
    nodes: readonly FieldNode[],
  ): EdgePart[] | undefined {
    const edgeType = getNamedType(type) as GraphQLObjectType;
    const edgeFields = this.subfields(context, edgeType, nodes);
    if (edgeFields.size > MAX_KEYS) return undefined;
    const parts: EdgePart[] = [];
    for (const [key, fieldNodes] of edgeFields) {
      const name = fieldNodes[0]!.name.value;
      if (name === '__typename') parts.push({ key, part: 'literal', value: edgeType.name });
      else if (name === 'cursor') parts.push({ key, part: 'cursor' });
      else if (name === 'node') {
        const nodeType = getNamedType(edgeType.getFields().node!.type);
        if (!isObjectType(nodeType) || nodeType.name !== nodeTypeName) return undefined;
        const node = this.object(context, nodeType, this.subfields(context, nodeType, fieldNodes));
        if (!node) return undefined;
        parts.push({ key, part: 'node', node });
      } else return undefined;
    }
    return parts;
  }

  private subfields(context: CompileContext, type: GraphQLObjectType, nodes: readonly FieldNode[]): FieldMap {
    return collectSubfields(this.schema, context.fragments, context.variables, type, nodes);
  }
}

interface CompileContext {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function castOf(type: GraphQLOutputType): string | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return undefined;
  // An enum whose values are their names serializes the stored text as it is.
  if (isEnumType(nullable)) return nullable.getValues().every((value) => value.value === value.name) ? 'text' : undefined;
  return CASTS[nullable.name];
}
