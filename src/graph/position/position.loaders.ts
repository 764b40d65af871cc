import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import { loaderById, loaderOfLists, loaderWithArgs } from '../common/batch.js';
import { lotsOfPositions, pnlOfPortfolios, positionsOfPortfolios, realizationsById, type PnlPeriod } from './position.sql.js';
import type { Pnl } from '../portfolio/pnl.type.js';

/** Keys of positions in the lots loader. */
export function positionKey(portfolioId: string, assetId: string): string {
  return `${portfolioId}/${assetId}`;
}

export function createPositionLoaders(sql: Sql, viewer: Viewer) {
  return {
    /** The open positions of each portfolio, largest first by value in base currency. */
    byPortfolio: loaderOfLists(
      (portfolioIds) => positionsOfPortfolios(sql, viewer, portfolioIds),
      (position) => position.portfolioId,
    ),

    /** The open lots of each position (keys from positionKey), oldest first. */
    lots: loaderOfLists(
      (keys) => lotsOfPositions(sql, viewer, keys),
      (lot) => lot.key,
    ),

    /** The realized result of each SELL by trade id; null for BUYs. */
    realizationByTrade: loaderById((ids) => realizationsById(sql, viewer, ids)),

    /** Each portfolio's P&L over a period, in base currency. */
    pnl: loaderWithArgs<PnlPeriod, Pnl>(async (portfolioIds, period) => {
      const rows = await pnlOfPortfolios(sql, viewer, portfolioIds, period);
      const byId = new Map(rows.map(({ id, ...pnl }) => [id, pnl]));
      return portfolioIds.map((id) => byId.get(id)!);
    }),
  };
}
