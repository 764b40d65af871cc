import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import { decisionColumns, type Decision } from '../../optimizer/decisions.js';
import type { Page } from '../common/connection.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { visiblePortfolios } from '../common/visibility.js';

/** A portfolio's decisions, newest first, for the portfolios the viewer may see. */
export function decisionsPage(sql: Sql, viewer: Viewer, portfolioId: string, args: { first?: number | null; after?: string | null }) {
  return rootConnection<Decision>(sql, {
    keyset: new Keyset(sql, [{ name: 'ID', expression: sql`d.decision_id`, kind: 'id', direction: 'DESC', nullable: false }]),
    args,
    columns: decisionColumns(sql),
    from: sql`rebalance_decisions d`,
    where: sql`d.portfolio_id = ${portfolioId}::bigint and ${visiblePortfolios(sql, viewer, sql`d.portfolio_id`)}`,
  }) as Promise<Page<Decision>>;
}

export async function portfolioExists(sql: Sql, portfolioId: string): Promise<boolean> {
  const [row] = await sql`select 1 from portfolios where portfolio_id = ${portfolioId}::bigint`;
  return row !== undefined;
}
