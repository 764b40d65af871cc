import type { Sql } from '../../infra/db.js';
import { loaderOfLists } from '../common/batch.js';
import { violationsOfAssets } from './violation.sql.js';

export function createViolationLoaders(sql: Sql) {
  return {
    byAsset: loaderOfLists(
      (assetIds) => violationsOfAssets(sql, assetIds),
      (violation) => violation.assetId,
    ),
  };
}
