import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import { assetsById } from './asset.sql.js';

export function createAssetLoaders(sql: Sql) {
  return {
    byId: loaderById((ids) => assetsById(sql, ids)),
  };
}
