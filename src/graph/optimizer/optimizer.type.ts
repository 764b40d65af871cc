import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { TradeType } from '../trade/trade.type.js';

@ObjectType({ description: 'An asset’s optimized weight, unrounded.' })
export class OptimizedWeight {
  @Field(() => ID)
  assetId!: string;

  @Field(() => Float)
  weight!: number;

  @Field(() => Float, { description: 'The asset’s annual expected return under the chosen model.' })
  expectedReturn!: number;
}

@ObjectType({ description: 'A position’s weight now (at its latest close, in base currency) and the optimized target.' })
export class RebalanceHolding {
  @Field(() => ID)
  assetId!: string;

  @Field(() => DecimalScalar)
  currentQuantity!: string;

  @Field(() => Float)
  currentWeight!: number;

  @Field(() => Float)
  targetWeight!: number;
}

@ObjectType({ description: 'A trade of the proposal: a whole number of lots at the asset’s latest close.' })
export class RebalanceTrade {
  @Field(() => ID)
  assetId!: string;

  @Field(() => TradeType)
  side!: TradeType;

  @Field(() => DecimalScalar)
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'The latest close, in the asset’s currency.' })
  price!: string;

  @Field(() => DecimalScalar)
  currentQuantity!: string;

  @Field(() => DecimalScalar)
  targetQuantity!: string;
}

@ObjectType({
  description: 'The optimized weights, their annual expected return, volatility and Sharpe ratio, and the rebalance proposal.',
})
export class Optimization {
  @Field(() => DateScalar)
  from!: string;

  @Field(() => DateScalar)
  to!: string;

  @Field(() => Int, { description: 'Dates with at least one return in the window.' })
  observations!: number;

  @Field(() => [OptimizedWeight])
  weights!: OptimizedWeight[];

  @Field(() => Float)
  expectedReturn!: number;

  @Field(() => Float)
  volatility!: number;

  @Field(() => Float, { description: '(expectedReturn − riskFreeRate) / volatility.' })
  sharpe!: number;

  @Field(() => Float)
  riskFreeRate!: number;

  @Field(() => Boolean, {
    description: 'True when the covariance was not positive semidefinite and its negative eigenvalues were clipped to 0.',
  })
  covarianceRepaired!: boolean;

  @Field(() => Float, { nullable: true, description: 'The Ledoit-Wolf shrinkage constant δ; null for SAMPLE_COV.' })
  shrinkage!: number | null;

  @Field(() => String, { description: 'The base currency of marketValue and of the returns.' })
  baseCurrency!: string;

  @Field(() => Float, { description: 'The positions’ value at their latest closes, in base currency, that the target weights share.' })
  marketValue!: number;

  @Field(() => DecimalScalar)
  lotSize!: string;

  @Field(() => [RebalanceHolding])
  holdings!: RebalanceHolding[];

  @Field(() => [RebalanceTrade], { description: 'The trades that bring each position within half a lot of its target.' })
  trades!: RebalanceTrade[];

  @Field(() => String, { description: 'sha256 of the price window the weights were computed on.' })
  priceWindowHash!: string;

  @Field(() => String, { description: 'sha256 of the covariance matrix.' })
  covarianceHash!: string;
}
