import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Portfolio } from './portfolio.type.js';

/** The expression of each field of the Portfolio type over `portfolios p`, shared with SQL-compiled operations. */
export const PORTFOLIO_FIELDS: Readonly<Record<string, string>> = {
  id: 'p.portfolio_id::text',
  name: 'p.name',
  owner: 'p.owner',
  baseCurrency: 'p.base_currency',
  createdAt: 'p.created_at',
  costMethod: 'p.cost_method',
};
const PORTFOLIO_COLUMNS = Object.entries(PORTFOLIO_FIELDS)
  .map(([field, expression]) => `${expression} as "${field}"`)
  .join(', ');

export function portfolioColumns(sql: Sql): Fragment {
  return sql.unsafe(PORTFOLIO_COLUMNS);
}

/** The portfolio with the given id (a parameter or a column of an enclosing query), when the viewer may see it. */
export function visiblePortfolioWithId(sql: Sql, viewer: Viewer, id: Fragment): { from: Fragment; where: Fragment } {
  return { from: sql`portfolios p`, where: sql`p.portfolio_id = ${id} and ${visiblePortfolios(sql, viewer, sql`p.portfolio_id`)}` };
}

export function portfoliosById(sql: Sql, viewer: Viewer, ids: readonly string[]): Promise<Portfolio[]> {
  const { from, where } = visiblePortfolioWithId(sql, viewer, sql`any(${ids}::bigint[])`);
  return sql<Portfolio[]>`select ${portfolioColumns(sql)} from ${from} where ${where}`;
}
