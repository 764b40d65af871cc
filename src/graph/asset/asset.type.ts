import { Authorized, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { firmWide, HOLDINGS } from '../access.js';
import type { Role } from '../../auth/viewer.js';
import { PerformanceCategory, PositionSize, RiskCategory } from '../common/enums.js';
import { Connection } from '../common/connection.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

/**
 * Reference data is read from asset_master, so that an asset inserted after the last build
 * already resolves; the other fields are that asset's asset_360 row of the current build, all
 * null until a build includes the asset.
 */
@ObjectType({
  description:
    'A security of the book: its reference data (asset_master) and its asset_360 values of the current build, ' +
    'which are null for an asset added after that build.',
})
export class Asset {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'EQUITY, BOND, ETF, FUND, COMMODITY, CRYPTO, …' })
  assetType!: string;

  @Field(() => String, { nullable: true })
  isin!: string | null;

  @Field(() => String, { description: 'ISO 4217 code of the currency the asset trades in.' })
  currency!: string;

  @Field(() => String, { nullable: true })
  issuer!: string | null;

  @Field(() => DateScalar, { nullable: true })
  issueDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  maturityDate!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  parValue!: string | null;

  @Field(() => String, { nullable: true })
  rating!: string | null;

  @Field(() => String, { nullable: true })
  sector!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the issuing country.' })
  country!: string | null;

  @Field(() => String)
  status!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The as-of date of the build the values below come from.' })
  asOf!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Latest closing price on or before asOf, in the asset currency.' })
  currentPrice!: string | null;

  @Field(() => DateScalar, { nullable: true })
  priceDate!: string | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('Bought minus sold up to asOf.') })
  positionQuantity!: string | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('currentPrice × positionQuantity, in the asset currency.') })
  marketValue!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Units of the base currency for one unit of the asset currency.' })
  fxRate!: string | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('marketValue in the base currency.') })
  marketValueBase!: string | null;

  @Field(() => Float, { nullable: true })
  avgDailyReturn!: number | null;

  @Field(() => Float, { nullable: true, description: 'Compounded return over the performance window, as a fraction.' })
  totalReturn!: number | null;

  @Field(() => Float, { nullable: true })
  avgVolatility!: number | null;

  @Field(() => Float, { nullable: true, description: 'One-day 95 % VaR as a fraction of value, averaged over the risk window.' })
  valueAtRisk!: number | null;

  @Field(() => Float, { nullable: true })
  beta!: number | null;

  @Field(() => Float, { nullable: true })
  sharpeRatio!: number | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => Int, { nullable: true, description: firmWide('Trades in the transaction window.') })
  totalTransactions!: number | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => Int, { nullable: true, description: firmWide('Purchases in the transaction window.') })
  totalPurchases!: number | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => Int, { nullable: true, description: firmWide('Sales in the transaction window.') })
  totalSales!: number | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('Mean costs of a trade in the transaction window.') })
  avgTransactionCost!: string | null;

  @Field(() => Int, { nullable: true, description: 'Rules whose latest check in the compliance window is a violation.' })
  activeViolations!: number | null;

  @Field(() => DateScalar, { nullable: true })
  lastComplianceCheck!: string | null;

  @Field(() => RiskCategory, { nullable: true })
  riskCategory!: RiskCategory | null;

  @Field(() => PerformanceCategory, { nullable: true })
  performanceCategory!: PerformanceCategory | null;

  @Field(() => PositionSize, { nullable: true })
  positionSize!: PositionSize | null;
}

@ObjectType({ description: 'Assets in the requested order, ties broken by id.' })
export class AssetConnection extends Connection(Asset) {}
