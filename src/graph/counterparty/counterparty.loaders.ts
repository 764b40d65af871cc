import type { Sql } from '../../infra/db.js';
import { loaderById } from '../common/batch.js';
import type { Fragment } from '../common/sql.js';
import type { Counterparty } from './counterparty.type.js';

export function counterpartyColumns(sql: Sql): Fragment {
  return sql`c.counterparty_id::text as id, c.name, c.type, c.rating, c.country, c.status`;
}

export function createCounterpartyLoaders(sql: Sql) {
  return {
    byId: loaderById(
      (ids) => sql<Counterparty[]>`
      select ${counterpartyColumns(sql)} from counterparty_info c where c.counterparty_id = any(${ids}::bigint[])`,
    ),
  };
}
