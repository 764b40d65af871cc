import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

export enum CashSection {
  INCOME = 'INCOME',
  EXPENSE = 'EXPENSE',
  TRANSFER = 'TRANSFER',
}
registerEnumType(CashSection, {
  name: 'CashSection',
  description: 'TRANSFER covers transfers between accounts (legs of one transferGroup), payments out of the system and trade settlements.',
});

@ObjectType({ description: 'One leg of the cash ledger: positive into its account, negative out of it.' })
export class CashMovement {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  date!: string;

  @Field(() => DecimalScalar, { description: 'Signed, exact, in the account currency.' })
  amount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => CashSection)
  section!: CashSection;

  @Field(() => String, { nullable: true })
  category!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyName!: string | null;

  @Field(() => String, { nullable: true, description: 'The counterparty’s account, such as an IBAN.' })
  counterpartyAccount!: string | null;

  @Field(() => String, { nullable: true })
  externalId!: string | null;

  @Field(() => String, { nullable: true, description: 'Links the legs of a transfer between accounts, which sum to zero.' })
  transferGroup!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'For a leg converted between currencies: units of its currency per unit of the other leg’s (or the trade’s).',
  })
  fxRate!: string | null;

  @Field(() => ID, { nullable: true, description: 'The trade this leg settles.' })
  tradeId!: string | null;

  accountId!: string;
}

@InputType({ description: 'The conditions all hold together; the dates include both ends; each list means any of.' })
export class MovementFilter {
  @Field(() => DateScalar, { nullable: true })
  from?: Date | null;

  @Field(() => DateScalar, { nullable: true })
  to?: Date | null;

  @Field(() => [CashSection], { nullable: true })
  section?: CashSection[] | null;

  @Field(() => [String], { nullable: true })
  category?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Occurs in the description or the counterparty, ignoring case.' })
  search?: string | null;
}

@ArgsType()
export class MovementArgs extends ConnectionArgs {
  @Field(() => MovementFilter, { nullable: true })
  filter?: MovementFilter | null;
}

@ObjectType({ description: 'Movements, newest first (by date, then by id).' })
export class CashMovementConnection extends Connection(CashMovement) {}
