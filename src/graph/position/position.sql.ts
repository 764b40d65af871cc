import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Fragment } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Pnl } from '../portfolio/pnl.type.js';
import type { Lot, Position } from './position.type.js';

/** The units of base currency for one unit of `currency` on `day`, by the database's fx_rate_to_base. */
export function fxRate(sql: Sql, currency: Fragment, day: Fragment): Fragment {
  return sql`(select r.rate_to_base from fx_rate_to_base(${currency}, ${day}) r)`;
}

/**
 * The positions of these portfolios after their trades dated up to `asOf` (all of them when null),
 * valued at the latest close and FX rate on or before it. The cost basis at a date is what the
 * purchases cost less what the sales took out (trade_realizations.gross_cost), which is what the
 * open lots cost at that date. Rows: portfolio_id, asset_id, quantity, cost_basis, currency, price,
 * price_date, market_value, unrealized, rate.
 */
export function valuedHoldings(sql: Sql, portfolioIds: readonly string[], asOf: string | null, visible: Fragment): Fragment {
  const day = sql`coalesce(${asOf}::date, 'infinity'::date)`;
  return sql`
    select h.portfolio_id, h.asset_id, h.quantity, h.cost_basis, a.currency, m.closing_price as price, m.price_date,
      h.quantity * m.closing_price as market_value, h.quantity * m.closing_price - h.cost_basis as unrealized,
      ${fxRate(sql, sql`a.currency`, day)} as rate
    from (
      select t.portfolio_id, t.asset_id,
        sum(case t.transaction_type when 'BUY' then t.quantity else -t.quantity end) as quantity,
        sum(case t.transaction_type when 'BUY' then t.quantity * t.price + t.transaction_costs else -r.gross_cost end) as cost_basis
      from transactions t
      left join trade_realizations r on r.transaction_id = t.transaction_id
      where t.portfolio_id = any(${[...portfolioIds]}::bigint[]) and t.transaction_date <= ${day} and ${visible}
      group by t.portfolio_id, t.asset_id
    ) h
    join asset_master a on a.asset_id = h.asset_id
    left join lateral (
      select m.closing_price, m.price_date from market_data m
      where m.asset_id = h.asset_id and m.price_date <= ${day}
      order by m.price_date desc limit 1
    ) m on true
    where h.quantity <> 0`;
}

export interface Realization {
  id: string;
  realizedGainLoss: string;
}

/** A sale period: either end may be open. */
export interface PnlPeriod {
  from: string | null;
  to: string | null;
}

/** The open positions of these portfolios, largest first by value in base currency. */
export function positionsOfPortfolios(sql: Sql, viewer: Viewer, portfolioIds: readonly string[]): Promise<Position[]> {
  return sql<Position[]>`
        select v.portfolio_id::text as "portfolioId", v.asset_id::text as "assetId", trim_scale(v.quantity)::text as quantity,
          trim_scale(v.cost_basis)::text as "costBasis", position_share(v.cost_basis, 1, v.quantity)::text as "averageCost",
          v.currency, trim_scale(v.price)::text as price, v.price_date as "priceDate",
          trim_scale(v.market_value)::text as "marketValue", trim_scale(v.unrealized)::text as "unrealizedGainLoss",
          trim_scale(v.market_value * v.rate)::text as "marketValueBase",
          (v.market_value * v.rate / nullif(sum(v.market_value * v.rate) over (partition by v.portfolio_id), 0))::float8 as weight
        from (${valuedHoldings(sql, portfolioIds, null, visiblePortfolios(sql, viewer, sql`t.portfolio_id`))}) v
        order by v.portfolio_id, v.market_value * v.rate desc nulls last, v.asset_id`;
}

/** The open lots of these positions, keyed portfolioId/assetId, oldest first. */
export function lotsOfPositions(sql: Sql, viewer: Viewer, keys: readonly string[]): Promise<(Lot & { key: string })[]> {
  const pairs = keys.map((key) => key.split('/'));
  return sql<(Lot & { key: string })[]>`
          select l.portfolio_id || '/' || l.asset_id as key, l.transaction_id::text as id, l.open_date as "openDate",
            l.quantity::text, l.remaining_quantity::text as "remainingQuantity", l.remaining_cost::text as "remainingCost"
          from unnest(${pairs.map(([portfolioId]) => portfolioId!)}::bigint[], ${pairs.map(([, assetId]) => assetId!)}::bigint[])
            as k(portfolio_id, asset_id)
          join position_lots l on l.portfolio_id = k.portfolio_id and l.asset_id = k.asset_id
          where ${visiblePortfolios(sql, viewer, sql`l.portfolio_id`)}
          order by l.portfolio_id, l.asset_id, l.open_date, l.transaction_id`;
}

/** The realized result of these SELLs. */
export function realizationsById(sql: Sql, viewer: Viewer, ids: readonly string[]): Promise<Realization[]> {
  return sql<Realization[]>`
      select r.transaction_id::text as id, r.realized_gain_loss::text as "realizedGainLoss"
      from trade_realizations r
      where r.transaction_id = any(${ids}::bigint[]) and ${visiblePortfolios(sql, viewer, sql`r.portfolio_id`)}`;
}

/** Each portfolio's P&L over a period, in base currency. */
export async function pnlOfPortfolios(
  sql: Sql,
  viewer: Viewer,
  portfolioIds: readonly string[],
  { from, to }: PnlPeriod,
): Promise<(Pnl & { id: string })[]> {
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
  return rows;
}
