import type { Sql } from '../../infra/db.js';
import { loaderWithArgs } from '../common/batch.js';
import { dateRange, pricesOfAssets, type DateRange } from './price.sql.js';
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
      return byAsset.load({ id: assetId, args: dateRange(from, to) });
    },
  };
}
