import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import { counterpartiesById } from './counterparty.sql.js';

export function createCounterpartyLoaders(sql: Sql) {
  return {
    byId: loaderById((ids) => counterpartiesById(sql, ids)),
  };
}
