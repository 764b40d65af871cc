import type { Sql } from '../../infra/db.js';
import type { PricePoint } from './price.type.js';

/** A date range, both ends included; either may be open. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

/** The market data of these assets in the range, by asset then oldest first. */
export function pricesOfAssets(sql: Sql, assetIds: readonly string[], { from, to }: DateRange): Promise<PricePoint[]> {
  return sql<PricePoint[]>`
    select md.price_date as date, md.opening_price as open, md.high_price as high, md.low_price as low,
           md.closing_price as close, md.volume, md.bid_price as bid, md.ask_price as ask,
           md.yield_rate::float8 as "yieldRate", md.asset_id::text as "assetId"
    from market_data md
    where md.asset_id = any(${assetIds}::bigint[])
      and ${from ? sql`md.price_date >= ${from}::date` : sql`true`}
      and ${to ? sql`md.price_date <= ${to}::date` : sql`true`}
    order by md.asset_id, md.price_date`;
}
