import type { Sql } from '../../infra/db.js';
import { BadUserInputError } from '../../lib/errors.js';
import { isoDate } from '../common/arguments.js';
import { loaderWithArgs } from '../common/batch.js';
import { pricesOfAssets, type DateRange } from './price.sql.js';
import type { PricePoint } from './price.type.js';

export function createPriceLoaders(sql: Sql) {
  const byAsset = loaderWithArgs<DateRange, PricePoint[]>(async (assetIds, range) => {
    const rows = await pricesOfAssets(sql, assetIds, range);
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
