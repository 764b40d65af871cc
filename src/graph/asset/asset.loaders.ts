import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import { assetColumns, assetSource } from './asset.sql.js';
import type { Asset } from './asset.type.js';

export function createAssetLoaders(sql: Sql) {
  return {
    byId: loaderById(
      (ids) => sql<Asset[]>`
      select ${assetColumns(sql)}
      from ${assetSource(sql)}
      where m.asset_id = any(${ids}::bigint[])`,
    ),
  };
}
