import { Field, Float, ID, ObjectType } from 'type-graphql';
import { DateScalar } from '../common/scalars.js';

@ObjectType({ description: 'The weight of an asset in a portfolio: a row of portfolio_allocation.' })
export class Allocation {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { nullable: true, description: 'In percent.' })
  targetPercentage!: number | null;

  @Field(() => Float, { nullable: true, description: 'In percent.' })
  actualPercentage!: number | null;

  @Field(() => DateScalar, { nullable: true })
  lastRebalanceDate!: string | null;

  portfolioId!: string;
  assetId!: string;
}
