import type { Sql } from './db.js';
import type { PoolStats } from './metrics.js';
import { within } from '../lib/timeout.js';

/**
 * What PostgreSQL sees of a pool: its sessions by state and those waiting for a lock, for the
 * pool's application name on its database. postgres.js keeps its own queue of waiting queries to
 * itself, so the database's view is the one that can be read. Bounded so that a scrape never
 * waits on a saturated pool.
 */
export function poolStatsReader(sql: Sql, timeoutMs = 1_000): () => Promise<PoolStats | null> {
  const applicationName = String((sql.options.connection as Record<string, unknown>).application_name ?? 'asset360');
  return () =>
    within(
      (async () => {
        const rows = await sql<{ state: string; sessions: number; lock_waits: number }[]>`
          select coalesce(state, 'unknown') as state, count(*)::int as sessions,
            count(*) filter (where wait_event_type = 'Lock')::int as lock_waits
          from pg_stat_activity
          where application_name = ${applicationName} and datname = current_database() and pid <> pg_backend_pid()
          group by 1`;
        // The session answering this scrape is one of the pool's, and idle once it has.
        const connections: Record<string, number> = { idle: 1 };
        let lockWaits = 0;
        for (const row of rows) {
          connections[row.state] = (connections[row.state] ?? 0) + row.sessions;
          lockWaits += row.lock_waits;
        }
        return { connections, lockWaits };
      })(),
      timeoutMs,
      () => null,
    );
}
