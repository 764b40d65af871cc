import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import { portfoliosById } from './portfolio.sql.js';

export function createPortfolioLoaders(sql: Sql, viewer: Viewer) {
  return {
    byId: loaderById((ids) => portfoliosById(sql, viewer, ids)),
  };
}
