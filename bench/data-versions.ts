import type { Sql } from '../src/infra/db.js';

/**
 * DATA_VERSIONS=off: disables the response cache's version triggers (db/0070_data_versions.sql) in a
 * benchmark's own database, to measure what they cost writers. Never in a database a server reads:
 * its cache would then serve stale answers.
 */
export async function dataVersionsAsConfigured(sql: Sql): Promise<'on' | 'off'> {
  if (process.env.DATA_VERSIONS !== 'off') return 'on';
  const triggers = await sql<{ table: string; trigger: string }[]>`
    select c.relname as table, t.tgname as trigger
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where t.tgfoid = 'data_versions_bump'::regproc`;
  for (const { table, trigger } of triggers) await sql`alter table ${sql(table)} disable trigger ${sql(trigger)}`;
  return 'off';
}
