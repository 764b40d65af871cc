import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Asset } from '../asset/asset.type.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import type { Page } from '../common/connection.js';
import { Counterparty } from '../counterparty/counterparty.type.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { tradePage } from './trade.sql.js';
import { Trade, TradeArgs, TradeConnection } from './trade.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Trade)
export class TradeResolver {
  @Reads('trades', 'reference')
  @Query(() => TradeConnection, {
    description: 'Trades of the portfolios the viewer may see, newest first.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  trades(@Args(() => TradeArgs) args: TradeArgs, @Ctx() { sql, viewer }: Context): Promise<Page<Trade>> {
    return tradePage(sql, args, viewer);
  }

  // Every trade has an asset and a portfolio (foreign keys, not null).
  @Reads('build', 'reference')
  @FieldResolver(() => Asset)
  async asset(@Root() trade: Trade, @Ctx() { loaders }: Context): Promise<Asset> {
    return (await loaders.asset.byId.load(trade.assetId))!;
  }

  @Reads('reference')
  @FieldResolver(() => Portfolio)
  async portfolio(@Root() trade: Trade, @Ctx() { loaders }: Context): Promise<Portfolio> {
    return (await loaders.portfolio.byId.load(trade.portfolioId))!;
  }

  @Reads('reference')
  @FieldResolver(() => Counterparty, { nullable: true })
  counterparty(@Root() trade: Trade, @Ctx() { loaders }: Context): Promise<Counterparty | null> | null {
    return trade.counterpartyId === null ? null : loaders.counterparty.byId.load(trade.counterpartyId);
  }
}
