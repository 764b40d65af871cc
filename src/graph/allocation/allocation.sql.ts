import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Allocation } from './allocation.type.js';

function allocationColumns(sql: Sql): Fragment {
  return sql`
    pa.allocation_id::text as id, pa.target_percentage::float8 as "targetPercentage",
    pa.actual_percentage::float8 as "actualPercentage", pa.last_rebalance_date as "lastRebalanceDate",
    pa.portfolio_id::text as "portfolioId", pa.asset_id::text as "assetId"`;
}

export function allocationsOfAssets(sql: Sql, viewer: Viewer, assetIds: readonly string[]): Promise<Allocation[]> {
  return sql<Allocation[]>`
    select ${allocationColumns(sql)} from portfolio_allocation pa
    where pa.asset_id = any(${assetIds}::bigint[]) and ${visiblePortfolios(sql, viewer, sql`pa.portfolio_id`)}
    order by pa.asset_id, pa.portfolio_id`;
}

export function allocationsOfPortfolios(sql: Sql, viewer: Viewer, portfolioIds: readonly string[]): Promise<Allocation[]> {
  return sql<Allocation[]>`
    select ${allocationColumns(sql)} from portfolio_allocation pa
    where pa.portfolio_id = any(${portfolioIds}::bigint[]) and ${visiblePortfolios(sql, viewer, sql`pa.portfolio_id`)}
    order by pa.portfolio_id, pa.asset_id`;
}
