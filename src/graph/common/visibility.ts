import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Fragment } from './sql.js';

/**
 * The condition that keeps only the rows of the portfolios the viewer may see, on the given
 * portfolio id column: a VIEWER sees the portfolios its token lists, every other role sees all.
 * Every statement that reads portfolios, or rows belonging to one (trades, allocations,
 * positions), puts it in its WHERE, so that pages and their totalCount agree.
 */
export function visiblePortfolios(sql: Sql, viewer: Viewer, column: Fragment): Fragment {
  return viewer.portfolios === undefined ? sql`true` : sql`${column} = any(${viewer.portfolios}::bigint[])`;
}
