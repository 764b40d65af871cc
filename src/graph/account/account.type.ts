import { ArgsType, createUnionType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { Organization, User } from '../owner/owner.type.js';

export enum AccountKind {
  CHECKING = 'CHECKING',
  SAVINGS = 'SAVINGS',
  BROKERAGE = 'BROKERAGE',
  OPERATING = 'OPERATING',
  EXPENSE = 'EXPENSE',
}
registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: "EXPENSE accounts are employees' accounts, which the admins of their organizations see too.",
});

export const AccountOwner = createUnionType({
  name: 'AccountOwner',
  description: 'A user (an individual or an employee) or an organization.',
  types: () => [User, Organization] as const,
  resolveType: (owner) => ('login' in owner ? User : Organization),
});

@ObjectType({ description: 'A cash account: its balance and movements come from the ledger, never from a stored balance.' })
export class Account {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Unique: a CSV row names its account by name or IBAN.' })
  name!: string;

  @Field(() => AccountKind)
  kind!: AccountKind;

  @Field(() => String, { description: 'ISO 4217 code: every movement of the account is in it.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'How far below zero the balance may go; 0 allows no overdraft.' })
  overdraftLimit!: string;

  @Field(() => String, { nullable: true })
  iban!: string | null;

  @Field(() => DateScalar)
  openedOn!: string;

  ownerUserId!: string | null;
  ownerOrganizationId!: string | null;
  portfolioId!: string | null;
}

@InputType({ description: 'The conditions all hold together; each list means any of.' })
export class AccountFilter {
  @Field(() => [AccountKind], { nullable: true })
  kind?: AccountKind[] | null;

  @Field(() => [String], { nullable: true })
  currency?: string[] | null;

  @Field(() => ID, { nullable: true })
  ownerUserId?: string | null;

  @Field(() => ID, { nullable: true })
  ownerOrganizationId?: string | null;
}

@ArgsType()
export class AccountArgs extends ConnectionArgs {
  @Field(() => AccountFilter, { nullable: true })
  filter?: AccountFilter | null;
}

@ArgsType()
export class BalanceArgs {
  @Field(() => DateScalar, { nullable: true, description: 'The day whose movements are the last counted, included; today by default.' })
  asOf?: Date | null;
}

@ObjectType({ description: 'Accounts by id.' })
export class AccountConnection extends Connection(Account) {}
