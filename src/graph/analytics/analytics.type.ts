import { Authorized, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { firmWide, HOLDINGS } from '../access.js';
import type { Role } from '../../auth/viewer.js';
import { RiskCategory } from '../common/enums.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

export enum AllocationDimension {
  ASSET_TYPE = 'ASSET_TYPE',
  SECTOR = 'SECTOR',
  COUNTRY = 'COUNTRY',
  CURRENCY = 'CURRENCY',
  RISK_CATEGORY = 'RISK_CATEGORY',
  PERFORMANCE_CATEGORY = 'PERFORMANCE_CATEGORY',
  POSITION_SIZE = 'POSITION_SIZE',
}
registerEnumType(AllocationDimension, { name: 'AllocationDimension', description: 'An asset_360 column to group the book by.' });

@ObjectType({ description: 'The book of the current build at a glance.' })
export class PortfolioOverview {
  @Field(() => Int, { description: 'Assets in the current build.' })
  totalAssets!: number;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('Sum of marketValueBase; 0 for an empty book.') })
  totalValue!: string;

  @Field(() => Float, { description: 'Mean totalReturn of the assets that have one; 0 when none has.' })
  averageReturn!: number;
}

@ObjectType()
export class RiskBucket {
  @Field(() => RiskCategory)
  category!: RiskCategory;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, { description: 'Share of the asset count, in percent.' })
  percentage!: number;
}

@ObjectType({ description: 'The assets sharing one value of a dimension.' })
export class AllocationSlice {
  @Field(() => String, { nullable: true, description: 'The value of the dimension; null for the assets without one (no sector, say).' })
  key!: string | null;

  @Authorized<Role>(HOLDINGS)
  @Field(() => DecimalScalar, { nullable: true, description: firmWide('Sum of marketValueBase; 0 when none of the assets has one.') })
  marketValue!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, { description: 'In percent: of the total marketValueBase for assetAllocation, of the asset count for the others.' })
  percentage!: number;
}

@ObjectType()
export class PerformanceDashboard {
  top!: number;
}

@ObjectType()
export class ComplianceSummary {}

@ObjectType({ description: 'The trades of one calendar month.' })
export class MonthlyVolume {
  @Field(() => DateScalar, { description: 'The first day of the month.' })
  month!: string;

  @Field(() => Int)
  tradeCount!: number;

  @Field(() => Int)
  buyCount!: number;

  @Field(() => Int)
  sellCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of totalAmount, each in its asset currency (as the original endpoint did).' })
  totalAmount!: string;

  @Field(() => DecimalScalar)
  totalCosts!: string;
}
