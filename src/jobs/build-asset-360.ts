import type { Actor } from '../audit/actor.js';
import { actAs } from '../audit/record.js';
import type { Sql } from '../infra/db.js';

export type BuildStatus = 'running' | 'succeeded' | 'failed';

/** A row of asset_360_builds. */
export interface BuildResult {
  buildId: string;
  asOf: string;
  status: BuildStatus;
  startedAt: Date;
  /** When it got the build lock; null if it failed before. */
  lockedAt: Date | null;
  finishedAt: Date | null;
  rowCount: number | null;
  /** SQLSTATE: message, for a failed build. */
  error: string | null;
  /** From start to finish, waiting for another build included. */
  seconds: number;
  /** How long it waited for another build to finish. */
  waitedSeconds: number;
}

/** The build ran and failed: asset_360 still holds the previous build, and `build` records the error. */
export class BuildFailedError extends Error {
  readonly code = 'BUILD_FAILED';
  constructor(
    readonly build: BuildResult,
    /** The SQLSTATE of the error that failed the build. */
    readonly sqlState: string | undefined,
    cause?: unknown,
  ) {
    super(`asset_360 build ${build.buildId} failed: ${build.error ?? 'unknown error'}`, { cause });
    this.name = 'BuildFailedError';
  }
}

interface BuildRow {
  build_id: string;
  as_of: string;
  status: BuildStatus;
  started_at: Date;
  locked_at: Date | null;
  finished_at: Date | null;
  row_count: number | null;
  error: string | null;
}

/**
 * Rebuilds and publishes asset_360 as of `asOf` (YYYY-MM-DD; the database's current_date by default)
 * and returns the build's row. Waits while another build runs. `sql` must be a pool, not a
 * transaction: the procedure commits on its own. The procedure records the build's start and end in
 * the audit log, in the transactions that change its status, under `by` (the database session's
 * role, `system:sql:<role>`, when absent).
 */
export async function buildAsset360(sql: Sql, asOf?: string, by?: { actor: Actor; jobId?: string }): Promise<BuildResult> {
  // One session end to end, so that a build which fails can be found by the session that ran it.
  const session = await sql.reserve();
  try {
    if (by) await actAs(session, by.actor, by.jobId ?? null);
    const [me] = await session<[SessionIdentity]>`
      select pg_backend_pid() as pid, a.backend_start::text as backend_start,
        (select coalesce(max(b.build_id), 0) from asset_360_builds b
         where b.backend_pid = pg_backend_pid() and b.backend_start = a.backend_start) as last_build
      from pg_stat_activity a where a.pid = pg_backend_pid()`;
    try {
      const [called] =
        asOf === undefined
          ? await session<[{ build_id: string }]>`call create_asset_360()`
          : await session<[{ build_id: string }]>`call create_asset_360(${asOf}::date)`;
      await reclaim(session);
      return toResult(await readBuild(session, called.build_id));
    } catch (error) {
      // Through the pool: the session itself may be the thing that died.
      const [row] = await sql<BuildRow[]>`
        select * from asset_360_builds
        where backend_pid = ${me.pid} and backend_start = ${me.backend_start}::text::timestamptz and build_id > ${me.last_build}
        order by build_id desc limit 1`.catch(() => []);
      if (row?.status === 'succeeded') return toResult(row);
      if (row?.status === 'failed') throw new BuildFailedError(toResult(row), (error as { code?: string }).code, error);
      throw error;
    }
  } finally {
    // The session goes back to the pool: the next user must not act under this build's name.
    if (by) await actAs(session, { subject: '', role: null }).catch(() => {});
    session.release();
  }
}

interface SessionIdentity {
  pid: number;
  /** As text, and sent as text: a JS Date would drop the microseconds it is compared on. */
  backend_start: string;
  last_build: string;
}

/**
 * A build deletes and re-inserts every row, and VACUUM cannot run inside the procedure: without
 * autovacuum (it is off on CI servers) dead rows would pile up and slow every later build. Statistics
 * are gathered once, for the first build: they cost more than the build's publication, and the
 * distribution of the filtered columns changes slowly. Housekeeping only: a failure here does not
 * fail the build, which is already published, nor waits for another vacuum of the table.
 */
async function reclaim(sql: Sql): Promise<void> {
  try {
    const [table] = await sql<[{ analyzed: boolean }?]>`
      select coalesce(last_analyze, last_autoanalyze) is not null as analyzed from pg_stat_user_tables where relid = 'asset_360'::regclass`;
    await (table?.analyzed === false ? sql`vacuum (analyze, skip_locked) asset_360` : sql`vacuum (skip_locked) asset_360`);
  } catch {
    // The next vacuum, manual or automatic, reclaims the same rows.
  }
}

async function readBuild(sql: Sql, buildId: string): Promise<BuildRow> {
  const [row] = await sql<BuildRow[]>`select * from asset_360_builds where build_id = ${buildId}`;
  if (!row) throw new Error(`asset_360 build ${buildId} has no row in asset_360_builds`);
  return row;
}

function toResult(row: BuildRow): BuildResult {
  const end = row.finished_at ?? new Date();
  return {
    buildId: row.build_id,
    asOf: row.as_of,
    status: row.status,
    startedAt: row.started_at,
    lockedAt: row.locked_at,
    finishedAt: row.finished_at,
    rowCount: row.row_count,
    error: row.error,
    seconds: (end.getTime() - row.started_at.getTime()) / 1000,
    waitedSeconds: ((row.locked_at ?? end).getTime() - row.started_at.getTime()) / 1000,
  };
}

/** Seconds since the newest succeeded build finished, whoever ran it; null before the first. */
export async function secondsSinceLastBuild(sql: Sql): Promise<number | null> {
  const [row] = await sql<[{ seconds: number | null }]>`
    select extract(epoch from clock_timestamp() - max(finished_at))::float8 as seconds
    from asset_360_builds where status = 'succeeded'`;
  return row.seconds;
}
