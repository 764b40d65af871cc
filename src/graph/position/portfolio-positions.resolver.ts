import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { setCostMethod } from '../../trades/cost-method.js';
import type { Role } from '../../auth/viewer.js';
import { isoDate } from '../common/arguments.js';
import { listComplexity } from '../common/complexity.js';
import { parseId } from '../common/ids.js';
import type { Context } from '../context.js';
import { BadUserInputError } from '../../lib/errors.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { CostMethod } from './cost-method.type.js';
import { Pnl, PnlArgs } from './pnl.type.js';
import { Position } from './position.type.js';

/** An estimate for the complexity limit: the assets a portfolio holds. */
const POSITIONS_ESTIMATE = 100;

@Resolver(() => Portfolio)
export class PortfolioPositionsResolver {
  @FieldResolver(() => [Position], {
    description: 'The assets the portfolio holds, largest first by value in base currency.',
    complexity: listComplexity(POSITIONS_ESTIMATE),
  })
  positions(@Root() portfolio: Portfolio, @Ctx() { loaders }: Context): Promise<Position[]> {
    return loaders.position.byPortfolio.load(portfolio.id);
  }

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
    @Ctx() { sql, loaders }: Context,
  ): Promise<Portfolio> {
    const id = parseId(portfolioId, 'portfolioId');
    await setCostMethod(sql, id, method);
    return (await loaders.portfolio.byId.clear(id).load(id))!;
  }
}
