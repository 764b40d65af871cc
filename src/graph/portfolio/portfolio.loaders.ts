import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import type { Fragment } from '../common/sql.js';
import type { Portfolio } from './portfolio.type.js';

export function portfolioColumns(sql: Sql): Fragment {
  return sql`p.portfolio_id::text as id, p.name, p.owner, p.base_currency as "baseCurrency", p.created_at as "createdAt"`;
}

export function createPortfolioLoaders(sql: Sql) {
  return {
    byId: loaderById((ids) => sql<Portfolio[]>`
      select ${portfolioColumns(sql)} from portfolios p where p.portfolio_id = any(${ids}::bigint[])`),
  };
}
