import type { Sql } from '../../infra/db.js';

export interface DataVersions {
  /** By source, and '#instance': the random number of this database (db/0070_data_versions.sql). */
  versions: Record<string, string>;
  /** The date in the database's time zone and in UTC: what `today` depends on. */
  today: string;
}

/** The one statement of a cache lookup. */
export async function readDataVersions(sql: Sql): Promise<DataVersions> {
  const [row] = await sql<[{ versions: Record<string, string>; today: string }]>`
    select (select json_object_agg(source, version::text) from data_versions) as versions,
      current_date::text || '/' || (now() at time zone 'utc')::date::text as today`;
  return row!;
}

/**
 * What tells this database from any other sharing the Redis: the cluster's system identifier (when
 * the role may read it), the database's name, and its '#instance' number.
 */
export async function databaseIdentity(sql: Sql): Promise<string> {
  const [row] = await sql<[{ name: string }]>`select current_database() as name`;
  let system = 'unknown';
  try {
    const [control] = await sql<[{ system: string }]>`select system_identifier::text as system from pg_control_system()`;
    system = control!.system;
  } catch {
    // Not granted to this role: the name and the instance number still tell databases apart.
  }
  return `${system}/${row!.name}`;
}
