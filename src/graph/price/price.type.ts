import { Field, Float, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

@ObjectType({ description: 'A day of market data of an asset, prices in the asset currency.' })
export class PricePoint {
  @Field(() => DateScalar)
  date!: string;

  @Field(() => DecimalScalar, { nullable: true })
  open!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  high!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  low!: string | null;

  @Field(() => DecimalScalar)
  close!: string;

  @Field(() => DecimalScalar, { nullable: true })
  volume!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  bid!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  ask!: string | null;

  @Field(() => Float, { nullable: true })
  yieldRate!: number | null;

  assetId!: string;
}
