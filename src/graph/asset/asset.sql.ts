import type { Sql } from '../../infra/db.js';
import type { Asset } from './asset.type.js';
import { boundedText } from '../common/arguments.js';
import { OrderDirection } from '../common/enums.js';
import type { SortKey } from '../common/keyset.js';
import { and, containsPattern, type Fragment } from '../common/sql.js';
import { BadUserInputError } from '../../lib/errors.js';
import { AssetOrderField, type AssetFilter, type AssetOrder } from './asset.inputs.js';

/** Every asset, built or not: asset_360 columns are null for an asset the current build lacks. */
export function assetSource(sql: Sql): Fragment {
  return sql`asset_master m left join asset_360 a on a.asset_id = m.asset_id`;
}

/**
 * The expression of each plain field of the Asset type over assetSource, for the resolvers' rows and
 * the SQL-compiled operations alike; id always comes along, for the field resolvers.
 */
export const ASSET_FIELDS: Readonly<Record<string, string>> = {
  id: 'm.asset_id::text',
  name: 'm.asset_name',
  assetType: 'm.asset_type',
  isin: 'm.isin',
  currency: 'm.currency',
  issuer: 'm.issuer',
  issueDate: 'm.issue_date',
  maturityDate: 'm.maturity_date',
  parValue: 'm.par_value',
  rating: 'm.rating',
  sector: 'm.sector',
  country: 'm.issuing_country',
  status: 'm.status',
  asOf: 'a.as_of',
  currentPrice: 'a.current_price',
  priceDate: 'a.price_date',
  positionQuantity: 'a.position_quantity',
  marketValue: 'a.market_value',
  fxRate: 'a.fx_rate',
  marketValueBase: 'a.market_value_base',
  avgDailyReturn: 'a.avg_daily_return',
  totalReturn: 'a.total_return',
  avgVolatility: 'a.avg_volatility',
  valueAtRisk: 'a.value_at_risk',
  beta: 'a.beta',
  sharpeRatio: 'a.sharpe_ratio',
  totalTransactions: 'a.total_transactions',
  totalPurchases: 'a.total_purchases',
  totalSales: 'a.total_sales',
  avgTransactionCost: 'a.avg_transaction_cost',
  activeViolations: 'a.active_violations',
  lastComplianceCheck: 'a.last_compliance_check',
  riskCategory: 'a.risk_category',
  performanceCategory: 'a.performance_category',
  positionSize: 'a.position_size',
};
const aliased = ([field, expression]: [string, string]) => `${expression} as "${field}"`;
const ALL_ASSET_COLUMNS = Object.entries(ASSET_FIELDS).map(aliased).join(', ');

/**
 * The columns of the Asset type, read from assetSource: all of them, or those of the fields a client
 * selected, since decoding columns nobody reads is most of a long list's cost.
 */
export function assetColumns(sql: Sql, fields?: ReadonlySet<string>): Fragment {
  if (!fields) return sql.unsafe(ALL_ASSET_COLUMNS);
  const columns = Object.entries(ASSET_FIELDS).filter(([field]) => field === 'id' || fields.has(field));
  return sql.unsafe(columns.map(aliased).join(', '));
}

export function assetConditions(sql: Sql, filter: AssetFilter | null | undefined): Fragment {
  if (!filter) return sql`true`;
  const conditions: Fragment[] = [];
  if (filter.assetType) conditions.push(sql`m.asset_type = any(${filter.assetType}::text[])`);
  if (filter.sector) conditions.push(sql`m.sector = any(${filter.sector}::text[])`);
  if (filter.country) conditions.push(sql`m.issuing_country = any(${filter.country}::text[])`);
  if (filter.riskCategory) conditions.push(sql`a.risk_category = any(${filter.riskCategory}::text[])`);
  if (filter.performanceCategory) conditions.push(sql`a.performance_category = any(${filter.performanceCategory}::text[])`);
  if (filter.positionSize) conditions.push(sql`a.position_size = any(${filter.positionSize}::text[])`);
  if (filter.search != null) {
    const pattern = containsPattern(boundedText(filter.search, 'filter.search', 200));
    conditions.push(sql`(m.asset_name ilike ${pattern} or m.isin ilike ${pattern})`);
  }
  if (filter.hasActiveViolations === true) conditions.push(sql`a.active_violations > 0`);
  if (filter.hasActiveViolations === false) conditions.push(sql`coalesce(a.active_violations, 0) = 0`);
  return and(sql, conditions);
}

const ORDER_KEYS: Record<AssetOrderField, { column: 'm.asset_name' | `a.${string}`; kind: SortKey['kind'] }> = {
  [AssetOrderField.NAME]: { column: 'm.asset_name', kind: 'text' },
  [AssetOrderField.MARKET_VALUE]: { column: 'a.market_value_base', kind: 'numeric' },
  [AssetOrderField.TOTAL_RETURN]: { column: 'a.total_return', kind: 'float' },
  [AssetOrderField.VALUE_AT_RISK]: { column: 'a.value_at_risk', kind: 'float' },
  [AssetOrderField.SHARPE_RATIO]: { column: 'a.sharpe_ratio', kind: 'float' },
  [AssetOrderField.ACTIVE_VIOLATIONS]: { column: 'a.active_violations', kind: 'int' },
};

/** The requested orders (by name when none), then the id as the tie-breaker. */
export function assetSortKeys(sql: Sql, orderBy: readonly AssetOrder[] | null | undefined): SortKey[] {
  const orders = orderBy?.length ? orderBy : [{ field: AssetOrderField.NAME, direction: OrderDirection.ASC }];
  if (new Set(orders.map((order) => order.field)).size !== orders.length) {
    throw new BadUserInputError('orderBy names a field more than once', 'orderBy');
  }
  const keys = orders.map(({ field, direction }): SortKey => {
    const { column, kind } = ORDER_KEYS[field];
    // Every key but the name comes from the left-joined asset_360, so it is null for unbuilt assets.
    return { name: field, expression: sql`${sql(column)}`, kind, direction, nullable: field !== AssetOrderField.NAME };
  });
  return [...keys, { name: 'ID', expression: sql`m.asset_id`, kind: 'id', direction: 'ASC', nullable: false }];
}

/** The id column of assetSource. */
export const ASSET_ID = 'm.asset_id';

export function assetsById(sql: Sql, ids: readonly string[]): Promise<Asset[]> {
  return sql<Asset[]>`
    select ${assetColumns(sql)}
    from ${assetSource(sql)}
    where ${sql(ASSET_ID)} = any(${ids}::bigint[])`;
}
