import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Role } from '../../auth/viewer.js';
import { BadUserInputError } from '../../lib/errors.js';
import { viewerActor } from '../../audit/actor.js';
import { setCostMethod } from '../../trades/cost-method.js';
import { isoDate } from '../common/arguments.js';
import { Position } from '../position/position.type.js';
import { CostMethod } from './cost-method.type.js';
import { Pnl, PnlArgs } from './pnl.type.js';
import type { Context } from '../context.js';
import { Allocation } from '../allocation/allocation.type.js';
import { AGGREGATE_COMPLEXITY, listComplexity, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { visiblePortfolios } from '../common/visibility.js';
import { Trade, TradeArgs, TradeConnection } from '../trade/trade.type.js';
import { portfolioColumns } from './portfolio.sql.js';
import { Portfolio, PortfolioConnection } from './portfolio.type.js';
import { Reads } from '../cache/reads.js';

/** Estimates for the complexity limit: the assets of a portfolio, and those it holds. */
const ALLOCATIONS_ESTIMATE = 100;
const POSITIONS_ESTIMATE = 100;

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @Reads('reference')
  @Query(() => Portfolio, {
    nullable: true,
    description: 'One portfolio by id; null when there is none, or when the viewer may not see it.',
  })
  portfolio(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Portfolio | null> {
    return loaders.portfolio.byId.load(parseId(id, 'id'));
  }

  @Reads('reference')
  @Query(() => PortfolioConnection, {
    description: 'The portfolios the viewer may see, by id.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  portfolios(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { sql, viewer }: Context): Promise<Page<Portfolio>> {
    return rootConnection(sql, {
      keyset: new Keyset(sql, [{ name: 'ID', expression: sql`p.portfolio_id`, kind: 'id', direction: 'ASC', nullable: false }]),
      args,
      columns: portfolioColumns(sql),
      from: sql`portfolios p`,
      where: visiblePortfolios(sql, viewer, sql`p.portfolio_id`),
    });
  }

  @Reads('allocations', 'reference')
  @FieldResolver(() => [Allocation], {
    description: 'The assets of the portfolio, by asset id.',
    complexity: listComplexity(ALLOCATIONS_ESTIMATE),
  })
  allocations(@Root() portfolio: Portfolio, @Ctx() { loaders }: Context): Promise<Allocation[]> {
    return loaders.allocation.byPortfolio.load(portfolio.id);
  }

  @Reads('trades', 'reference')
  @FieldResolver(() => TradeConnection, { description: "The portfolio's trades, newest first.", complexity: pageComplexity(1) })
  trades(@Root() portfolio: Portfolio, @Args(() => TradeArgs) args: TradeArgs, @Ctx() { loaders }: Context): Promise<Page<Trade>> {
    return loaders.trade.page('portfolio', portfolio.id, args);
  }

  @Reads('trades', 'market', 'fx', 'settings', 'reference', 'build')
  @FieldResolver(() => [Position], {
    description: 'The assets the portfolio holds, largest first by value in base currency.',
    complexity: listComplexity(POSITIONS_ESTIMATE),
  })
  positions(@Root() portfolio: Portfolio, @Ctx() { loaders }: Context): Promise<Position[]> {
    return loaders.position.byPortfolio.load(portfolio.id);
  }

  @Reads('trades', 'market', 'fx', 'settings', 'reference', 'build')
  @FieldResolver(() => Pnl, { description: 'Realized P&L of the sales in a period, and unrealized P&L at its end.' })
  pnl(@Root() portfolio: Portfolio, @Args(() => PnlArgs) { from, to }: PnlArgs, @Ctx() { loaders }: Context): Promise<Pnl> {
    const period = { from: from ? isoDate(from) : null, to: to ? isoDate(to) : null };
    if (period.from !== null && period.to !== null && period.from > period.to) {
      throw new BadUserInputError('to must not be before from', 'to');
    }
    return loaders.position.pnl.load({ id: portfolio.id, args: period });
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => Portfolio, {
    description: "Sets how the portfolio's sales are costed and recomputes its lots and realized P&L. Needs ANALYST.",
  })
  async setCostMethod(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Arg('method', () => CostMethod) method: CostMethod,
    @Ctx() { sql, loaders, viewer }: Context,
  ): Promise<Portfolio> {
    const id = parseId(portfolioId, 'portfolioId');
    await setCostMethod(sql, id, method, viewerActor(viewer));
    return (await loaders.portfolio.byId.clear(id).load(id))!;
  }
}
