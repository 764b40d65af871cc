import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import type { Asset360Build } from './build.type.js';

export function buildColumns(sql: Sql): Fragment {
  return sql`
    b.build_id::text as id, b.as_of as "asOf", b.status, b.started_at as "startedAt",
    b.finished_at as "finishedAt", b.row_count as "rowCount", b.error`;
}

/** The current build: the latest that succeeded, whose rows asset_360 holds. */
export function currentBuild(sql: Sql): Fragment {
  return sql`(select * from asset_360_builds where status = 'succeeded' order by build_id desc limit 1)`;
}

export async function currentBuildRow(sql: Sql): Promise<Asset360Build | null> {
  const [build] = await sql<Asset360Build[]>`select ${buildColumns(sql)} from ${currentBuild(sql)} b`;
  return build ?? null;
}

export async function buildRowById(sql: Sql, id: string): Promise<Asset360Build | null> {
  const [build] = await sql<Asset360Build[]>`select ${buildColumns(sql)} from asset_360_builds b where b.build_id = ${id}::bigint`;
  return build ?? null;
}
