import type { Sql } from '../../infra/db.js';
import type { Account } from '../account/account.type.js';
import { accountColumns } from '../account/account.sql.js';
import type { CashMovement } from '../ledger/movement.type.js';
import { movementColumns } from '../ledger/movement.sql.js';
import type { AccountAlert, CategoryTotal, OwnerTotal } from './bank.type.js';

/*
 * The bank ADMIN's overview reads every account: it is reached only with the ADMIN role, which sees
 * everything, so these statements carry no visibility condition.
 */

export interface Period {
  asOf: string;
  from: string;
}

/** Every owner of one kind with its balances by currency and their total in the base currency. */
export function ownerTotals(sql: Sql, owner: 'user' | 'organization', { asOf }: Period): Promise<OwnerTotal[]> {
  const ownerColumn = owner === 'user' ? sql`a.owner_user_id` : sql`a.owner_organization_id`;
  const nameOf =
    owner === 'user'
      ? sql`(select u.name from users u where u.user_id = o.owner_id)`
      : sql`(select g.name from organizations g where g.organization_id = o.owner_id)`;
  return sql<OwnerTotal[]>`
    with balances as (
      select ${ownerColumn} as owner_id, a.currency, count(*)::int as accounts,
        coalesce(sum((select sum(m.amount) from cash_movements m where m.account_id = a.account_id and m.movement_date <= ${asOf}::date)), 0) as balance
      from accounts a
      where ${ownerColumn} is not null
      group by 1, 2
    ),
    owners as (
      select b.owner_id, sum(b.accounts)::int as accounts,
        json_agg(json_build_object('currency', b.currency, 'amount', b.balance::text) order by b.currency) as balances,
        round(sum(b.balance * fx_rate_between(b.currency, (select base_currency from asset_360_settings), ${asOf}::date)), 2) as total_base
      from balances b
      group by b.owner_id
    )
    select ${nameOf} as name, o.accounts, o.balances, o.total_base::text as "totalBase",
      ${owner === 'user' ? sql`o.owner_id::text` : sql`null`} as "ownerUserId",
      ${owner === 'organization' ? sql`o.owner_id::text` : sql`null`} as "ownerOrganizationId"
    from owners o
    order by o.total_base desc nulls last, name`;
}

export async function accountsAtRisk(sql: Sql, { asOf }: Period, nearLimitShare: number, top: number): Promise<AccountAlert[]> {
  const rows = await sql<(Account & { balance: string; headroom: string })[]>`
    select ${accountColumns(sql)}, b.balance::text as balance, (b.balance + a.overdraft_limit)::text as headroom
    from accounts a
    cross join lateral (
      select coalesce(sum(m.amount), 0) as balance from cash_movements m where m.account_id = a.account_id and m.movement_date <= ${asOf}::date
    ) b
    where b.balance < 0 or (a.overdraft_limit > 0 and b.balance + a.overdraft_limit < ${nearLimitShare}::numeric * a.overdraft_limit)
    order by b.balance + a.overdraft_limit, a.account_id
    limit ${top}`;
  return rows.map(({ balance, headroom, ...account }) => ({ account, balance, headroom }));
}

export function largestOutflows(sql: Sql, { asOf, from }: Period, top: number): Promise<CashMovement[]> {
  return sql<CashMovement[]>`
    select ${movementColumns(sql)}
    from cash_movements m
    where m.amount < 0 and m.movement_date between ${from}::date and ${asOf}::date
    order by -m.amount * coalesce(fx_rate_between(m.currency, (select base_currency from asset_360_settings), m.movement_date), 0) desc,
      m.movement_id
    limit ${top}`;
}

export function topCategories(sql: Sql, { asOf, from }: Period, top: number): Promise<CategoryTotal[]> {
  return sql<CategoryTotal[]>`
    select m.category,
      round(-sum(m.amount * fx_rate_between(m.currency, (select base_currency from asset_360_settings), m.movement_date)), 2)::text as "amountBase",
      count(*)::int as count
    from cash_movements m
    where m.section = 'EXPENSE' and m.movement_date between ${from}::date and ${asOf}::date
    group by m.category
    having sum(m.amount) < 0
    order by -sum(m.amount * fx_rate_between(m.currency, (select base_currency from asset_360_settings), m.movement_date)) desc nulls last,
      m.category nulls last
    limit ${top}`;
}

export async function baseCurrency(sql: Sql): Promise<string> {
  const [row] = await sql<[{ currency: string }]>`select base_currency as currency from asset_360_settings`;
  return row.currency;
}
