import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';
import type { Counterparty } from './counterparty.type.js';

/** The expression of each field of the Counterparty type over `counterparty_info c`, shared with SQL-compiled operations. */
export const COUNTERPARTY_FIELDS: Readonly<Record<string, string>> = {
  id: 'c.counterparty_id::text',
  name: 'c.name',
  type: 'c.type',
  rating: 'c.rating',
  country: 'c.country',
  status: 'c.status',
};
const COUNTERPARTY_COLUMNS = Object.entries(COUNTERPARTY_FIELDS)
  .map(([field, expression]) => `${expression} as "${field}"`)
  .join(', ');

export function counterpartyColumns(sql: Sql): Fragment {
  return sql.unsafe(COUNTERPARTY_COLUMNS);
}

/** The counterparty with the given id (a parameter or a column of an enclosing query). */
export function counterpartyWithId(sql: Sql, id: Fragment): { from: Fragment; where: Fragment } {
  return { from: sql`counterparty_info c`, where: sql`c.counterparty_id = ${id}` };
}

export function counterpartiesById(sql: Sql, ids: readonly string[]): Promise<Counterparty[]> {
  const { from, where } = counterpartyWithId(sql, sql`any(${ids}::bigint[])`);
  return sql<Counterparty[]>`select ${counterpartyColumns(sql)} from ${from} where ${where}`;
}
