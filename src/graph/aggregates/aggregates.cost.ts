import { AssetDimension, TradeDimension } from './aggregates.type.js';

export const MAX_DIMENSIONS = 3;

/*
 * What the complexity limit expects of a grouping: the product of the dimensions' cardinalities,
 * each an upper estimate for a large book (tightened when the filter pins the dimension), plus the
 * subtotals with rollup. Over the default limit of 10,000 this allows about a million expected
 * groups: issuer × country passes, while asset × counterparty or a day by asset over a year is
 * refused before any SQL runs.
 */

const ASSET_CARDINALITY: Record<AssetDimension, number> = {
  [AssetDimension.ASSET_TYPE]: 10,
  [AssetDimension.SECTOR]: 20,
  [AssetDimension.COUNTRY]: 60,
  [AssetDimension.CURRENCY]: 20,
  [AssetDimension.RATING]: 25,
  [AssetDimension.STATUS]: 4,
  [AssetDimension.RISK_CATEGORY]: 4,
  [AssetDimension.PERFORMANCE_CATEGORY]: 4,
  [AssetDimension.POSITION_SIZE]: 4,
  [AssetDimension.ISSUER]: 2_000,
};

/** The time dimensions assume ten years of trades unless the filter bounds the dates. */
const TRADE_CARDINALITY: Record<TradeDimension, number> = {
  [TradeDimension.DAY]: 3_653,
  [TradeDimension.WEEK]: 523,
  [TradeDimension.MONTH]: 120,
  [TradeDimension.QUARTER]: 40,
  [TradeDimension.YEAR]: 10,
  [TradeDimension.PORTFOLIO]: 100,
  [TradeDimension.ASSET]: 10_000,
  [TradeDimension.ASSET_TYPE]: 10,
  [TradeDimension.SECTOR]: 20,
  [TradeDimension.COUNTRY]: 60,
  [TradeDimension.CURRENCY]: 20,
  [TradeDimension.COUNTERPARTY]: 500,
  [TradeDimension.TYPE]: 2,
};

/** The filter field of AssetFilter that pins a dimension to the values it lists. */
const ASSET_FILTER_FIELD: Partial<Record<AssetDimension, string>> = {
  [AssetDimension.ASSET_TYPE]: 'assetType',
  [AssetDimension.SECTOR]: 'sector',
  [AssetDimension.COUNTRY]: 'country',
  [AssetDimension.RISK_CATEGORY]: 'riskCategory',
  [AssetDimension.PERFORMANCE_CATEGORY]: 'performanceCategory',
  [AssetDimension.POSITION_SIZE]: 'positionSize',
};

const TRADE_FILTER_FIELD: Partial<Record<TradeDimension, string>> = {
  [TradeDimension.PORTFOLIO]: 'portfolioId',
  [TradeDimension.ASSET]: 'assetId',
  [TradeDimension.COUNTERPARTY]: 'counterpartyId',
  [TradeDimension.TYPE]: 'type',
};

/** The dimensions asked for; none when there are more than the resolver allows, which it refuses with a clear error. */
function dimensionsOf<T extends string>(value: unknown, known: Record<T, number>): T[] {
  if (!Array.isArray(value) || value.length > MAX_DIMENSIONS) return [];
  return value.filter((item): item is T => typeof item === 'string' && item in known);
}

/** Groups of GROUP BY the cardinalities, or of ROLLUP: each prefix of them, and the grand total. */
function groupsOf(cardinalities: readonly number[], rollup: boolean): number {
  let product = 1;
  let groups = 1;
  for (const cardinality of cardinalities) {
    product *= Math.max(1, cardinality);
    groups += product;
  }
  return rollup ? groups : product;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

export function expectedAssetGroups(args: Record<string, unknown>): number {
  const filter = record(args.filter);
  const cardinalities = dimensionsOf(args.groupBy, ASSET_CARDINALITY).map((dimension) => {
    const pinned = filter[ASSET_FILTER_FIELD[dimension] ?? ''];
    const cap = ASSET_CARDINALITY[dimension];
    return Array.isArray(pinned) ? Math.min(cap, pinned.length) : cap;
  });
  return groupsOf(cardinalities, args.rollup === true);
}

function day(value: unknown): number | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? Math.floor(value.getTime() / 86_400_000) : null;
}

/** Periods of a kind that a date range touches, by dates counted in days since 1970-01-01. */
function periodsBetween(dimension: TradeDimension, from: number, to: number): number | null {
  const start = new Date(from * 86_400_000);
  const end = new Date(to * 86_400_000);
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth() + 1;
  switch (dimension) {
    case TradeDimension.DAY:
      return to - from + 1;
    case TradeDimension.WEEK:
      return Math.floor((to - from) / 7) + 2;
    case TradeDimension.MONTH:
      return months;
    case TradeDimension.QUARTER:
      return Math.ceil(months / 3) + 1;
    case TradeDimension.YEAR:
      return end.getUTCFullYear() - start.getUTCFullYear() + 1;
    default:
      return null;
  }
}

export function expectedTradeGroups(args: Record<string, unknown>): number {
  const filter = record(args.filter);
  const from = day(filter.dateFrom);
  const to = day(filter.dateTo);
  const cardinalities = dimensionsOf(args.groupBy, TRADE_CARDINALITY).map((dimension) => {
    const cap = TRADE_CARDINALITY[dimension];
    const field = TRADE_FILTER_FIELD[dimension];
    if (field && filter[field] != null) return 1;
    const periods = from !== null && to !== null && from <= to ? periodsBetween(dimension, from, to) : null;
    return periods === null ? cap : Math.min(cap, periods);
  });
  return groupsOf(cardinalities, args.rollup === true);
}
