import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import { loaderById, loaderOfLists, loaderWithArgs } from '../common/batch.js';
import { visiblePortfolios } from '../common/visibility.js';
import { fxRate, valuedHoldings } from './holdings.sql.js';
import type { Pnl } from './pnl.type.js';
import type { Lot, Position } from './position.type.js';

export interface Realization {
  id: string;
  realizedGainLoss: string;
}

/** A sale period: either end may be open. */
export interface PnlPeriod {
  from: string | null;
  to: string | null;
}

/** Keys of positions in the lots loader. */
export function positionKey(portfolioId: string, assetId: string): string {
  return `${portfolioId}/${assetId}`;
}

export function createPositionLoaders(sql: Sql, viewer: Viewer) {
  return {
    /** The open positions of each portfolio, largest first by value in base currency. */
    byPortfolio: loaderOfLists(
      (portfolioIds) => sql<Position[]>`
        select v.portfolio_id::text as "portfolioId", v.asset_id::text as "assetId", trim_scale(v.quantity)::text as quantity,
          trim_scale(v.cost_basis)::text as "costBasis", position_share(v.cost_basis, 1, v.quantity)::text as "averageCost",
          v.currency, trim_scale(v.price)::text as price, v.price_date as "priceDate",
          trim_scale(v.market_value)::text as "marketValue", trim_scale(v.unrealized)::text as "unrealizedGainLoss",
          trim_scale(v.market_value * v.rate)::text as "marketValueBase",
          (v.market_value * v.rate / nullif(sum(v.market_value * v.rate) over (partition by v.portfolio_id), 0))::float8 as weight
        from (${valuedHoldings(sql, portfolioIds, null, visiblePortfolios(sql, viewer, sql`t.portfolio_id`))}) v
        order by v.portfolio_id, v.market_value * v.rate desc nulls last, v.asset_id`,
      (position) => position.portfolioId,
    ),

    /** The open lots of each position (keys from positionKey), oldest first. */
    lots: loaderOfLists(
      (keys) => {
        const pairs = keys.map((key) => key.split('/'));
        return sql<(Lot & { key: string })[]>`
          select l.portfolio_id || '/' || l.asset_id as key, l.transaction_id::text as id, l.open_date as "openDate",
            l.quantity::text, l.remaining_quantity::text as "remainingQuantity", l.remaining_cost::text as "remainingCost"
          from unnest(${pairs.map(([portfolioId]) => portfolioId!)}::bigint[], ${pairs.map(([, assetId]) => assetId!)}::bigint[])
            as k(portfolio_id, asset_id)
          join position_lots l on l.portfolio_id = k.portfolio_id and l.asset_id = k.asset_id
          where ${visiblePortfolios(sql, viewer, sql`l.portfolio_id`)}
          order by l.portfolio_id, l.asset_id, l.open_date, l.transaction_id`;
      },
      (lot) => lot.key,
    ),

    /** The realized result of each SELL by trade id; null for BUYs. */
    realizationByTrade: loaderById(
      (ids) => sql<Realization[]>`
      select r.transaction_id::text as id, r.realized_gain_loss::text as "realizedGainLoss"
      from trade_realizations r
      where r.transaction_id = any(${ids}::bigint[]) and ${visiblePortfolios(sql, viewer, sql`r.portfolio_id`)}`,
    ),

    /** Each portfolio's P&L over a period, in base currency. */
    pnl: loaderWithArgs<PnlPeriod, Pnl>(async (portfolioIds, { from, to }) => {
      const rows = await sql<(Pnl & { id: string })[]>`
        with held as (${valuedHoldings(sql, portfolioIds, to, visiblePortfolios(sql, viewer, sql`t.portfolio_id`))})
        select p.portfolio_id::text as id, s.base_currency as currency,
          coalesce((
            select trim_scale(sum(r.realized_gain_loss * ${fxRate(sql, sql`a.currency`, sql`t.transaction_date`)}))
            from transactions t
            join trade_realizations r on r.transaction_id = t.transaction_id
            join asset_master a on a.asset_id = t.asset_id
            where t.portfolio_id = p.portfolio_id
              and t.transaction_date between coalesce(${from}::date, '-infinity'::date) and coalesce(${to}::date, 'infinity'::date)
              and ${visiblePortfolios(sql, viewer, sql`t.portfolio_id`)}
          ), 0)::text as realized,
          coalesce((select trim_scale(sum(h.unrealized * h.rate)) from held h where h.portfolio_id = p.portfolio_id), 0)::text as unrealized
        from unnest(${portfolioIds}::bigint[]) as p(portfolio_id)
        cross join asset_360_settings s`;
      const byId = new Map(rows.map(({ id, ...pnl }) => [id, pnl]));
      return portfolioIds.map((id) => byId.get(id)!);
    }),
  };
}
