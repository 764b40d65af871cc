import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { visibleAccounts } from '../../ledger/access.js';
import { parseId } from '../common/ids.js';
import { and, type Fragment } from '../common/sql.js';
import type { Account, AccountFilter } from './account.type.js';

export function accountColumns(sql: Sql): Fragment {
  return sql`a.account_id::text as id, a.name, a.kind, a.currency, a.overdraft_limit::text as "overdraftLimit", a.iban,
    a.opened_on as "openedOn", a.owner_user_id::text as "ownerUserId", a.owner_organization_id::text as "ownerOrganizationId",
    a.portfolio_id::text as "portfolioId"`;
}

/** The accounts the filter keeps, among those the viewer may see. */
export function accountCondition(sql: Sql, viewer: Viewer, filter: AccountFilter | null | undefined): Fragment {
  const conditions = [visibleAccounts(sql, viewer, sql`a.account_id`)];
  if (filter?.kind?.length) conditions.push(sql`a.kind = any(${filter.kind}::text[])`);
  if (filter?.currency?.length) conditions.push(sql`a.currency = any(${filter.currency}::text[])`);
  if (filter?.ownerUserId != null) conditions.push(sql`a.owner_user_id = ${parseId(filter.ownerUserId, 'filter.ownerUserId')}::bigint`);
  if (filter?.ownerOrganizationId != null) {
    conditions.push(sql`a.owner_organization_id = ${parseId(filter.ownerOrganizationId, 'filter.ownerOrganizationId')}::bigint`);
  }
  return and(sql, conditions);
}

export function accountsById(sql: Sql, viewer: Viewer, ids: readonly string[]): Promise<Account[]> {
  return sql<Account[]>`
    select ${accountColumns(sql)} from accounts a
    where a.account_id = any(${[...ids]}::bigint[]) and ${visibleAccounts(sql, viewer, sql`a.account_id`)}`;
}

/** The visible accounts of each owner, by id. */
export function accountsByOwner(sql: Sql, viewer: Viewer, owner: 'user' | 'organization', ownerIds: readonly string[]): Promise<Account[]> {
  const column = owner === 'user' ? sql`a.owner_user_id` : sql`a.owner_organization_id`;
  return sql<Account[]>`
    select ${accountColumns(sql)} from accounts a
    where ${column} = any(${[...ownerIds]}::bigint[]) and ${visibleAccounts(sql, viewer, sql`a.account_id`)}
    order by a.account_id`;
}

/**
 * The balance of each account at the end of a day: the sum of its legs up to and including it, read
 * from the (account_id, movement_date) index alone. Accounts the viewer may not see are not asked
 * for: only visible accounts reach this loader.
 */
export function balancesAsOf(sql: Sql, accountIds: readonly string[], asOf: string): Promise<Array<{ id: string; balance: string }>> {
  return sql<Array<{ id: string; balance: string }>>`
    select a.id::text as id, coalesce((
      select sum(m.amount) from cash_movements m where m.account_id = a.id and m.movement_date <= ${asOf}::date
    ), 0)::text as balance
    from unnest(${[...accountIds]}::bigint[]) as a(id)`;
}
