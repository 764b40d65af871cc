import { Field, ID, InputType } from 'type-graphql';
import { MAX_TEXT_LENGTH } from '../../lib/input.js';
import type { TradeRequest } from '../../trades/record-trade.js';
import { isoDate } from '../common/arguments.js';
import { parseId } from '../common/ids.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { TradeType } from './trade.type.js';

@InputType({
  description: `A trade to record. totalAmount is computed: quantity × price. Each text is at most ${MAX_TEXT_LENGTH} characters, without NUL.`,
})
export class TradeInput {
  @Field(() => ID, { description: 'An ACTIVE asset.' })
  assetId!: string;

  @Field(() => ID)
  portfolioId!: string;

  @Field(() => ID, { nullable: true })
  counterpartyId?: string | null;

  @Field(() => TradeType)
  type!: TradeType;

  @Field(() => DateScalar, { description: 'Not in the future; an earlier date recomputes the later sales of the position.' })
  date!: Date;

  @Field(() => DecimalScalar, {
    description: 'Greater than 0; a SELL may not exceed what the portfolio holds then, nor leave a later SELL short.',
  })
  quantity!: string;

  @Field(() => DecimalScalar, { description: 'In the asset currency, at least 0.' })
  price!: string;

  @Field(() => DecimalScalar, { defaultValue: '0', description: 'Costs on top of quantity × price, at least 0.' })
  costs!: string;

  @Field(() => String, { nullable: true, description: "ISO 4217 code (3 letters); when given, it must be the asset's currency." })
  currency?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Your id for the trade, 1 to 100 characters: recording it again with the same fields returns the same trade; with other fields it is refused.',
  })
  externalId?: string | null;
}

/** The input with its ids and date checked and normalized, each error naming its field. */
export function tradeRequest(input: TradeInput): TradeRequest {
  return {
    assetId: parseId(input.assetId, 'input.assetId'),
    portfolioId: parseId(input.portfolioId, 'input.portfolioId'),
    counterpartyId: input.counterpartyId == null ? null : parseId(input.counterpartyId, 'input.counterpartyId'),
    type: input.type,
    date: isoDate(input.date),
    quantity: input.quantity,
    price: input.price,
    costs: input.costs,
    currency: input.currency ?? null,
    externalId: input.externalId ?? null,
  };
}
