import type { Sql } from '../../infra/db.js';
import { isoDate } from '../common/arguments.js';
import { loaderWithArgs } from '../common/batch.js';
import { BadUserInputError } from '../../lib/errors.js';
import type { PricePoint } from './price.type.js';

interface DateRange {
  from: string | null;
  to: string | null;
}

export function createPriceLoaders(sql: Sql) {
  const byAsset = loaderWithArgs<DateRange, PricePoint[]>(async (assetIds, { from, to }) => {
    const rows = await sql<PricePoint[]>`
      select md.price_date as date, md.opening_price as open, md.high_price as high, md.low_price as low,
             md.closing_price as close, md.volume, md.bid_price as bid, md.ask_price as ask,
             md.yield_rate::float8 as "yieldRate", md.asset_id::text as "assetId"
      from market_data md
      where md.asset_id = any(${assetIds}::bigint[])
        and ${from ? sql`md.price_date >= ${from}::date` : sql`true`}
        and ${to ? sql`md.price_date <= ${to}::date` : sql`true`}
      order by md.asset_id, md.price_date`;
    const byId = new Map<string, PricePoint[]>(assetIds.map((id) => [id, []]));
    for (const row of rows) byId.get(row.assetId)!.push(row);
    return assetIds.map((id) => byId.get(id)!);
  });

  return {
    /** The asset's market data from `from` to `to`, both included, oldest first. */
    between(assetId: string, from: Date | null | undefined, to: Date | null | undefined): Promise<PricePoint[]> {
      const range: DateRange = { from: from ? isoDate(from) : null, to: to ? isoDate(to) : null };
      if (range.from && range.to && range.from > range.to) throw new BadUserInputError('to must not be before from', 'to');
      return byAsset.load({ id: assetId, args: range });
    },
  };
}
