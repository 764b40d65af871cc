import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { visibleAccounts } from '../../ledger/access.js';
import type { Fragment } from '../common/sql.js';
import type { CashFlowInterval, CashFlowPeriod, CategorySpending } from './cash-analytics.type.js';

/** The accounts a question covers: those the viewer sees, narrowed to the ids asked for. */
function selectedAccounts(sql: Sql, viewer: Viewer, accountIds: readonly string[] | null, column: Fragment): Fragment {
  const visible = visibleAccounts(sql, viewer, column);
  return accountIds === null ? visible : sql`(${visible} and ${column} = any(${[...accountIds]}::bigint[]))`;
}

/** Spending by category and currency: EXPENSE legs, largest first within each currency. */
export function spendingByCategory(
  sql: Sql,
  viewer: Viewer,
  { from, to, accountIds }: { from: string; to: string; accountIds: string[] | null },
): Promise<CategorySpending[]> {
  return sql<CategorySpending[]>`
    select m.category, m.currency, (-sum(m.amount))::text as amount, count(*)::int as count
    from cash_movements m
    where m.section = 'EXPENSE' and m.movement_date between ${from}::date and ${to}::date
      and ${selectedAccounts(sql, viewer, accountIds, sql`m.account_id`)}
    group by m.category, m.currency
    order by m.currency, -sum(m.amount) desc, m.category nulls last`;
}

/**
 * Inflow and outflow per period and currency, every period of the range present (zeros included)
 * for each currency that moved. A transfer whose legs are all in the covered accounts moves nothing
 * in or out of them, so its legs are left out.
 */
export function cashFlow(
  sql: Sql,
  viewer: Viewer,
  { from, to, accountIds, interval }: { from: string; to: string; accountIds: string[] | null; interval: CashFlowInterval },
): Promise<CashFlowPeriod[]> {
  const unit = interval === 'WEEK' ? 'week' : 'month';
  return sql<CashFlowPeriod[]>`
    with covered as (
      select a.account_id from accounts a where ${selectedAccounts(sql, viewer, accountIds, sql`a.account_id`)}
    ),
    legs as (
      select date_trunc(${unit}, m.movement_date)::date as start, m.currency, m.amount
      from cash_movements m
      join covered c on c.account_id = m.account_id
      where m.movement_date between ${from}::date and ${to}::date
        and (m.transfer_group is null or exists (
          select from cash_movements o
          where o.transfer_group = m.transfer_group and o.account_id not in (select account_id from covered)))
    ),
    periods as (
      select generate_series(date_trunc(${unit}, ${from}::date), ${to}::date, ('1 ' || ${unit})::interval)::date as start
    )
    select p.start, c.currency,
      coalesce(sum(l.amount) filter (where l.amount > 0), 0)::text as inflow,
      coalesce(-sum(l.amount) filter (where l.amount < 0), 0)::text as outflow,
      coalesce(sum(l.amount), 0)::text as net,
      count(l.amount)::int as count
    from periods p
    cross join (select distinct currency from legs) c
    left join legs l on l.start = p.start and l.currency = c.currency
    group by p.start, c.currency
    order by p.start, c.currency`;
}
