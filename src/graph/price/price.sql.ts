import type { Sql } from '../../infra/db.js';
import { BadUserInputError } from '../../lib/errors.js';
import { isoDate } from '../common/arguments.js';
import type { Fragment } from '../common/sql.js';
import type { PricePoint } from './price.type.js';

/** A date range, both ends included; either may be open. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

/** The `from` and `to` arguments of a price list, checked; the error names `to`. */
export function dateRange(from: Date | null | undefined, to: Date | null | undefined): DateRange {
  const range: DateRange = { from: from ? isoDate(from) : null, to: to ? isoDate(to) : null };
  if (range.from && range.to && range.from > range.to) throw new BadUserInputError('to must not be before from', 'to');
  return range;
}

/** The expression of each field of the PricePoint type over `market_data md`, shared with SQL-compiled operations. */
export const PRICE_FIELDS: Readonly<Record<string, string>> = {
  date: 'md.price_date',
  open: 'md.opening_price',
  high: 'md.high_price',
  low: 'md.low_price',
  close: 'md.closing_price',
  volume: 'md.volume',
  bid: 'md.bid_price',
  ask: 'md.ask_price',
  yieldRate: 'md.yield_rate::float8',
  assetId: 'md.asset_id::text',
};
const PRICE_COLUMNS = Object.entries(PRICE_FIELDS)
  .map(([field, expression]) => `${expression} as "${field}"`)
  .join(', ');

/** The table price rows come from, as PRICE_FIELDS names it. */
export function priceSource(sql: Sql): Fragment {
  return sql`market_data md`;
}

/** Oldest first, within an asset. */
export const PRICE_ORDER = 'md.price_date';

/** The rows of market_data md in the range. */
export function priceRangeConditions(sql: Sql, { from, to }: DateRange): Fragment {
  return sql`${from ? sql`md.price_date >= ${from}::date` : sql`true`} and ${to ? sql`md.price_date <= ${to}::date` : sql`true`}`;
}

/** The market data of these assets in the range, by asset then oldest first. */
export function pricesOfAssets(sql: Sql, assetIds: readonly string[], range: DateRange): Promise<PricePoint[]> {
  return sql<PricePoint[]>`
    select ${sql.unsafe(PRICE_COLUMNS)}
    from ${priceSource(sql)}
    where md.asset_id = any(${assetIds}::bigint[]) and ${priceRangeConditions(sql, range)}
    order by md.asset_id, ${sql.unsafe(PRICE_ORDER)}`;
}
