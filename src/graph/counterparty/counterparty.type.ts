import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection.js';

@ObjectType({ description: 'The other side of trades: a broker, bank or exchange.' })
export class Counterparty {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  type!: string | null;

  @Field(() => String, { nullable: true })
  rating!: string | null;

  @Field(() => String, { nullable: true })
  country!: string | null;

  @Field(() => String)
  status!: string;
}

@ObjectType({ description: 'Counterparties by id.' })
export class CounterpartyConnection extends Connection(Counterparty) {}
