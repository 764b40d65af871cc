import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { BadUserInputError } from '../../lib/errors.js';
import { visibleAccounts } from '../../ledger/access.js';
import { boundedText, isoDate } from '../common/arguments.js';
import { Keyset, type KeyValue } from '../common/keyset.js';
import { and, containsPattern, type Fragment } from '../common/sql.js';
import type { CashMovement, CashSection, MovementFilter } from './movement.type.js';

/** A MovementFilter validated, every key present so that equal filters serialize equally. */
export interface MovementCriteria {
  from: string | null;
  to: string | null;
  section: CashSection[] | null;
  category: string[] | null;
  search: string | null;
}

export function movementCriteria(filter: MovementFilter | null | undefined): MovementCriteria {
  const criteria: MovementCriteria = {
    from: filter?.from == null ? null : isoDate(filter.from),
    to: filter?.to == null ? null : isoDate(filter.to),
    section: filter?.section?.length ? [...filter.section].sort() : null,
    category: filter?.category?.length ? [...filter.category].sort() : null,
    search: filter?.search == null || filter.search === '' ? null : boundedText(filter.search, 'filter.search', 100),
  };
  if (criteria.from && criteria.to && criteria.from > criteria.to) {
    throw new BadUserInputError('filter.to must not be before filter.from', 'filter.to');
  }
  return criteria;
}

function movementConditions(sql: Sql, criteria: MovementCriteria): Fragment {
  const conditions: Fragment[] = [];
  if (criteria.from) conditions.push(sql`m.movement_date >= ${criteria.from}::date`);
  if (criteria.to) conditions.push(sql`m.movement_date <= ${criteria.to}::date`);
  if (criteria.section) conditions.push(sql`m.section = any(${criteria.section}::text[])`);
  if (criteria.category) conditions.push(sql`m.category = any(${criteria.category}::text[])`);
  if (criteria.search) {
    const pattern = containsPattern(criteria.search);
    conditions.push(
      sql`(m.description ilike ${pattern} or m.counterparty_name ilike ${pattern} or m.counterparty_account ilike ${pattern})`,
    );
  }
  return and(sql, conditions);
}

export function movementColumns(sql: Sql): Fragment {
  return sql`m.movement_id::text as id, m.movement_date as date, m.amount::text as amount, m.currency, m.section, m.category,
    m.description, m.counterparty_name as "counterpartyName", m.counterparty_account as "counterpartyAccount",
    m.external_id as "externalId", m.transfer_group::text as "transferGroup", m.fx_rate::text as "fxRate",
    m.trade_id::text as "tradeId", m.account_id::text as "accountId"`;
}

/** Newest first: the (account_id, movement_date, movement_id) index read backwards. */
export function movementKeyset(sql: Sql): Keyset {
  return new Keyset(sql, [
    { name: 'DATE', expression: sql`m.movement_date`, kind: 'date', direction: 'DESC', nullable: false },
    { name: 'ID', expression: sql`m.movement_id`, kind: 'id', direction: 'DESC', nullable: false },
  ]);
}

/**
 * The same page of each account's movements in one statement. The accounts are checked against the
 * viewer here too, so that no path reaches movements of an account it may not see.
 */
export async function movementRowsByAccount(
  sql: Sql,
  viewer: Viewer,
  accountIds: readonly string[],
  { first, after, criteria }: { first: number; after: KeyValue[] | null; criteria: MovementCriteria },
  keyset: Keyset,
): Promise<Record<string, unknown>[][]> {
  const rows = await sql<({ parentId: string } & Record<string, unknown>)[]>`
    select p.account_id::text as "parentId", m.*
    from unnest(${[...accountIds]}::bigint[]) as p(account_id)
    cross join lateral (
      select ${movementColumns(sql)}, ${keyset.columns()}
      from cash_movements m
      where m.account_id = p.account_id and ${visibleAccounts(sql, viewer, sql`m.account_id`)}
        and ${movementConditions(sql, criteria)} and ${keyset.after(after)}
      order by ${keyset.orderBy()}
      limit ${first + 1}
    ) m
    order by ${keyset.orderByColumns()}`;
  const byAccount = new Map<string, Record<string, unknown>[]>();
  for (const { parentId, ...row } of rows) {
    const list = byAccount.get(parentId);
    if (list) list.push(row);
    else byAccount.set(parentId, [row]);
  }
  return accountIds.map((id) => byAccount.get(id) ?? []);
}

export async function movementCountsByAccount(
  sql: Sql,
  viewer: Viewer,
  accountIds: readonly string[],
  criteria: MovementCriteria,
): Promise<number[]> {
  const rows = await sql<{ id: string; count: number }[]>`
    select p.account_id::text as id, count(m.movement_id)::int as count
    from unnest(${[...accountIds]}::bigint[]) as p(account_id)
    left join cash_movements m on m.account_id = p.account_id and ${visibleAccounts(sql, viewer, sql`m.account_id`)}
      and ${movementConditions(sql, criteria)}
    group by p.account_id`;
  const byId = new Map(rows.map((row) => [row.id, row.count]));
  return accountIds.map((id) => byId.get(id) ?? 0);
}

export function movementsById(sql: Sql, viewer: Viewer, ids: readonly string[]): Promise<CashMovement[]> {
  return sql<CashMovement[]>`
    select ${movementColumns(sql)} from cash_movements m
    where m.movement_id = any(${[...ids]}::bigint[]) and ${visibleAccounts(sql, viewer, sql`m.account_id`)}
    order by m.amount, m.movement_id`;
}
