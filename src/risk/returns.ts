import type { Sql } from '../infra/db.js';
import type { Fragment } from './metrics.js';

/**
 * The price series of assets over [from, to], one row per asset: `closes` (float8[]) and `dates`
 * (date[]) in date order. The aggregates read a subquery sorted by (asset_id, price_date), which
 * market_data's unique index serves without a sort; PostgreSQL 15 would otherwise sort every
 * asset's rows again for an ORDER BY inside the aggregate. The order is checked where the series is
 * read (returnsOf's `in_order`), so a plan that broke it would fail loudly, not silently.
 * `where` restricts the rows of market_data m.
 */
export function priceSeries(sql: Sql, from: string | Fragment, to: string | Fragment, where: Fragment): Fragment {
  return sql`
    select asset_id, array_agg(close) as closes, array_agg(price_date) as dates
    from (
      select m.asset_id, m.price_date, m.closing_price::float8 as close
      from market_data m
      where m.price_date between ${from}::date and ${to}::date and ${where}
      order by m.asset_id, m.price_date
    ) ordered
    group by asset_id`;
}

export interface ReturnsOptions {
  /** Columns of the series rows to carry onto every return (e.g. a weight). */
  carry?: readonly string[];
  /**
   * Converts the closes into the base currency: each series row then has `fx`, the rates by day
   * (src/risk/fx.ts's fxByDay, NaN for a day without one), element 1 being the rate of `from`.
   */
  fxFrom?: string;
}

/**
 * The returns of the series (rows of asset_id, closes and dates as priceSeries gives them), one
 * row per pair of consecutive closes: asset_id, r (close / previous close − 1), price_date (the
 * return's date), previous_date and in_order (whether the dates ascend). A previous close of 0 or
 * without an FX rate gives a null r, not a division by zero. The pairs come from unnest in the
 * select list, which streams and keeps the series' asset order, so that an aggregate grouped by
 * asset_id over them needs neither a sort nor a subquery per asset.
 */
export function returnsOf(sql: Sql, series: Fragment, { carry = [], fxFrom }: ReturnsOptions = {}): Fragment {
  const carried = carry.reduce<Fragment>((list, column) => sql`${list}, ${sql(column)}`, sql``);
  const atDate = (close: string, date: string) =>
    fxFrom === undefined ? sql`${sql(close)}` : sql`nullif(${sql(close)} * fx[${sql(date)} - ${fxFrom}::date + 1], 'NaN')`;
  return sql`
    select asset_id ${carried}, price_date, previous_date, price_date > previous_date as in_order,
      case when ${atDate('previous_close', 'previous_date')} <> 0
        then ${atDate('close', 'price_date')} / ${atDate('previous_close', 'previous_date')} - 1 end as r
    from (
      select s.asset_id ${carried} ${fxFrom === undefined ? sql`` : sql`, s.fx`},
        unnest(s.closes[2:]) as close, unnest(s.closes[:cardinality(s.closes) - 1]) as previous_close,
        unnest(s.dates[2:]) as price_date, unnest(s.dates[:cardinality(s.dates) - 1]) as previous_date
      from (${series}) s
    ) pairs`;
}
