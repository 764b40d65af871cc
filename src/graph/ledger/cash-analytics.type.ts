import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

export enum CashFlowInterval {
  MONTH = 'MONTH',
  WEEK = 'WEEK',
}
registerEnumType(CashFlowInterval, { name: 'CashFlowInterval', description: 'Calendar months, or ISO weeks (Monday to Sunday).' });

@ObjectType({ description: 'What was spent (EXPENSE legs, refunds netted) in one category and currency.' })
export class CategorySpending {
  @Field(() => String, { nullable: true, description: 'Null for movements no rule classified.' })
  category!: string | null;

  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Spent: the negated sum of the legs, positive for spending.' })
  amount!: string;

  @Field(() => Int, { description: 'How many legs.' })
  count!: number;
}

@ObjectType({ description: 'The money that came in and went out in one period and currency.' })
export class CashFlowPeriod {
  @Field(() => DateScalar, { description: 'The first day of the month or the Monday of the week.' })
  start!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar, { description: 'The sum of the positive legs.' })
  inflow!: string;

  @Field(() => DecimalScalar, { description: 'The negated sum of the negative legs: positive.' })
  outflow!: string;

  @Field(() => DecimalScalar, { description: 'inflow − outflow.' })
  net!: string;

  @Field(() => Int, { description: 'How many legs.' })
  count!: number;
}

@ArgsType()
export class SpendingArgs {
  @Field(() => DateScalar)
  from!: Date;

  @Field(() => DateScalar, { description: 'Included.' })
  to!: Date;

  @Field(() => [ID], { nullable: true, description: 'Among the accounts the viewer sees; all of those by default.' })
  accountIds?: string[] | null;
}

@ArgsType()
export class CashFlowArgs extends SpendingArgs {
  @Field(() => CashFlowInterval, { nullable: true, defaultValue: CashFlowInterval.MONTH })
  interval?: CashFlowInterval | null;
}
