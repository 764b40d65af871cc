import { Field, Float, ID, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

@ObjectType({ description: "What a portfolio holds of an asset, in the asset's currency unless named Base." })
export class Position {
  @Field(() => DecimalScalar, { description: 'Units held: the BUYs less the SELLs.' })
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'What the units held cost, purchase costs included: the sum of the open lots.' })
  costBasis!: string;

  @Field(() => DecimalScalar, { description: 'costBasis / quantity, rounded half up to 10 decimals.' })
  averageCost!: string;

  @Field(() => String, { description: 'ISO 4217 code of the asset, the currency of the amounts.' })
  currency!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'The latest close in market_data; null when the asset has no price.' })
  price!: string | null;

  @Field(() => DateScalar, { nullable: true })
  priceDate!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'quantity × price.' })
  marketValue!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'marketValue − costBasis.' })
  unrealizedGainLoss!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "marketValue at the latest FX rate into the build settings' base currency." })
  marketValueBase!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "marketValueBase as a share of the portfolio's (0.25 is 25 %); null without a value.",
  })
  weight!: number | null;

  portfolioId!: string;
  assetId!: string;
}

@ObjectType({ description: 'An open lot: the part of a purchase the portfolio still holds.' })
export class Lot {
  @Field(() => ID, { description: 'The id of the BUY trade that opened the lot.' })
  id!: string;

  @Field(() => DateScalar)
  openDate!: string;

  @Field(() => DecimalScalar, { description: 'The quantity bought.' })
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'The part of it not sold yet.' })
  remainingQuantity!: string;

  @Field(() => DecimalScalar, {
    description:
      'What the remaining quantity cost, purchase costs included; under AVERAGE, the lots open at the last sale share the average cost.',
  })
  remainingCost!: string;
}
