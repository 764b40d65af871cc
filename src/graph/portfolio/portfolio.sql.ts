import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Portfolio } from './portfolio.type.js';

export function portfolioColumns(sql: Sql): Fragment {
  return sql`p.portfolio_id::text as id, p.name, p.owner, p.base_currency as "baseCurrency", p.created_at as "createdAt",
    p.cost_method as "costMethod"`;
}

export function portfoliosById(sql: Sql, viewer: Viewer, ids: readonly string[]): Promise<Portfolio[]> {
  return sql<Portfolio[]>`
    select ${portfolioColumns(sql)} from portfolios p
    where p.portfolio_id = any(${ids}::bigint[]) and ${visiblePortfolios(sql, viewer, sql`p.portfolio_id`)}`;
}
