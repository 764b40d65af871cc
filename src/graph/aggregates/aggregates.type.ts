import { Authorized, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Role } from '../../auth/viewer.js';
import { firmWide, HOLDINGS } from '../access.js';
import { OrderDirection } from '../common/enums.js';
import { DecimalScalar } from '../common/scalars.js';

export enum AssetDimension {
  ASSET_TYPE = 'ASSET_TYPE',
  SECTOR = 'SECTOR',
  COUNTRY = 'COUNTRY',
  CURRENCY = 'CURRENCY',
  RATING = 'RATING',
  STATUS = 'STATUS',
  RISK_CATEGORY = 'RISK_CATEGORY',
  PERFORMANCE_CATEGORY = 'PERFORMANCE_CATEGORY',
  POSITION_SIZE = 'POSITION_SIZE',
  ISSUER = 'ISSUER',
}
registerEnumType(AssetDimension, { name: 'AssetDimension', description: 'A categorical column of asset_360 to group by.' });

export enum TradeDimension {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
  PORTFOLIO = 'PORTFOLIO',
  ASSET = 'ASSET',
  ASSET_TYPE = 'ASSET_TYPE',
  SECTOR = 'SECTOR',
  COUNTRY = 'COUNTRY',
  CURRENCY = 'CURRENCY',
  COUNTERPARTY = 'COUNTERPARTY',
  TYPE = 'TYPE',
}
registerEnumType(TradeDimension, {
  name: 'TradeDimension',
  description: 'A property of a trade to group by; asset type, sector, country and currency are those of the asset master.',
  valuesConfig: {
    DAY: { description: 'The trade date.' },
    WEEK: { description: 'The Monday of the ISO week of the trade date.' },
    MONTH: { description: 'The first day of the month of the trade date.' },
    QUARTER: { description: 'The first day of the quarter of the trade date.' },
    YEAR: { description: 'The first of January of the year of the trade date.' },
    PORTFOLIO: { description: 'The portfolio id.' },
    ASSET: { description: 'The asset id.' },
    COUNTERPARTY: { description: 'The counterparty id; null for trades without one.' },
    TYPE: { description: 'BUY or SELL.' },
  },
});

export enum AssetGroupOrderField {
  KEYS = 'KEYS',
  COUNT = 'COUNT',
  MARKET_VALUE = 'MARKET_VALUE',
  POSITION_QUANTITY = 'POSITION_QUANTITY',
  AVG_TOTAL_RETURN = 'AVG_TOTAL_RETURN',
  AVG_VOLATILITY = 'AVG_VOLATILITY',
  AVG_VALUE_AT_RISK = 'AVG_VALUE_AT_RISK',
  AVG_SHARPE_RATIO = 'AVG_SHARPE_RATIO',
  ACTIVE_VIOLATIONS = 'ACTIVE_VIOLATIONS',
}
registerEnumType(AssetGroupOrderField, {
  name: 'AssetGroupOrderField',
  valuesConfig: {
    KEYS: { description: 'The keys in the order of groupBy, nulls last.' },
    MARKET_VALUE: { description: 'The sum of marketValueBase; needs ANALYST or above.' },
    POSITION_QUANTITY: { description: 'The sum of positionQuantity; needs ANALYST or above.' },
    ACTIVE_VIOLATIONS: { description: 'The sum of activeViolations.' },
  },
});

export enum TradeGroupOrderField {
  KEYS = 'KEYS',
  COUNT = 'COUNT',
  QUANTITY = 'QUANTITY',
  GROSS_AMOUNT = 'GROSS_AMOUNT',
  COSTS = 'COSTS',
}
registerEnumType(TradeGroupOrderField, {
  name: 'TradeGroupOrderField',
  valuesConfig: { KEYS: { description: 'The keys in the order of groupBy, nulls last.' } },
});

@InputType({ description: 'Null measures sort last in both directions; ties are broken by the keys, ascending.' })
export class AssetGroupOrder {
  @Field(() => AssetGroupOrderField)
  field!: AssetGroupOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

@InputType({ description: 'Null measures sort last in both directions; ties are broken by the keys, ascending.' })
export class TradeGroupOrder {
  @Field(() => TradeGroupOrderField)
  field!: TradeGroupOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/**
 * Keys and measures are columns of the group's row: free for the complexity limit, which prices the
 * group. The group types are plain data (simpleResolvers): a response holds thousands of these fields.
 */
const MEASURE = { complexity: 0 } as const;
/** A firm-wide measure: checked for the role, which the object's simple resolvers would skip. */
const HOLDINGS_MEASURE = { complexity: 0, simple: false } as const;

@ObjectType({
  simpleResolvers: true,
  description: 'Sum, mean, least and greatest of an exact column over a group; nulls are left out, null when all are.',
})
export class DecimalMeasure {
  @Field(() => DecimalScalar, { nullable: true })
  sum!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Exact to PostgreSQL numeric division (at least 16 significant digits).' })
  avg!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  min!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  max!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Sum, mean, least and greatest of a ratio over a group; nulls are left out, null when all are.',
})
export class FloatMeasure {
  @Field(() => Float, { nullable: true })
  sum!: number | null;

  @Field(() => Float, { nullable: true })
  avg!: number | null;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Sum, mean, least and greatest of a count over a group.' })
export class IntMeasure {
  @Field(() => Int, { nullable: true })
  sum!: number | null;

  @Field(() => Float, { nullable: true })
  avg!: number | null;

  @Field(() => Int, { nullable: true })
  min!: number | null;

  @Field(() => Int, { nullable: true })
  max!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'The value of one dimension for a group.' })
export class AssetGroupKey {
  @Field(() => AssetDimension)
  dimension!: AssetDimension;

  @Field(() => String, { nullable: true, description: 'Null for assets without a value, and on a total.' })
  value!: string | null;

  @Field(() => Boolean, { description: 'A subtotal or grand total over every value of this dimension (rollup only).' })
  isTotal!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'The value of one dimension for a group.' })
export class TradeGroupKey {
  @Field(() => TradeDimension)
  dimension!: TradeDimension;

  @Field(() => String, {
    nullable: true,
    description: 'A date (YYYY-MM-DD) for the periods, an id for portfolio, asset and counterparty; null on a total.',
  })
  value!: string | null;

  @Field(() => Boolean, { description: 'A subtotal or grand total over every value of this dimension (rollup only).' })
  isTotal!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Assets of the current build that share the values of the groupBy dimensions, with their measures.',
})
export class AssetGroup {
  @Field(() => [AssetGroupKey], { description: 'One per groupBy dimension, in its order.', complexity: 0 })
  keys!: AssetGroupKey[];

  @Field(() => Int, { description: 'The number of assets.' })
  count!: number;

  @Field(() => Float, { description: 'count over the count of every asset the filter keeps, from 0 to 1.' })
  countShare!: number;

  @Authorized<Role>(HOLDINGS)
  @Field(() => Float, {
    nullable: true,
    simple: false,
    description: firmWide(
      'The sum of marketValueBase over that of every asset the filter keeps, from 0 to 1 for a long book; null when that total is 0 or null.',
    ),
  })
  marketValueShare!: number | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalMeasure, { ...HOLDINGS_MEASURE, nullable: true, description: firmWide('In the base currency.') })
  marketValueBase!: DecimalMeasure;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalMeasure, {
    ...HOLDINGS_MEASURE,
    nullable: true,
    description: firmWide('The sum of positionQuantity and its statistics.'),
  })
  positionQuantity!: DecimalMeasure;

  @Field(() => FloatMeasure, MEASURE)
  avgDailyReturn!: FloatMeasure;

  @Field(() => FloatMeasure, MEASURE)
  totalReturn!: FloatMeasure;

  @Field(() => FloatMeasure, MEASURE)
  avgVolatility!: FloatMeasure;

  @Field(() => FloatMeasure, MEASURE)
  valueAtRisk!: FloatMeasure;

  @Field(() => FloatMeasure, MEASURE)
  beta!: FloatMeasure;

  @Field(() => FloatMeasure, MEASURE)
  sharpeRatio!: FloatMeasure;

  @Field(() => IntMeasure, MEASURE)
  activeViolations!: IntMeasure;

  @Authorized<Role>(HOLDINGS)
  @Field(() => IntMeasure, { ...HOLDINGS_MEASURE, nullable: true, description: firmWide('Trades in the transaction window of the build.') })
  totalTransactions!: IntMeasure;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Trades that share the values of the groupBy dimensions, with their measures; amounts in the asset currency.',
})
export class TradeGroup {
  @Field(() => [TradeGroupKey], { description: 'One per groupBy dimension, in its order.', complexity: 0 })
  keys!: TradeGroupKey[];

  @Field(() => Int)
  count!: number;

  @Field(() => Int)
  buyCount!: number;

  @Field(() => Int)
  sellCount!: number;

  @Field(() => DecimalScalar, { description: 'The sum of quantity, purchases and sales alike.' })
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'Purchased minus sold quantity.' })
  netQuantity!: string;

  @Field(() => DecimalScalar, { description: 'The sum of totalAmount (quantity × price).' })
  grossAmount!: string;

  @Field(() => DecimalScalar, { description: 'The sum of costs.' })
  costs!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Volume-weighted average price, grossAmount / quantity, when every trade of the group is of one asset; else null.',
  })
  vwap!: string | null;
}
