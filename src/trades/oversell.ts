import type postgres from 'postgres';
import type { PositionKey } from './positions.js';

/** A SELL for more than its portfolio held at that point of the position's timeline. */
export interface UncoveredSale extends PositionKey {
  transactionId: string;
  date: string;
  quantity: string;
  /** What the portfolio held just before the sale. */
  held: string;
}

/**
 * The first uncovered SELL of each position, in (transaction_date, transaction_id) order: the
 * running quantity over the whole timeline, so a backdated trade that leaves a later sale short is
 * caught as well as a sale that is short itself.
 */
export async function uncoveredSales(tx: postgres.TransactionSql, positions: readonly PositionKey[]): Promise<UncoveredSale[]> {
  if (positions.length === 0) return [];
  return tx<UncoveredSale[]>`
    select distinct on (portfolio_id, asset_id)
      transaction_id::text as "transactionId", portfolio_id::text as "portfolioId", asset_id::text as "assetId",
      transaction_date as date, trim_scale(quantity)::text as quantity, trim_scale(held + quantity)::text as held
    from (
      select t.transaction_id, t.portfolio_id, t.asset_id, t.transaction_date, t.quantity,
        sum(case t.transaction_type when 'BUY' then t.quantity else -t.quantity end) over (
          partition by t.portfolio_id, t.asset_id
          order by t.transaction_date, t.transaction_id
          rows between unbounded preceding and current row) as held
      from transactions t
      join (
        select distinct portfolio_id, asset_id
        from unnest(${positions.map((p) => p.portfolioId)}::bigint[], ${positions.map((p) => p.assetId)}::bigint[]) as k(portfolio_id, asset_id)
      ) k on k.portfolio_id = t.portfolio_id and k.asset_id = t.asset_id
    ) timeline
    where held < 0
    order by portfolio_id, asset_id, transaction_date, transaction_id`;
}
