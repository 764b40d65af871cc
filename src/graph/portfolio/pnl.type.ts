import { ArgsType, Field, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

@ArgsType()
export class PnlArgs {
  @Field(() => DateScalar, { nullable: true, description: 'The first day whose sales count; from the first trade when omitted.' })
  from?: Date | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'The last day whose sales count, and the day the open positions are valued at; when omitted, every sale counts and positions are valued at the latest prices.',
  })
  to?: Date | null;
}

@ObjectType({
  description:
    "A portfolio's profit and loss in the build settings' base currency. Amounts of assets without a price or FX rate on the day are left out.",
})
export class Pnl {
  @Field(() => DecimalScalar, {
    description: 'The realized gain or loss of the SELLs dated from `from` to `to`, each at the FX rate of its day.',
  })
  realized!: string;

  @Field(() => DecimalScalar, {
    description: 'The unrealized gain or loss of the positions held at the end of `to`, at the latest close and FX rate on or before it.',
  })
  unrealized!: string;

  @Field(() => String, { description: 'ISO 4217 code of the amounts.' })
  currency!: string;
}
