import type postgres from 'postgres';

/** One position: what a portfolio holds of an asset. Ids are bigints written in decimal. */
export interface PositionKey {
  portfolioId: string;
  assetId: string;
}

/**
 * Rebuilds the lots and the realized results of these positions from their trades (see
 * procedures/recompute_positions.sql). Runs in the caller's transaction, which must hold the lock
 * of every portfolio concerned (lockPortfolios).
 */
export async function recomputePositions(tx: postgres.TransactionSql, positions: readonly PositionKey[]): Promise<void> {
  if (positions.length === 0) return;
  await tx`
    select recompute_positions(
      ${positions.map((position) => position.portfolioId)}::bigint[],
      ${positions.map((position) => position.assetId)}::bigint[])`;
}

/** Rebuilds every position that has trades, as after a bulk load that wrote transactions directly. */
export async function recomputeAllPositions(tx: postgres.TransactionSql): Promise<void> {
  await tx`
    select recompute_positions(array_agg(portfolio_id), array_agg(asset_id))
    from (select distinct portfolio_id, asset_id from transactions) positions`;
}
