import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Connection } from '../common/connection.js';
import { CostMethod } from './cost-method.type.js';

@ObjectType()
export class Portfolio {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  owner!: string | null;

  @Field(() => String, { description: 'ISO 4217 code.' })
  baseCurrency!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  createdAt!: Date | null;

  @Field(() => CostMethod, { description: 'How its sales are costed; setCostMethod changes it.' })
  costMethod!: CostMethod;
}

@ObjectType({ description: 'Portfolios by id.' })
export class PortfolioConnection extends Connection(Portfolio) {}
