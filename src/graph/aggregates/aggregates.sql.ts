import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../../auth/viewer.js';
import { assetConditions } from '../asset/asset.sql.js';
import type { AssetFilter } from '../asset/asset.inputs.js';
import { OrderDirection } from '../common/enums.js';
import type { Fragment } from '../common/sql.js';
import { tradeConditions, type TradeCriteria } from '../trade/trade.sql.js';
import { AssetDimension, AssetGroupOrderField, TradeDimension, TradeGroupOrderField } from './aggregates.type.js';

/*
 * Every identifier and expression below is fixed here: a dimension, a measure or an order picks one
 * of these fragments by its enum value, and nothing a client sends is ever spliced into the SQL.
 */

/** asset_360 columns of the dimensions; the build's own copies, so that keys and filter agree. */
export const ASSET_DIMENSION_COLUMN: Record<AssetDimension, string> = {
  [AssetDimension.ASSET_TYPE]: 'a.asset_type',
  [AssetDimension.SECTOR]: 'a.sector',
  [AssetDimension.COUNTRY]: 'a.issuing_country',
  [AssetDimension.CURRENCY]: 'a.currency',
  [AssetDimension.RATING]: 'a.rating',
  [AssetDimension.STATUS]: 'a.status',
  [AssetDimension.RISK_CATEGORY]: 'a.risk_category',
  [AssetDimension.PERFORMANCE_CATEGORY]: 'a.performance_category',
  [AssetDimension.POSITION_SIZE]: 'a.position_size',
  [AssetDimension.ISSUER]: 'a.issuer',
};

type MeasureKind = 'decimal' | 'float' | 'int';

/** The measures of AssetGroup that aggregate one asset_360 column each, by field name. */
export const ASSET_MEASURES = {
  marketValueBase: { column: 'a.market_value_base', kind: 'decimal' },
  positionQuantity: { column: 'a.position_quantity', kind: 'decimal' },
  avgDailyReturn: { column: 'a.avg_daily_return', kind: 'float' },
  totalReturn: { column: 'a.total_return', kind: 'float' },
  avgVolatility: { column: 'a.avg_volatility', kind: 'float' },
  valueAtRisk: { column: 'a.value_at_risk', kind: 'float' },
  beta: { column: 'a.beta', kind: 'float' },
  sharpeRatio: { column: 'a.sharpe_ratio', kind: 'float' },
  activeViolations: { column: 'a.active_violations', kind: 'int' },
  totalTransactions: { column: 'a.total_transactions', kind: 'int' },
} as const satisfies Record<string, { column: string; kind: MeasureKind }>;

export type AssetMeasure = keyof typeof ASSET_MEASURES;
export const STATISTICS = ['sum', 'avg', 'min', 'max'] as const;

/** What orders by a measure reads: an output column of the statement, and the measure that yields it. */
const ASSET_ORDER: Record<Exclude<AssetGroupOrderField, AssetGroupOrderField.KEYS>, { alias: string; measure: AssetMeasure | null }> = {
  [AssetGroupOrderField.COUNT]: { alias: 'count', measure: null },
  [AssetGroupOrderField.MARKET_VALUE]: { alias: 'marketValueBase_sum', measure: 'marketValueBase' },
  [AssetGroupOrderField.POSITION_QUANTITY]: { alias: 'positionQuantity_sum', measure: 'positionQuantity' },
  [AssetGroupOrderField.AVG_TOTAL_RETURN]: { alias: 'totalReturn_avg', measure: 'totalReturn' },
  [AssetGroupOrderField.AVG_VOLATILITY]: { alias: 'avgVolatility_avg', measure: 'avgVolatility' },
  [AssetGroupOrderField.AVG_VALUE_AT_RISK]: { alias: 'valueAtRisk_avg', measure: 'valueAtRisk' },
  [AssetGroupOrderField.AVG_SHARPE_RATIO]: { alias: 'sharpeRatio_avg', measure: 'sharpeRatio' },
  [AssetGroupOrderField.ACTIVE_VIOLATIONS]: { alias: 'activeViolations_sum', measure: 'activeViolations' },
};

const TRADE_ORDER: Record<Exclude<TradeGroupOrderField, TradeGroupOrderField.KEYS>, string> = {
  [TradeGroupOrderField.COUNT]: 'count',
  [TradeGroupOrderField.QUANTITY]: 'quantity',
  [TradeGroupOrderField.GROSS_AMOUNT]: 'grossAmount',
  [TradeGroupOrderField.COSTS]: 'costs',
};

/**
 * Periods are calendar days, so the truncation runs on timestamp (no time zone) and comes back as a date.
 * Expressions are text spliced with sql.unsafe: they are fixed here, and a statement built from a few
 * text pieces costs far less than one of a few hundred postgres.js fragments (each an object, a
 * promise, and garbage), which was a good part of a request's time.
 */
const TRADE_DIMENSION: Record<TradeDimension, { expression: string; needsAsset: boolean; isDate?: true }> = {
  [TradeDimension.DAY]: { expression: 't.transaction_date', needsAsset: false, isDate: true },
  [TradeDimension.WEEK]: { expression: "date_trunc('week', t.transaction_date::timestamp)::date", needsAsset: false, isDate: true },
  [TradeDimension.MONTH]: { expression: "date_trunc('month', t.transaction_date::timestamp)::date", needsAsset: false, isDate: true },
  [TradeDimension.QUARTER]: { expression: "date_trunc('quarter', t.transaction_date::timestamp)::date", needsAsset: false, isDate: true },
  [TradeDimension.YEAR]: { expression: "date_trunc('year', t.transaction_date::timestamp)::date", needsAsset: false, isDate: true },
  [TradeDimension.PORTFOLIO]: { expression: 't.portfolio_id', needsAsset: false },
  [TradeDimension.ASSET]: { expression: 't.asset_id', needsAsset: false },
  [TradeDimension.ASSET_TYPE]: { expression: 'am.asset_type', needsAsset: true },
  [TradeDimension.SECTOR]: { expression: 'am.sector', needsAsset: true },
  [TradeDimension.COUNTRY]: { expression: 'am.issuing_country', needsAsset: true },
  [TradeDimension.CURRENCY]: { expression: 'am.currency', needsAsset: true },
  [TradeDimension.COUNTERPARTY]: { expression: 't.counterparty_id', needsAsset: false },
  [TradeDimension.TYPE]: { expression: 't.transaction_type', needsAsset: false },
};

export interface GroupRequest<TOrderField extends string> {
  rollup: boolean;
  orderBy: ReadonlyArray<{ field: TOrderField; direction: OrderDirection }>;
  first: number;
}

/** A group's row: the grouping bitmask, the keys k0… as text, and the measures. */
export interface GroupRow extends Record<string, unknown> {
  grouping: number;
}

/** An output column: its alias (an identifier of this file, quoted as is) and its SQL text. */
type Column = readonly [alias: string, expression: string];

interface Grouped {
  /** The key expressions over the source rows. */
  keys: readonly string[];
  /** Each key column (g0…) of the detail groups as the text the client gets. */
  text: (column: string, index: number) => string;
  /** FROM … WHERE … of the source rows, the only part with parameters. */
  source: Fragment;
  /** How many rows of the book a detail group stands for; count(*) when each source row is one. */
  rows?: string;
  /** Aggregates of the source rows per detail group: what `measures` reads, besides `n`, the rows. */
  partials: readonly Column[];
  /** The measures of a group from the partials of its detail groups; `total` sums an aggregate over the detail groups. */
  measures: (total: (aggregate: string) => string) => readonly Column[];
  /** Output columns to order by, in turn; null for the keys. */
  order: ReadonlyArray<{ alias: string | null; direction: OrderDirection }>;
  rollup: boolean;
  first: number;
}

function columns(entries: readonly Column[]): string {
  return entries.map(([alias, expression]) => `${expression} as "${alias}"`).join(', ');
}

function sorted(expression: string, direction: OrderDirection): string {
  return `${expression} ${direction === OrderDirection.DESC ? 'desc' : 'asc'} nulls last`;
}

/**
 * One statement in two steps. The detail groups of every key come from one pass over the source
 * rows; ROLLUP then adds up those few rows, not the source rows once per level (a 3-key rollup over
 * 10,000 assets costs a quarter as much). grouping() is a bitmask whose highest bit is the first key,
 * 1 where that key is a total. With rollup the totals come first (grand total, then each level of
 * subtotals) so that `first` never cuts them, then the requested order, then the keys.
 */
function groupedStatement(sql: Sql, { keys, text, source, rows = 'count(*)', partials, measures, order, rollup, first }: Grouped) {
  const detailKeys = keys.map((_, index) => `g${index}`);
  const keyList = detailKeys.join(', ');
  const bitmask = rollup ? `grouping(${keyList})` : '0';
  const byKeys = (direction: OrderDirection) => detailKeys.map((key) => sorted(key, direction));
  const orderBy = [
    ...(rollup ? ['grouping desc'] : []),
    ...order.flatMap(({ alias, direction }) => (alias === null ? byKeys(direction) : [sorted(`"${alias}"`, direction)])),
    ...(order.some(({ alias }) => alias === null) ? [] : byKeys(OrderDirection.ASC)),
  ];
  // The total of the rows the filter keeps: the sum over the detail groups only (bitmask 0).
  const total = (aggregate: string) =>
    rollup ? `sum(case when ${bitmask} = 0 then ${aggregate} end) over ()` : `sum(${aggregate}) over ()`;
  const detail = `${columns(keys.map((key, index) => [`g${index}`, key] as const))}, ${rows} as n, ${columns(partials)}`;
  const groups =
    `${bitmask} as grouping, ${columns(detailKeys.map((key, index) => [`k${index}`, text(key, index)] as const))}, ` +
    `sum(n)::int as count, (sum(n) / ${total('sum(n)')})::float8 as "countShare", ${columns(measures(total))}`;
  return sql<GroupRow[]>`
    with detail as (
      select ${sql.unsafe(detail)}
      ${source}
      group by ${sql.unsafe(keyList)}
    )
    select ${sql.unsafe(groups)}
    from detail
    group by ${sql.unsafe(rollup ? `rollup (${keyList})` : keyList)}
    having sum(n) > 0
    order by ${sql.unsafe(orderBy.join(', '))}
    limit ${first}`;
}

/**
 * The partials of one column, and its sum, mean, least and greatest from them: over the assets'
 * own rows, or over asset_360_cube's, which holds each column's sum, count, least and greatest
 * (db/0092_asset_360_cube.sql).
 */
function measureColumns(field: AssetMeasure, fromCube: boolean): { partials: Column[]; measures: Column[] } {
  const { column, kind } = ASSET_MEASURES[field];
  const partial = (name: string) => `"${field}_${name}"`;
  const sum = `sum(${partial('s')})`;
  // avg() is sum / count in numeric for numeric and integer columns, so these means are its own digits.
  const mean = `${sum} / nullif(sum(${partial('n')}), 0)`;
  return {
    partials: fromCube
      ? [
          [`${field}_s`, `sum(${column}_sum)`],
          [`${field}_n`, `sum(${column}_count)`],
          [`${field}_lo`, `min(${column}_min)`],
          [`${field}_hi`, `max(${column}_max)`],
        ]
      : [
          [`${field}_s`, `sum(${column})`],
          [`${field}_n`, `count(${column})`],
          [`${field}_lo`, `min(${column})`],
          [`${field}_hi`, `max(${column})`],
        ],
    measures: [
      // Integer sums travel as int, not as the bigint and numeric strings of PostgreSQL's sums.
      [`${field}_sum`, kind === 'int' ? `${sum}::int` : sum],
      [`${field}_avg`, kind === 'decimal' ? mean : `(${mean})::float8`],
      [`${field}_min`, `min(${partial('lo')})`],
      [`${field}_max`, `max(${partial('hi')})`],
    ],
  };
}

/** Whether asset_360_cube holds what a request groups and filters by: every dimension but the issuer, every filter but the search. */
function cubeAnswers(dimensions: readonly AssetDimension[], filter: AssetFilter | null | undefined): boolean {
  return !dimensions.includes(AssetDimension.ISSUER) && filter?.search == null;
}

export function assetGroupsQuery(
  sql: Sql,
  dimensions: readonly AssetDimension[],
  filter: AssetFilter | null | undefined,
  selected: ReadonlySet<AssetMeasure>,
  { rollup, orderBy, first }: GroupRequest<AssetGroupOrderField>,
) {
  // The market value feeds the share; an order by a measure needs it computed.
  const measures = new Set<AssetMeasure>([...selected, 'marketValueBase']);
  for (const { field } of orderBy)
    if (field !== AssetGroupOrderField.KEYS && ASSET_ORDER[field].measure) measures.add(ASSET_ORDER[field].measure!);
  const fromCube = cubeAnswers(dimensions, filter);
  const parts = [...measures].map((field) => measureColumns(field, fromCube));
  const marketValue = 'sum("marketValueBase_s")';
  // The filter is the assets query's, written over asset_master (m) and asset_360 (a): here m is the
  // build's own copy of those columns, a subquery without FROM that the planner folds away. Over the
  // cube, a's active_violations says only whether there are any, which is all the filter asks of it.
  const source = fromCube
    ? sql`
      from (select c.*, case when c.has_active_violations then 1 else 0 end as active_violations from asset_360_cube c) a
      cross join lateral (select a.asset_type, a.sector, a.issuing_country) m
      where ${assetConditions(sql, filter)}`
    : sql`
      from asset_360 a
      cross join lateral (select a.asset_id, a.asset_name, a.isin, a.asset_type, a.sector, a.issuing_country) m
      where ${assetConditions(sql, filter)}`;
  return groupedStatement(sql, {
    keys: dimensions.map((dimension) => ASSET_DIMENSION_COLUMN[dimension]),
    text: (column) => column,
    source,
    rows: fromCube ? 'sum(a.asset_count)' : 'count(*)',
    partials: parts.flatMap((part) => part.partials),
    measures: (total) => [
      ['marketValueShare', `(${marketValue} / nullif(${total(marketValue)}, 0))::float8`],
      ...parts.flatMap((part) => part.measures),
    ],
    order: orderBy.map(({ field, direction }) => ({
      alias: field === AssetGroupOrderField.KEYS ? null : ASSET_ORDER[field].alias,
      direction,
    })),
    rollup,
    first,
  });
}

export function tradeGroupsQuery(
  sql: Sql,
  dimensions: readonly TradeDimension[],
  criteria: TradeCriteria,
  viewer: Viewer,
  { rollup, orderBy, first }: GroupRequest<TradeGroupOrderField>,
) {
  const needsAsset = dimensions.some((dimension) => TRADE_DIMENSION[dimension].needsAsset);
  return groupedStatement(sql, {
    keys: dimensions.map((dimension) => TRADE_DIMENSION[dimension].expression),
    // Dates as ISO text (YYYY-MM-DD) whatever the session's DateStyle.
    text: (column, index) => (TRADE_DIMENSION[dimensions[index]!].isDate ? `to_char(${column}, 'YYYY-MM-DD')` : `${column}::text`),
    source: sql`
      from transactions t
      ${needsAsset ? sql`join asset_master am on am.asset_id = t.asset_id` : sql``}
      where ${tradeConditions(sql, criteria, viewer)}`,
    partials: [
      ['buys', "count(*) filter (where t.transaction_type = 'BUY')"],
      ['quantity_s', 'sum(t.quantity)'],
      ['net_s', "sum(case when t.transaction_type = 'BUY' then t.quantity else -t.quantity end)"],
      ['amount_s', 'sum(t.total_amount)'],
      ['costs_s', 'sum(t.transaction_costs)'],
      ['asset_lo', 'min(t.asset_id)'],
      ['asset_hi', 'max(t.asset_id)'],
    ],
    measures: () => [
      ['buyCount', 'sum(buys)::int'],
      ['sellCount', '(sum(n) - sum(buys))::int'],
      ['quantity', 'sum(quantity_s)'],
      ['netQuantity', 'sum(net_s)'],
      ['grossAmount', 'sum(amount_s)'],
      ['costs', 'sum(costs_s)'],
      ['vwap', 'case when min(asset_lo) = max(asset_hi) then sum(amount_s) / nullif(sum(quantity_s), 0) end'],
    ],
    order: orderBy.map(({ field, direction }) => ({ alias: field === TradeGroupOrderField.KEYS ? null : TRADE_ORDER[field], direction })),
    rollup,
    first,
  });
}
