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

/** Each column of the Asset type as assetSource reads it; id always comes along, for the field resolvers. */
const ASSET_COLUMNS: Readonly<Record<string, string>> = {
  id: 'm.asset_id::text as id',
  name: 'm.asset_name as name',
  assetType: 'm.asset_type as "assetType"',
  isin: 'm.isin',
  currency: 'm.currency',
  issuer: 'm.issuer',
  issueDate: 'm.issue_date as "issueDate"',
  maturityDate: 'm.maturity_date as "maturityDate"',
  parValue: 'm.par_value as "parValue"',
  rating: 'm.rating',
  sector: 'm.sector',
  country: 'm.issuing_country as country',
  status: 'm.status',
  asOf: 'a.as_of as "asOf"',
  currentPrice: 'a.current_price as "currentPrice"',
  priceDate: 'a.price_date as "priceDate"',
  positionQuantity: 'a.position_quantity as "positionQuantity"',
  marketValue: 'a.market_value as "marketValue"',
  fxRate: 'a.fx_rate as "fxRate"',
  marketValueBase: 'a.market_value_base as "marketValueBase"',
  avgDailyReturn: 'a.avg_daily_return as "avgDailyReturn"',
  totalReturn: 'a.total_return as "totalReturn"',
  avgVolatility: 'a.avg_volatility as "avgVolatility"',
  valueAtRisk: 'a.value_at_risk as "valueAtRisk"',
  beta: 'a.beta',
  sharpeRatio: 'a.sharpe_ratio as "sharpeRatio"',
  totalTransactions: 'a.total_transactions as "totalTransactions"',
  totalPurchases: 'a.total_purchases as "totalPurchases"',
  totalSales: 'a.total_sales as "totalSales"',
  avgTransactionCost: 'a.avg_transaction_cost as "avgTransactionCost"',
  activeViolations: 'a.active_violations as "activeViolations"',
  lastComplianceCheck: 'a.last_compliance_check as "lastComplianceCheck"',
  riskCategory: 'a.risk_category as "riskCategory"',
  performanceCategory: 'a.performance_category as "performanceCategory"',
  positionSize: 'a.position_size as "positionSize"',
};
const ALL_ASSET_COLUMNS = Object.values(ASSET_COLUMNS).join(', ');

/**
 * The columns of the Asset type, read from assetSource: all of them, or those of the fields a client
 * selected, since decoding columns nobody reads is most of a long list's cost.
 */
export function assetColumns(sql: Sql, fields?: ReadonlySet<string>): Fragment {
  if (!fields) return sql.unsafe(ALL_ASSET_COLUMNS);
  const columns = Object.entries(ASSET_COLUMNS).filter(([field]) => field === 'id' || fields.has(field));
  return sql.unsafe(columns.map(([, column]) => column).join(', '));
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

export function assetsById(sql: Sql, ids: readonly string[]): Promise<Asset[]> {
  return sql<Asset[]>`
    select ${assetColumns(sql)}
    from ${assetSource(sql)}
    where m.asset_id = any(${ids}::bigint[])`;
}
