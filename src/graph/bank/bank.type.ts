import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { Account } from '../account/account.type.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { CashMovement } from '../ledger/movement.type.js';

@ObjectType({ description: 'An amount in one currency.' })
export class CurrencyAmount {
  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar)
  amount!: string;
}

@ObjectType({ description: 'What one owner holds in all its accounts at the end of asOf.' })
export class OwnerTotal {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  accounts!: number;

  @Field(() => [CurrencyAmount], { description: 'By currency.' })
  balances!: CurrencyAmount[];

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'All of it in the base currency at the rates of asOf, rounded to the cent; null when a rate is missing.',
  })
  totalBase!: string | null;

  ownerUserId!: string | null;
  ownerOrganizationId!: string | null;
}

@ObjectType({ description: 'An account below zero, or whose overdraft is nearly used up.' })
export class AccountAlert {
  @Field(() => Account)
  account!: Account;

  @Field(() => DecimalScalar)
  balance!: string;

  @Field(() => DecimalScalar, { description: 'What may still go out: balance + overdraftLimit.' })
  headroom!: string;
}

@ObjectType({ description: 'The spending of a category across the bank, in the base currency.' })
export class CategoryTotal {
  @Field(() => String, { nullable: true })
  category!: string | null;

  @Field(() => DecimalScalar, { description: 'Spent, converted at each day’s rate and rounded to the cent.' })
  amountBase!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'The whole bank at a glance, for its ADMIN.' })
export class BankOverview {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => DateScalar, { description: 'The first day of the period of the outflows and categories; it ends at asOf.' })
  from!: string;

  @Field(() => String)
  baseCurrency!: string;

  @Field(() => [OwnerTotal], { description: 'By organization, largest in the base currency first.' })
  organizations!: OwnerTotal[];

  @Field(() => [OwnerTotal], { description: 'By individual (users owning accounts), largest in the base currency first.' })
  individuals!: OwnerTotal[];

  @Field(() => [AccountAlert], {
    description: 'Accounts below zero or with less than the given share of their overdraft left, least headroom first.',
  })
  accountsAtRisk!: AccountAlert[];

  @Field(() => [CashMovement], { description: 'The largest movements out of accounts in the period, by their value in the base currency.' })
  largestOutflows!: CashMovement[];

  @Field(() => [CategoryTotal], { description: 'The categories spent most in the period.' })
  topCategories!: CategoryTotal[];
}

@ArgsType()
export class BankOverviewArgs {
  @Field(() => DateScalar, { nullable: true, description: 'Today by default.' })
  asOf?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'The first day of the period; 30 days before asOf by default.' })
  from?: Date | null;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: 'How many outflows and categories, 1 to 100.' })
  top?: number | null;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 0.1,
    description: 'An account with an overdraft is near its limit when less than this share of it is left, 0 to 1.',
  })
  nearLimitShare?: number | null;
}
