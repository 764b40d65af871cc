import type { Sql } from '../../infra/db.js';
import { isoDate } from '../common/arguments.js';
import type { Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { Keyset, rootConnection, type KeyValue } from '../common/keyset.js';
import { and, type Fragment } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Viewer } from '../../auth/viewer.js';
import { BadUserInputError } from '../../lib/errors.js';
import type { Trade, TradeArgs, TradeFilter, TradeType } from './trade.type.js';

/** A TradeFilter validated, with every key present so that equal filters serialize equally. */
export interface TradeCriteria {
  assetId: string | null;
  portfolioId: string | null;
  counterpartyId: string | null;
  type: TradeType | null;
  dateFrom: string | null;
  dateTo: string | null;
}

export function tradeCriteria(filter: TradeFilter | null | undefined): TradeCriteria {
  const criteria: TradeCriteria = {
    assetId: filter?.assetId == null ? null : parseId(filter.assetId, 'filter.assetId'),
    portfolioId: filter?.portfolioId == null ? null : parseId(filter.portfolioId, 'filter.portfolioId'),
    counterpartyId: filter?.counterpartyId == null ? null : parseId(filter.counterpartyId, 'filter.counterpartyId'),
    type: filter?.type ?? null,
    dateFrom: filter?.dateFrom == null ? null : isoDate(filter.dateFrom),
    dateTo: filter?.dateTo == null ? null : isoDate(filter.dateTo),
  };
  if (criteria.dateFrom && criteria.dateTo && criteria.dateFrom > criteria.dateTo) {
    throw new BadUserInputError('filter.dateTo must not be before filter.dateFrom', 'filter.dateTo');
  }
  return criteria;
}

/** The filter's conditions, and only the trades of the portfolios the viewer may see. */
export function tradeConditions(sql: Sql, criteria: TradeCriteria, viewer: Viewer): Fragment {
  const conditions: Fragment[] = [visiblePortfolios(sql, viewer, sql`t.portfolio_id`)];
  if (criteria.assetId) conditions.push(sql`t.asset_id = ${criteria.assetId}::bigint`);
  if (criteria.portfolioId) conditions.push(sql`t.portfolio_id = ${criteria.portfolioId}::bigint`);
  if (criteria.counterpartyId) conditions.push(sql`t.counterparty_id = ${criteria.counterpartyId}::bigint`);
  if (criteria.type) conditions.push(sql`t.transaction_type = ${criteria.type}`);
  if (criteria.dateFrom) conditions.push(sql`t.transaction_date >= ${criteria.dateFrom}::date`);
  if (criteria.dateTo) conditions.push(sql`t.transaction_date <= ${criteria.dateTo}::date`);
  return and(sql, conditions);
}

/**
 * The expression of each field of a trade row over `transactions t`, for the resolvers' rows and the
 * SQL-compiled operations alike; the ids of the parents ride along for the field resolvers.
 */
export const TRADE_FIELDS: Readonly<Record<string, string>> = {
  id: 't.transaction_id::text',
  date: 't.transaction_date',
  type: 't.transaction_type',
  quantity: 't.quantity',
  price: 't.price',
  totalAmount: 't.total_amount',
  costs: 't.transaction_costs',
  assetId: 't.asset_id::text',
  portfolioId: 't.portfolio_id::text',
  counterpartyId: 't.counterparty_id::text',
};
const TRADE_COLUMNS = Object.entries(TRADE_FIELDS)
  .map(([field, expression]) => `${expression} as "${field}"`)
  .join(', ');

export function tradeColumns(sql: Sql): Fragment {
  return sql.unsafe(TRADE_COLUMNS);
}

const tradeKeysets = new WeakMap<Sql, Keyset>();

/** Newest first; the indexes on transactions end with (transaction_date desc, transaction_id desc). One per pool. */
export function tradeKeyset(sql: Sql): Keyset {
  let keyset = tradeKeysets.get(sql);
  if (!keyset) {
    keyset = newTradeKeyset(sql);
    tradeKeysets.set(sql, keyset);
  }
  return keyset;
}

function newTradeKeyset(sql: Sql): Keyset {
  return new Keyset(sql, [
    { name: 'DATE', expression: sql`t.transaction_date`, kind: 'date', direction: 'DESC', nullable: false },
    { name: 'ID', expression: sql`t.transaction_id`, kind: 'id', direction: 'DESC', nullable: false },
  ]);
}

export type TradeParent = 'asset' | 'portfolio' | 'counterparty';

/** The column of a trade that names its parent of each kind. */
export const TRADE_PARENT_COLUMN: Readonly<Record<TradeParent, string>> = {
  asset: 't.asset_id',
  portfolio: 't.portfolio_id',
  counterparty: 't.counterparty_id',
};

/** The table trade rows come from, as TRADE_FIELDS names it. */
export function tradeSource(sql: Sql): Fragment {
  return sql`transactions t`;
}

/** The root list: every visible trade matching the filter, newest first. */
export function tradePage(sql: Sql, args: TradeArgs, viewer: Viewer): Promise<Page<Trade>> {
  return rootConnection(sql, {
    keyset: tradeKeyset(sql),
    args,
    columns: tradeColumns(sql),
    from: tradeSource(sql),
    where: tradeConditions(sql, tradeCriteria(args.filter), viewer),
  });
}

export async function tradeById(sql: Sql, id: string): Promise<Trade | undefined> {
  const [trade] = await sql<Trade[]>`select ${tradeColumns(sql)} from ${tradeSource(sql)} where t.transaction_id = ${id}::bigint`;
  return trade;
}

/** How many visible trades match, for each parent. */
export async function tradeCountsByParent(
  sql: Sql,
  parent: TradeParent,
  parentIds: readonly string[],
  criteria: TradeCriteria,
  viewer: Viewer,
): Promise<number[]> {
  const rows = await sql<{ parentId: string; count: number }[]>`
      select p.parent_id::text as "parentId", count(t.transaction_id)::int as count
      from unnest(${parentIds}::bigint[]) as p(parent_id)
      left join transactions t on ${sql(TRADE_PARENT_COLUMN[parent])} = p.parent_id and ${tradeConditions(sql, criteria, viewer)}
      group by p.parent_id`;
  const byParent = new Map(rows.map((row) => [row.parentId, row.count]));
  return parentIds.map((id) => byParent.get(id) ?? 0);
}

/**
 * The same page of each parent's trades in one statement: the LATERAL subquery reads each parent's
 * page from the (parent, transaction_date desc, transaction_id desc) index. Rows carry the keyset's columns.
 */
export async function tradeRowsByParent(
  sql: Sql,
  parent: TradeParent,
  parentIds: readonly string[],
  { first, after, criteria }: { first: number; after: KeyValue[] | null; criteria: TradeCriteria },
  viewer: Viewer,
  keyset: Keyset,
): Promise<Record<string, unknown>[][]> {
  const rows = await sql<({ parentId: string } & Record<string, unknown>)[]>`
      select p.parent_id::text as "parentId", t.*
      from unnest(${parentIds}::bigint[]) as p(parent_id)
      cross join lateral (
        select ${tradeColumns(sql)}, ${keyset.columns()}
        from ${tradeSource(sql)}
        where ${sql(TRADE_PARENT_COLUMN[parent])} = p.parent_id and ${tradeConditions(sql, criteria, viewer)} and ${keyset.after(after)}
        order by ${keyset.orderBy()}
        limit ${first + 1}
      ) t
      order by ${keyset.orderByColumns()}`;
  const byParent = new Map<string, Record<string, unknown>[]>();
  for (const { parentId, ...row } of rows) {
    const list = byParent.get(parentId);
    if (list) list.push(row);
    else byParent.set(parentId, [row]);
  }
  return parentIds.map((id) => byParent.get(id) ?? []);
}
