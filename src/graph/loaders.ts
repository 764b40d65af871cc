import type { Sql } from '../infra/db.js';
import { createAssetLoaders } from './asset/asset.loaders.js';

/** Fresh per request, so that no cached row outlives the request that read it. */
export function createLoaders(sql: Sql) {
  return {
    asset: createAssetLoaders(sql),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
