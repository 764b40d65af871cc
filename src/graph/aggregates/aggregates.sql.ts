import type { Sql } from '../../infra/db.js';
import type { Viewer } from '../auth.js';
import { assetConditions } from '../asset/asset.sql.js';
import type { AssetFilter } from '../asset/asset.inputs.js';
import { OrderDirection } from '../common/enums.js';
import { join, type Fragment } from '../common/sql.js';
import { tradeConditions, type TradeCriteria } from '../trade/trade.loaders.js';
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

function statistic(sql: Sql, column: Fragment, kind: MeasureKind, name: (typeof STATISTICS)[number]): Fragment {
  // bigint and numeric travel as strings: the int sums are cast back to int, the int means to float.
  const value =
    name === 'sum'
      ? sql`sum(${column})`
      : name === 'avg'
        ? sql`avg(${column})`
        : name === 'min'
          ? sql`min(${column})`
          : sql`max(${column})`;
  if (kind === 'int') return name === 'avg' ? sql`${value}::float8` : sql`${value}::int`;
  return value;
}

const ASSET_ORDER: Record<Exclude<AssetGroupOrderField, AssetGroupOrderField.KEYS>, (sql: Sql) => Fragment> = {
  [AssetGroupOrderField.COUNT]: (sql) => sql`count(*)`,
  [AssetGroupOrderField.MARKET_VALUE]: (sql) => sql`sum(a.market_value_base)`,
  [AssetGroupOrderField.POSITION_QUANTITY]: (sql) => sql`sum(a.position_quantity)`,
  [AssetGroupOrderField.AVG_TOTAL_RETURN]: (sql) => sql`avg(a.total_return)`,
  [AssetGroupOrderField.AVG_VOLATILITY]: (sql) => sql`avg(a.avg_volatility)`,
  [AssetGroupOrderField.AVG_VALUE_AT_RISK]: (sql) => sql`avg(a.value_at_risk)`,
  [AssetGroupOrderField.AVG_SHARPE_RATIO]: (sql) => sql`avg(a.sharpe_ratio)`,
  [AssetGroupOrderField.ACTIVE_VIOLATIONS]: (sql) => sql`sum(a.active_violations)`,
};

const TRADE_ORDER: Record<Exclude<TradeGroupOrderField, TradeGroupOrderField.KEYS>, (sql: Sql) => Fragment> = {
  [TradeGroupOrderField.COUNT]: (sql) => sql`count(*)`,
  [TradeGroupOrderField.QUANTITY]: (sql) => sql`sum(t.quantity)`,
  [TradeGroupOrderField.GROSS_AMOUNT]: (sql) => sql`sum(t.total_amount)`,
  [TradeGroupOrderField.COSTS]: (sql) => sql`sum(t.transaction_costs)`,
};

/** Periods are calendar days, so the truncation runs on timestamp (no time zone) and comes back as a date. */
const TRADE_DIMENSION: Record<TradeDimension, { expression: (sql: Sql) => Fragment; needsAsset: boolean; isDate?: true }> = {
  [TradeDimension.DAY]: { expression: (sql) => sql`t.transaction_date`, needsAsset: false, isDate: true },
  [TradeDimension.WEEK]: {
    expression: (sql) => sql`date_trunc('week', t.transaction_date::timestamp)::date`,
    needsAsset: false,
    isDate: true,
  },
  [TradeDimension.MONTH]: {
    expression: (sql) => sql`date_trunc('month', t.transaction_date::timestamp)::date`,
    needsAsset: false,
    isDate: true,
  },
  [TradeDimension.QUARTER]: {
    expression: (sql) => sql`date_trunc('quarter', t.transaction_date::timestamp)::date`,
    needsAsset: false,
    isDate: true,
  },
  [TradeDimension.YEAR]: {
    expression: (sql) => sql`date_trunc('year', t.transaction_date::timestamp)::date`,
    needsAsset: false,
    isDate: true,
  },
  [TradeDimension.PORTFOLIO]: { expression: (sql) => sql`t.portfolio_id`, needsAsset: false },
  [TradeDimension.ASSET]: { expression: (sql) => sql`t.asset_id`, needsAsset: false },
  [TradeDimension.ASSET_TYPE]: { expression: (sql) => sql`am.asset_type`, needsAsset: true },
  [TradeDimension.SECTOR]: { expression: (sql) => sql`am.sector`, needsAsset: true },
  [TradeDimension.COUNTRY]: { expression: (sql) => sql`am.issuing_country`, needsAsset: true },
  [TradeDimension.CURRENCY]: { expression: (sql) => sql`am.currency`, needsAsset: true },
  [TradeDimension.COUNTERPARTY]: { expression: (sql) => sql`t.counterparty_id`, needsAsset: false },
  [TradeDimension.TYPE]: { expression: (sql) => sql`t.transaction_type`, needsAsset: false },
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

function keyAlias(index: number): string {
  return `k${index}`;
}

/**
 * The parts every grouped statement shares: GROUP BY (plain or ROLLUP), grouping() as a bitmask
 * whose highest bit is the first key (1 where that key is a total), and the ORDER BY: with rollup the
 * totals come first (grand total, then each level of subtotals), so that `first` never cuts them,
 * then the requested order, then the keys.
 */
function grouping(
  sql: Sql,
  keys: readonly Fragment[],
  /** Each key as the text the client gets. */
  texts: readonly Fragment[],
  rollup: boolean,
  order: ReadonlyArray<{ expression: Fragment | null; direction: OrderDirection }>,
) {
  const list = join(sql, keys, ', ');
  const bitmask = rollup ? sql`grouping(${list})` : sql`0`;
  const keyOrder = (direction: OrderDirection) =>
    join(
      sql,
      keys.map((_, index) =>
        direction === OrderDirection.DESC ? sql`${sql(keyAlias(index))} desc nulls last` : sql`${sql(keyAlias(index))} asc nulls last`,
      ),
      ', ',
    );
  const orders = order.map(({ expression, direction }) =>
    expression === null
      ? keyOrder(direction)
      : direction === OrderDirection.DESC
        ? sql`${expression} desc nulls last`
        : sql`${expression} asc nulls last`,
  );
  return {
    bitmask,
    keys: join(
      sql,
      texts.map((text, index) => sql`${text} as ${sql(keyAlias(index))}`),
      ', ',
    ),
    // ROLLUP yields a grand total even of no rows; the HAVING count(*) > 0 of each statement drops it.
    groupBy: rollup ? sql`rollup (${list})` : list,
    /** The sum over the detail groups of an aggregate: the total of the rows the filter keeps. */
    total: (aggregate: Fragment) =>
      rollup ? sql`sum(case when ${bitmask} = 0 then ${aggregate} end) over ()` : sql`sum(${aggregate}) over ()`,
    orderBy: join(sql, [...(rollup ? [sql`grouping desc`] : []), ...orders, keyOrder(OrderDirection.ASC)], ', '),
  };
}

export function assetGroupsQuery(
  sql: Sql,
  dimensions: readonly AssetDimension[],
  filter: AssetFilter | null | undefined,
  measures: ReadonlySet<AssetMeasure>,
  { rollup, orderBy, first }: GroupRequest<AssetGroupOrderField>,
) {
  const keys = dimensions.map((dimension) => sql`${sql(ASSET_DIMENSION_COLUMN[dimension])}`);
  const parts = grouping(
    sql,
    keys,
    keys,
    rollup,
    orderBy.map(({ field, direction }) => ({
      expression: field === AssetGroupOrderField.KEYS ? null : ASSET_ORDER[field](sql),
      direction,
    })),
  );
  const measureColumns = [...measures].flatMap((field) => {
    const { column, kind } = ASSET_MEASURES[field];
    return STATISTICS.map((name) => sql`${statistic(sql, sql`${sql(column)}`, kind, name)} as ${sql(`${field}_${name}`)}`);
  });
  const marketValue = sql`sum(a.market_value_base)`;
  // The filter is the assets query's, written over asset_master (m): here m is the build's own copy
  // of those columns, a subquery without FROM that the planner folds away.
  return sql<GroupRow[]>`
    select ${parts.bitmask} as grouping, ${parts.keys},
           count(*)::int as count,
           (count(*) / ${parts.total(sql`count(*)`)})::float8 as "countShare",
           (${marketValue} / nullif(${parts.total(marketValue)}, 0))::float8 as "marketValueShare"
           ${measureColumns.length ? sql`, ${join(sql, measureColumns, ', ')}` : sql``}
    from asset_360 a
    cross join lateral (select a.asset_id, a.asset_name, a.isin, a.asset_type, a.sector, a.issuing_country) m
    where ${assetConditions(sql, filter)}
    group by ${parts.groupBy}
    having count(*) > 0
    order by ${parts.orderBy}
    limit ${first}`;
}

export function tradeGroupsQuery(
  sql: Sql,
  dimensions: readonly TradeDimension[],
  criteria: TradeCriteria,
  viewer: Viewer,
  { rollup, orderBy, first }: GroupRequest<TradeGroupOrderField>,
) {
  const keys = dimensions.map((dimension) => TRADE_DIMENSION[dimension].expression(sql));
  // Dates as ISO text (YYYY-MM-DD) whatever the session's DateStyle.
  const texts = dimensions.map((dimension, index) =>
    TRADE_DIMENSION[dimension].isDate ? sql`to_char(${keys[index]!}, 'YYYY-MM-DD')` : sql`${keys[index]!}::text`,
  );
  const parts = grouping(
    sql,
    keys,
    texts,
    rollup,
    orderBy.map(({ field, direction }) => ({
      expression: field === TradeGroupOrderField.KEYS ? null : TRADE_ORDER[field](sql),
      direction,
    })),
  );
  const needsAsset = dimensions.some((dimension) => TRADE_DIMENSION[dimension].needsAsset);
  return sql<GroupRow[]>`
    select ${parts.bitmask} as grouping, ${parts.keys},
           count(*)::int as count,
           (count(*) filter (where t.transaction_type = 'BUY'))::int as "buyCount",
           (count(*) filter (where t.transaction_type = 'SELL'))::int as "sellCount",
           sum(t.quantity) as quantity,
           sum(case when t.transaction_type = 'BUY' then t.quantity else -t.quantity end) as "netQuantity",
           sum(t.total_amount) as "grossAmount",
           sum(t.transaction_costs) as costs,
           case when min(t.asset_id) = max(t.asset_id) then sum(t.total_amount) / nullif(sum(t.quantity), 0) end as vwap
    from transactions t
    ${needsAsset ? sql`join asset_master am on am.asset_id = t.asset_id` : sql``}
    where ${tradeConditions(sql, criteria, viewer)}
    group by ${parts.groupBy}
    having count(*) > 0
    order by ${parts.orderBy}
    limit ${first}`;
}
