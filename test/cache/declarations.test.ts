import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { operationReads } from '../../src/graph/cache/operation-reads.js';
import { CACHE_EXTENSION, SOURCES, type CacheDeclaration } from '../../src/graph/cache/reads.js';
import { resolverFields } from '../../src/graph/cache/resolver-fields.js';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { useTestDatabase } from '../support/database.js';

/** Tables the graph never reads, so no version of theirs can matter to a cached answer. */
const NOT_READ_BY_THE_GRAPH = new Set(['schema_migrations', 'data_versions']);

let schema: GraphQLSchema;
let fields: Set<string>;
beforeAll(async () => {
  schema = await buildGraphSchema();
  fields = resolverFields();
});

function declarationOf(name: string): CacheDeclaration | undefined {
  const [typeName, fieldName] = name.split('.') as [string, string];
  const type = schema.getType(typeName) as {
    getFields(): Record<string, { extensions: Record<string, unknown> }>;
    extensions: Record<string, unknown>;
  };
  return (type.getFields()[fieldName]!.extensions[CACHE_EXTENSION] ?? type.extensions[CACHE_EXTENSION]) as CacheDeclaration | undefined;
}

describe('the declarations of what each field reads', () => {
  it('cover every query and every field resolver: each declares its sources or bypasses the cache', () => {
    expect(fields.size).toBeGreaterThan(60);
    expect([...fields].filter((name) => name.startsWith('Query.')).length).toBe(Object.keys(schema.getQueryType()!.getFields()).length);
    const undeclared = [...fields].filter((name) => !declarationOf(name));
    expect(undeclared, 'add @Reads(...sources) or @Uncached(reason) next to these fields').toEqual([]);
  });

  it('name only known sources', () => {
    const known = new Set<string>([...SOURCES, 'viewer', 'today']);
    for (const name of fields) {
      for (const source of declarationOf(name)?.reads ?? []) expect(known.has(source), `${name} reads ${source}`).toBe(true);
    }
  });

  it('make the operator fields that read the live queue and every mutation and subscription bypass the cache', () => {
    for (const field of [
      'rebuildJob(id: "1") { id }',
      'rebuildSchedule { paused }',
      'riskSchedule { paused }',
      'rebalanceSchedule(portfolioId: "1") { paused }',
    ]) {
      expect(operationReads(schema, parse(`{ ${field} }`), undefined, fields).bypass).toBeDefined();
    }
    expect(operationReads(schema, parse('mutation { pauseRebuilds { paused } }'), undefined, fields).bypass).toBe('mutation');
    expect(operationReads(schema, parse('subscription { buildPublished { id } }'), undefined, fields).bypass).toBe('subscription');
    // One bypassing field makes the whole operation bypass.
    expect(operationReads(schema, parse('{ asset(id: "1") { id } rebuildSchedule { paused } }'), undefined, fields).bypass).toMatch(
      /rebuildSchedule/,
    );
  });

  it('follow the operation through fragments, inline fragments and nested field resolvers', () => {
    const document = parse(`
      query Named { ...Root }
      query Other { auditLogHead { seq } }
      fragment Root on Query { asset(id: "1") { id ...Trades } }
      fragment Trades on Asset { trades(first: 1) { edges { node { counterparty { name } ... on Trade { portfolio { name } } } } } }`);
    expect(operationReads(schema, document, 'Named', fields)).toEqual({ reads: ['build', 'reference', 'trades'] });
    expect(operationReads(schema, document, 'Other', fields)).toEqual({ reads: ['audit'] });
    expect(operationReads(schema, parse('{ __typename __schema { queryType { name } } }'), undefined, fields)).toEqual({ reads: [] });
  });
});

describe('the data versions', () => {
  const db = useTestDatabase();

  it('have a statement trigger on every table of the public schema, for inserts, updates, deletes and truncates', async () => {
    const tables = await db.sql<{ table: string; events: string[] }[]>`
      select t.tablename as table,
        coalesce(array_agg(distinct event order by event) filter (where event is not null), '{}') as events
      from pg_tables t
      left join pg_trigger g on g.tgrelid = format('%I.%I', t.schemaname, t.tablename)::regclass
        and g.tgfoid = 'data_versions_bump'::regproc and g.tgenabled = 'A'
      left join lateral (
        select unnest(array_remove(array[
          case when g.tgtype & 4 <> 0 then 'INSERT' end, case when g.tgtype & 8 <> 0 then 'DELETE' end,
          case when g.tgtype & 16 <> 0 then 'UPDATE' end, case when g.tgtype & 32 <> 0 then 'TRUNCATE' end], null)) as event
        where g.tgtype & 1 = 0
      ) e on true
      where t.schemaname = 'public'
      group by t.tablename
      order by t.tablename`;
    const missing = tables
      .filter(({ table }) => !NOT_READ_BY_THE_GRAPH.has(table))
      .filter(({ events }) => events.join(',') !== 'DELETE,INSERT,TRUNCATE,UPDATE')
      .map(({ table }) => table);
    expect(
      missing,
      'give these tables a data_versions_bump trigger (db/0070_data_versions.sql) or list them as not read by the graph',
    ).toEqual([]);
  });

  it('bump the source of a table in the writing transaction, and only that source', async () => {
    const before = await versions(db.sql);
    await db.sql.begin(async (tx) => {
      await tx`insert into fx_rates (currency, rate_date, rate_to_base) values ('CHF', '2025-01-02', 1.05)`;
      const inside = await versions(tx as never);
      expect(BigInt(inside.fx!)).toBeGreaterThan(BigInt(before.fx!));
    });
    const after = await versions(db.sql);
    expect(BigInt(after.fx!)).toBeGreaterThan(BigInt(before.fx!));
    expect({ ...after, fx: before.fx }).toEqual(before);
  });

  it('stay as they were when the writing transaction rolls back', async () => {
    const before = await versions(db.sql);
    await expect(
      db.sql.begin(async (tx) => {
        await tx`insert into counterparty_info (counterparty_id, name) values (77, 'Gone')`;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await versions(db.sql)).toEqual(before);
  });
});

async function versions(sql: { <T>(strings: TemplateStringsArray): Promise<T> }): Promise<Record<string, string>> {
  const rows = await sql<{ source: string; version: string }[]>`select source, version::text as version from data_versions`;
  return Object.fromEntries(rows.map((row) => [row.source, row.version]));
}
