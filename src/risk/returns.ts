import type { Sql } from '../infra/db.js';
import type { Fragment } from './metrics.js';

/**
 * The price series of assets over [from, to], one row per asset: `closes` (float8[]) and `dates`
 * (date[]) in date order. The aggregates read a subquery sorted by (asset_id, price_date), which
 * market_data's unique index serves without a sort; PostgreSQL 15 would otherwise sort every
 * asset's rows again for an ORDER BY inside the aggregate. The order is checked where the series is
 * read (see returnsFrom: `in_order`), so a plan that broke it would fail loudly, not silently.
 * `where` restricts the rows of market_data m; `close` is the close to use (m.closing_price by
 * default; a base-currency close for portfolios, with what it needs in `join`).
 */
export function priceSeries(
  sql: Sql,
  from: string | Fragment,
  to: string | Fragment,
  where: Fragment,
  { close = sql`m.closing_price::float8`, join = sql`` }: { close?: Fragment; join?: Fragment } = {},
): Fragment {
  return sql`
    select asset_id, array_agg(close) as closes, array_agg(price_date) as dates
    from (
      select m.asset_id, m.price_date, ${close} as close
      from market_data m ${join}
      where m.price_date between ${from}::date and ${to}::date and ${where}
      order by m.asset_id, m.price_date
    ) ordered
    group by asset_id`;
}

/**
 * The returns of one series (the closes and dates arrays of priceSeries), as a FROM item with
 * columns r (close / previous close − 1), price_date (the return's date) and previous_date: one row
 * per pair of consecutive closes. A previous close of 0 gives no return (null r), not a division
 * by zero.
 */
export function returnsFrom(sql: Sql, closes: Fragment, dates: Fragment): Fragment {
  return sql`(
    select case when previous_close <> 0 then close / previous_close - 1 end as r, price_date, previous_date
    from unnest(${closes}[2:], ${closes}[:cardinality(${closes}) - 1], ${dates}[2:], ${dates}[:cardinality(${dates}) - 1])
      as pairs(close, previous_close, price_date, previous_date)
  )`;
}
