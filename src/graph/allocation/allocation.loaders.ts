import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { loaderOfLists } from '../common/batch.js';
import { allocationsOfAssets, allocationsOfPortfolios } from './allocation.sql.js';

export function createAllocationLoaders(sql: Sql, viewer: Viewer) {
  return {
    byAsset: loaderOfLists(
      (assetIds) => allocationsOfAssets(sql, viewer, assetIds),
      (allocation) => allocation.assetId,
    ),
    byPortfolio: loaderOfLists(
      (portfolioIds) => allocationsOfPortfolios(sql, viewer, portfolioIds),
      (allocation) => allocation.portfolioId,
    ),
  };
}
