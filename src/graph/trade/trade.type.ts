import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

export enum TradeType {
  BUY = 'BUY',
  SELL = 'SELL',
}
registerEnumType(TradeType, { name: 'TradeType' });

@ObjectType({ description: 'A row of transactions: one purchase or sale of an asset for a portfolio.' })
export class Trade {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  date!: string;

  @Field(() => TradeType)
  type!: TradeType;

  @Field(() => DecimalScalar)
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'In the asset currency.' })
  price!: string;

  @Field(() => DecimalScalar, { description: 'quantity × price, in the asset currency.' })
  totalAmount!: string;

  @Field(() => DecimalScalar, { description: 'Costs on top of totalAmount, never negative.' })
  costs!: string;

  assetId!: string;
  portfolioId!: string;
  counterpartyId!: string | null;
}

@InputType({ description: 'The conditions all hold together; the date range includes both ends.' })
export class TradeFilter {
  @Field(() => ID, { nullable: true })
  assetId?: string | null;

  @Field(() => ID, { nullable: true })
  portfolioId?: string | null;

  @Field(() => ID, { nullable: true })
  counterpartyId?: string | null;

  @Field(() => TradeType, { nullable: true })
  type?: TradeType | null;

  @Field(() => DateScalar, { nullable: true })
  dateFrom?: Date | null;

  @Field(() => DateScalar, { nullable: true })
  dateTo?: Date | null;
}

@ArgsType()
export class TradeArgs extends ConnectionArgs {
  @Field(() => TradeFilter, { nullable: true })
  filter?: TradeFilter | null;
}

@ObjectType({ description: 'Trades, newest first (by date, then by id).' })
export class TradeConnection extends Connection(Trade) {}
