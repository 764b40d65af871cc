import type postgres from 'postgres';
import type { Viewer } from '../auth/viewer.js';

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * The bank's ADMIN sees and operates every account; any other token acts for the user its subject
 * names (procedures/accounts_visible_to.sql, accounts_operable_by.sql), and a token without one for
 * nobody.
 */
export function seesEverything(viewer: Viewer): boolean {
  return viewer.role === 'ADMIN';
}

/** The condition that keeps the accounts the viewer may see, on an account id column. */
export function visibleAccounts(sql: Sql, viewer: Viewer, column: postgres.Fragment): postgres.Fragment {
  if (seesEverything(viewer)) return sql`true`;
  if (viewer.subject === undefined) return sql`false`;
  return sql`${column} in (select v.account_id from accounts_visible_to(${viewer.subject}) v)`;
}

/** The condition that keeps the accounts the viewer may move money out of. */
export function operableAccounts(sql: Sql, viewer: Viewer, column: postgres.Fragment): postgres.Fragment {
  if (seesEverything(viewer)) return sql`true`;
  if (viewer.subject === undefined) return sql`false`;
  return sql`${column} in (select o.account_id from accounts_operable_by(${viewer.subject}) o)`;
}
