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
import type { Sql } from '../../infra/db.js';
import { MAX_PAGE_SIZE } from '../common/connection.js';
import type { Keyset, PageRequest } from '../common/keyset.js';
import type { Fragment } from '../common/sql.js';
import { SHAPES, type Relation, type Scope } from './shapes.js';
import { Template } from './template.js';

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

/** A literal of a name GraphQL allows ([_A-Za-z][_0-9A-Za-z]*), so it needs no quoting beyond the quotes. */
const quoted = (name: string) => `'${name}'`;

interface RelationSlot {
  key: string;
  relation: Relation;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  child: Child;
}

interface ObjectPlan {
  kind: 'object';
  template: Template<RelationSlot>;
}

type ConnectionSlot =
  | 'first'
  | 'limit'
  | 'from'
  | 'where'
  | 'after'
  | 'columns'
  | 'orderBy'
  | 'orderByColumns'
  | 'cursorValues'
  | { node: ObjectPlan; index: number };

interface ConnectionPlan {
  kind: 'connection';
  template: Template<ConnectionSlot>;
  /** Where the answer holds cursors (as key values) and nodes, by response key. */
  edges: Array<{ key: string; cursors: string[]; nodes: Array<{ key: string; index: number }> }>;
  pageInfos: Array<{ key: string; cursors: string[] }>;
}

type Child = ObjectPlan | ConnectionPlan;

type Json = Record<string, unknown>;
type Fix = (value: Json) => void;

/** A piece of the statement, and what turns its part of the answer into the resolvers' answer (the cursors). */
interface Built {
  sql: Fragment;
  fix?: Fix | undefined;
}

/**
 * An operation answered by one SQL statement that builds its `data` as json in PostgreSQL. Made once per
 * operation (and values of the variables its @skip/@include read); `statement` fills it in with the
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
    return {
      sql: scope.sql`select ${built.sql} as data`,
      fix: (data) => {
        built.fix?.(data);
        return data;
      },
    };
  }
}

function objectJson(plan: ObjectPlan, scope: Scope, variables: Record<string, unknown>): Built {
  const { slots } = plan.template;
  if (!slots.length) return { sql: plan.template.fragment(scope.sql, []) };
  const fixes: Array<[string, Fix]> = [];
  const values = slots.map((slot) => {
    const child = relationJson(slot, scope, variables);
    if (child.fix) fixes.push([slot.key, child.fix]);
    return child.sql;
  });
  const built: Built = { sql: plan.template.fragment(scope.sql, values) };
  if (fixes.length) {
    built.fix = (value) => {
      for (const [key, fix] of fixes) if (value[key] != null) fix(value[key] as Json);
    };
  }
  return built;
}

function relationJson(slot: RelationSlot, scope: Scope, variables: Record<string, unknown>): Built {
  const { sql } = scope;
  const args = getArgumentValues(slot.field, slot.node, variables);
  const { relation, child } = slot;
  if (relation.kind === 'connection') return connectionJson(child as ConnectionPlan, scope, variables, relation.rows(scope, args));
  const node = objectJson(child as ObjectPlan, scope, variables);
  if (relation.kind === 'one') {
    const { from, where } = relation.rows(scope, args);
    return { sql: sql`(select ${node.sql} from ${from} where ${where})`, fix: node.fix };
  }
  const { from, where, orderBy } = relation.rows(scope, args);
  const fix = node.fix;
  return {
    sql: sql`coalesce((select json_agg(${node.sql} order by ${orderBy}) from ${from} where ${where}), '[]'::json)`,
    fix: fix && ((list) => (list as unknown as Json[]).forEach(fix)),
  };
}

const counts = new WeakMap<Sql, Map<number, Fragment>>();
function inlined({ sql }: Scope, count: number): Fragment {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_PAGE_SIZE + 1) throw new Error(`not a page size: ${count}`);
  let made = counts.get(sql);
  if (!made) {
    made = new Map();
    counts.set(sql, made);
  }
  let fragment = made.get(count);
  if (!fragment) {
    fragment = sql.unsafe(String(count));
    made.set(count, fragment);
  }
  return fragment;
}

interface PageRows {
  from: Fragment;
  where: Fragment;
  keyset: Keyset;
  page: PageRequest;
}

/**
 * A connection as Keyset.connection makes it: the page is read with `limit first + 1` in the keyset's
 * order, numbered, and aggregated; cursors leave PostgreSQL as their key values and become cursors in
 * the fix, by the keyset's own encoding.
 */
function connectionJson(plan: ConnectionPlan, scope: Scope, variables: Record<string, unknown>, rows: PageRows): Built {
  const { from, where, keyset, page } = rows;
  let cursorValues: Fragment | undefined;
  // Page sizes are written into the text (validated integers): with them as parameters PostgreSQL
  // re-plans the statement on every execution (a custom plan each time, ~3 ms here), because a generic
  // plan cannot see how small the limits are.
  const first = inlined(scope, page.first);
  const limit = inlined(scope, page.first + 1);
  const nodeFixes: Array<Fix | undefined> = [];
  const values = plan.template.slots.map((slot) => {
    switch (slot) {
      case 'first':
        return first;
      case 'limit':
        return limit;
      case 'from':
        return from;
      case 'where':
        return where;
      case 'after':
        return keyset.after(page.after);
      case 'columns':
        return keyset.columns();
      case 'orderBy':
        return keyset.orderBy();
      case 'orderByColumns':
        return keyset.orderByColumns();
      case 'cursorValues':
        return (cursorValues ??= keyset.cursorValues());
      default: {
        const node = objectJson(slot.node, scope, variables);
        nodeFixes[slot.index] = node.fix;
        return node.sql;
      }
    }
  });
  const built: Built = { sql: plan.template.fragment(scope.sql, values) };
  const fixesNodes = nodeFixes.some(Boolean);
  if (plan.pageInfos.some((info) => info.cursors.length) || plan.edges.some((edges) => edges.cursors.length) || fixesNodes) {
    built.fix = (connection) => {
      for (const { key, cursors, nodes } of plan.edges) {
        for (const edge of connection[key] as Json[]) {
          for (const cursor of cursors) edge[cursor] = keyset.cursor(edge[cursor] as unknown[]);
          for (const node of nodes) nodeFixes[node.index]?.(edge[node.key] as Json);
        }
      }
      for (const { key, cursors } of plan.pageInfos) {
        const info = connection[key] as Json;
        for (const cursor of cursors) if (info[cursor] !== null) info[cursor] = keyset.cursor(info[cursor] as unknown[]);
      }
    };
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
    const template = new Template<RelationSlot>().text('json_build_object(');
    let separator = '';
    for (const [key, nodes] of fields) {
      template.text(`${separator}${quoted(key)}, `);
      separator = ', ';
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        template.text(`${quoted(type.name)}::text`);
        continue;
      }
      const field = type.getFields()[name];
      if (!field) return undefined;
      const expression = shape.fields[name];
      // A field with a resolver of its own runs a rule or a middleware (plain-fields.ts): not compiled.
      if (expression !== undefined && field.resolve === undefined && field.args.length === 0) {
        const cast = castOf(field.type);
        if (!cast) return undefined;
        template.text(`(${expression})::${cast}`);
        continue;
      }
      const relation = shape.relations[name];
      if (!relation || this.guarded.has(`${type.name}.${name}`)) return undefined;
      const child = this.relation(context, relation, field.type, nodes);
      if (!child) return undefined;
      template.slot({ key, relation, field, node: nodes[0]!, child });
    }
    return { kind: 'object', template: template.text(')') };
  }

  private relation(context: CompileContext, relation: Relation, type: GraphQLOutputType, nodes: readonly FieldNode[]): Child | undefined {
    const named = getNamedType(type);
    if (!isObjectType(named)) return undefined;
    if (relation.kind !== 'connection') {
      if (named.name !== relation.type || isListType(getNullableType(type)) !== (relation.kind === 'list')) return undefined;
      return this.object(context, named, this.subfields(context, named, nodes));
    }
    if (named.name !== `${relation.type}Connection`) return undefined;
    const connectionFields = this.subfields(context, named, nodes);
    if (connectionFields.size > MAX_KEYS) return undefined;
    const plan: ConnectionPlan = { kind: 'connection', template: new Template(), edges: [], pageInfos: [] };
    const parts = new Template<ConnectionSlot>();
    const nodeColumns = new Template<ConnectionSlot>();
    let readsPage = false;
    // Without pageInfo nothing reads the row after the page: `limit first`, and no numbering.
    const numbered = [...connectionFields.values()].some((fieldNodes) => fieldNodes[0]!.name.value === 'pageInfo');
    let separator = '';
    for (const [key, fieldNodes] of connectionFields) {
      parts.text(`${separator}${quoted(key)}, `);
      separator = ', ';
      const name = fieldNodes[0]!.name.value;
      if (name === '__typename') parts.text(`${quoted(named.name)}::text`);
      else if (name === 'totalCount') parts.text('(select count(*)::int from ').slot('from').text(' where ').slot('where').text(')');
      else if (name === 'edges') {
        readsPage = true;
        const edgeType = getNamedType(named.getFields().edges!.type) as GraphQLObjectType;
        const edgeFields = this.subfields(context, edgeType, fieldNodes);
        if (edgeFields.size > MAX_KEYS) return undefined;
        const edges: ConnectionPlan['edges'][number] = { key, cursors: [], nodes: [] };
        parts.text('coalesce(json_agg(json_build_object(');
        let edgeSeparator = '';
        for (const [edgeKey, edgeNodes] of edgeFields) {
          parts.text(`${edgeSeparator}${quoted(edgeKey)}, `);
          edgeSeparator = ', ';
          const edgeName = edgeNodes[0]!.name.value;
          if (edgeName === '__typename') parts.text(`${quoted(edgeType.name)}::text`);
          else if (edgeName === 'cursor') {
            edges.cursors.push(edgeKey);
            parts.slot('cursorValues');
          } else if (edgeName === 'node') {
            const nodeType = getNamedType(edgeType.getFields().node!.type);
            if (!isObjectType(nodeType) || nodeType.name !== relation.type) return undefined;
            const node = this.object(context, nodeType, this.subfields(context, nodeType, edgeNodes));
            if (!node) return undefined;
            const index = nodeColumns.slots.length;
            nodeColumns.slot({ node, index }).text(` as _node${index}, `);
            edges.nodes.push({ key: edgeKey, index });
            parts.text(`s._node${index}`);
          } else return undefined;
        }
        if (numbered) parts.text(') order by s._n) filter (where s._n <= ').slot('first').text("::int), '[]'::json)");
        else parts.text(') order by ').slot('orderByColumns').text("), '[]'::json)");
        plan.edges.push(edges);
      } else if (name === 'pageInfo') {
        readsPage = true;
        const infoType = getNamedType(named.getFields().pageInfo!.type) as GraphQLObjectType;
        const infoFields = this.subfields(context, infoType, fieldNodes);
        if (infoFields.size > MAX_KEYS) return undefined;
        const info: ConnectionPlan['pageInfos'][number] = { key, cursors: [] };
        parts.text('json_build_object(');
        let infoSeparator = '';
        for (const [infoKey, infoNodes] of infoFields) {
          parts.text(`${infoSeparator}${quoted(infoKey)}, `);
          infoSeparator = ', ';
          const infoName = infoNodes[0]!.name.value;
          if (infoName === '__typename') parts.text(`${quoted(infoType.name)}::text`);
          else if (infoName === 'hasNextPage') parts.text('count(*) > ').slot('first').text('::int');
          else if (infoName === 'startCursor') {
            info.cursors.push(infoKey);
            parts.text('(array_agg(').slot('cursorValues').text(') filter (where s._n = 1 and ').slot('first').text('::int > 0))[1]');
          } else if (infoName === 'endCursor') {
            info.cursors.push(infoKey);
            parts
              .text('(array_agg(')
              .slot('cursorValues')
              .text(' order by s._n desc) filter (where s._n <= ')
              .slot('first')
              .text('::int))[1]');
          } else return undefined;
        }
        parts.text(')');
        plan.pageInfos.push(info);
      } else return undefined;
    }
    const { template } = plan;
    if (!readsPage) template.text('json_build_object(').append(parts).text(')');
    else if (!numbered) {
      template
        .text('(select json_build_object(')
        .append(parts)
        .text(') from (select ')
        .append(nodeColumns)
        .slot('columns')
        .text(' from ')
        .slot('from')
        .text(' where ')
        .slot('where')
        .text(' and ')
        .slot('after')
        .text(' order by ')
        .slot('orderBy')
        .text(' limit ')
        .slot('first')
        .text(') s group by ())');
    } else {
      // One row, whatever the page holds: the parts are aggregates of the page (group by () when none is).
      template
        .text('(select json_build_object(')
        .append(parts)
        .text(') from (select s.*, row_number() over (order by ')
        .slot('orderByColumns')
        .text(') as _n from (select ')
        .append(nodeColumns)
        .slot('columns')
        .text(' from ')
        .slot('from')
        .text(' where ')
        .slot('where')
        .text(' and ')
        .slot('after')
        .text(' order by ')
        .slot('orderBy')
        .text(' limit ')
        .slot('limit')
        .text(') s) s group by ())');
    }
    return plan;
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
