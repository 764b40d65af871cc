import { Field, ID, ObjectType } from 'type-graphql';
import { DateResolver } from 'graphql-scalars';
import { DecimalScalar } from '../common/scalars.js';

@ObjectType({ description: 'A security of the book: reference data from asset_master.' })
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

  @Field(() => DateResolver, { nullable: true })
  issueDate!: string | null;

  @Field(() => DateResolver, { nullable: true })
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
}
