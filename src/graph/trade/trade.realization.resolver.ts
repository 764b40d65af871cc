import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { DecimalScalar } from '../common/scalars.js';
import { Trade, TradeType } from './trade.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Trade)
export class TradeRealizationResolver {
  @Reads('trades')
  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description:
      "For a SELL: quantity × price − costs − the cost basis of the units sold, by the portfolio's cost method, in the asset currency. Null for a BUY.",
  })
  async realizedGainLoss(@Root() trade: Trade, @Ctx() { loaders }: Context): Promise<string | null> {
    if (trade.type === TradeType.BUY) return null;
    return (await loaders.position.realizationByTrade.load(trade.id))?.realizedGainLoss ?? null;
  }
}
