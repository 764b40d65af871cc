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

/** The columns of the Asset type, read from assetSource. */
export function assetColumns(sql: Sql): Fragment {
  return sql`
    m.asset_id::text as id, m.asset_name as name, m.asset_type as "assetType", m.isin, m.currency, m.issuer,
    m.issue_date as "issueDate", m.maturity_date as "maturityDate", m.par_value as "parValue", m.rating, m.sector,
    m.issuing_country as country, m.status,
    a.as_of as "asOf", a.current_price as "currentPrice", a.price_date as "priceDate",
    a.position_quantity as "positionQuantity", a.market_value as "marketValue", a.fx_rate as "fxRate",
    a.market_value_base as "marketValueBase", a.avg_daily_return as "avgDailyReturn", a.total_return as "totalReturn",
    a.avg_volatility as "avgVolatility", a.value_at_risk as "valueAtRisk", a.beta, a.sharpe_ratio as "sharpeRatio",
    a.total_transactions as "totalTransactions", a.total_purchases as "totalPurchases", a.total_sales as "totalSales",
    a.avg_transaction_cost as "avgTransactionCost", a.active_violations as "activeViolations",
    a.last_compliance_check as "lastComplianceCheck", a.risk_category as "riskCategory",
    a.performance_category as "performanceCategory", a.position_size as "positionSize"`;
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
