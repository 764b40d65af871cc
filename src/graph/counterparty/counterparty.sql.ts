import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import type { Counterparty } from './counterparty.type.js';

export function counterpartyColumns(sql: Sql): Fragment {
  return sql`c.counterparty_id::text as id, c.name, c.type, c.rating, c.country, c.status`;
}

export function counterpartiesById(sql: Sql, ids: readonly string[]): Promise<Counterparty[]> {
  return sql<Counterparty[]>`select ${counterpartyColumns(sql)} from counterparty_info c where c.counterparty_id = any(${ids}::bigint[])`;
}
