import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import { parseDecimalList } from '../lib/decimal-list.js';

export type Fragment = postgres.Fragment;

/**
 * The price series of assets over [from, to], one row per asset: `closes` (float8[]) and `dates`
 * (date[]) in date order. The aggregates read a subquery sorted by (asset_id, price_date), which
 * market_data's unique index serves without a sort; PostgreSQL 15 would otherwise sort every
 * asset's rows again for an ORDER BY inside the aggregate. `where` restricts the rows of market_data m.
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

/**
 * The closes of the rows of market_data m that `where` selects over [from, to], one row per asset:
 * `days` (days after `from`: fewer digits to print and read than epoch days) and `closes` as comma-separated text, in the order the aggregates read the
 * rows (the same for both), which closesOf checks and restores. Text, not float8[]: PostgreSQL
 * prints a numeric faster than a float8, the client reads one string per asset instead of parsing
 * an array into a string per element, and a numeric's cast to float8 is its text read by strtod,
 * so the double read from the same text is the same.
 */
export function closesAggregate(sql: Sql, from: string, to: string, where: Fragment): Fragment {
  return sql`
    select m.asset_id::text as asset_id, string_agg((m.price_date - ${from}::date)::text, ',') as days,
      string_agg(m.closing_price::text, ',') as closes
    from market_data m
    where m.price_date between ${from}::date and ${to}::date and ${where}
    group by m.asset_id`;
}

export interface AggregatedCloses {
  asset_id: string;
  days: string;
  closes: string;
}

/** One asset's closes in date order, the days as epoch days (src/lib/dates.ts). */
export interface Closes {
  assetId: string;
  days: Int32Array;
  closes: Float64Array;
}

/** A row of closesAggregate over a window from epoch day `from`, as numbers, in date order. */
export function closesOf(row: AggregatedCloses, from: number): Closes {
  const days = new Int32Array(parseDecimalList(row.days));
  for (let i = 0; i < days.length; i++) days[i]! += from;
  const closes = parseDecimalList(row.closes);
  let ordered = true;
  for (let i = 1; i < days.length && ordered; i++) ordered = days[i]! > days[i - 1]!;
  if (ordered) return { assetId: row.asset_id, days, closes };
  const order = Array.from(days.keys()).sort((a, b) => days[a]! - days[b]!);
  return { assetId: row.asset_id, days: Int32Array.from(order, (i) => days[i]!), closes: Float64Array.from(order, (i) => closes[i]!) };
}

/** The index of the first day ≥ `day` (days ascending). */
export function firstAtOrAfter(days: Int32Array, day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (days[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}
