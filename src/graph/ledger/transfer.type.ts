import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { TransferRequest } from '../../ledger/transfer.js';
import { BadUserInputError } from '../../lib/errors.js';
import { isoDate } from '../common/arguments.js';
import { parseId } from '../common/ids.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { CashMovement, CashSection } from './movement.type.js';

@InputType({
  description:
    'Money out of an account: to another account (toAccountId), or out of the system (counterpartyName and counterpartyAccount).',
})
export class TransferInput {
  @Field(() => ID, { description: 'An account the viewer may pay from: their own, or one of an organization they administer.' })
  fromAccountId!: string;

  @Field(() => ID, { nullable: true, description: 'An account the viewer sees; the transfer is then two legs of one transferGroup.' })
  toAccountId?: string | null;

  @Field(() => String, { nullable: true })
  counterpartyName?: string | null;

  @Field(() => String, { nullable: true, description: 'Such as an IBAN.' })
  counterpartyAccount?: string | null;

  @Field(() => DecimalScalar, { description: 'Greater than 0, at most two decimals: what leaves fromAccountId, in its currency.' })
  amount!: string;

  @Field(() => String, { description: 'The currency of fromAccountId, ISO 4217.' })
  currency!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Between accounts in two currencies: units of the destination currency per unit of the source; the day’s rate by default. ' +
      'The destination receives amount × fxRate, rounded to the cent.',
  })
  fxRate?: string | null;

  @Field(() => DateScalar, { description: 'Not in the future.' })
  date!: Date;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'By default the first category rule that matches.' })
  category?: string | null;

  @Field(() => CashSection, {
    nullable: true,
    defaultValue: CashSection.TRANSFER,
    description: 'A payment out of the system may be booked as an EXPENSE; INCOME is refused.',
  })
  section?: CashSection | null;

  @Field(() => String, {
    nullable: true,
    description: 'Your id for the transfer: sending it again with the same fields returns the same transfer; with others it is refused.',
  })
  externalId?: string | null;
}

@ObjectType({ description: 'What a transfer booked.' })
export class Transfer {
  @Field(() => String, { nullable: true, description: 'The group linking the legs of a transfer between accounts; null for a payment.' })
  transferGroup!: string | null;

  @Field(() => [CashMovement], { description: 'Its legs, the outgoing one first.' })
  movements!: CashMovement[];
}

export function transferRequest(input: TransferInput): TransferRequest {
  const section = input.section ?? CashSection.TRANSFER;
  if (section === CashSection.INCOME) {
    throw new BadUserInputError('input.section of money out of an account is TRANSFER or EXPENSE', 'input.section');
  }
  return {
    fromAccountId: parseId(input.fromAccountId, 'input.fromAccountId'),
    toAccountId: input.toAccountId == null ? null : parseId(input.toAccountId, 'input.toAccountId'),
    counterpartyName: input.counterpartyName ?? null,
    counterpartyAccount: input.counterpartyAccount ?? null,
    amount: input.amount,
    currency: input.currency,
    fxRate: input.fxRate ?? null,
    date: isoDate(input.date),
    description: input.description ?? null,
    category: input.category ?? null,
    section,
    externalId: input.externalId ?? null,
  };
}
