import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';

/**
 * The units of base currency (of asset_360_settings, as for marketValueBase) for one unit of
 * `currency` on `day`: exactly 1 for the base currency, else the latest rate on or before the day.
 */
export function fxRate(sql: Sql, currency: Fragment, day: Fragment): Fragment {
  return sql`(
    select case when ${currency} = s.base_currency then 1::numeric else (
      select f.rate_to_base from fx_rates f where f.currency = ${currency} and f.rate_date <= ${day} order by f.rate_date desc limit 1)
    end
    from asset_360_settings s)`;
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
