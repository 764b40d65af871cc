import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { planRebalance } from '../../optimizer/plan.js';
import type { Context } from '../context.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { OptimizationInput, rebalanceRequest } from './optimizer.inputs.js';
import { Optimization } from './optimizer.type.js';
import { optimizationOf } from './optimizer.view.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Portfolio)
export class PortfolioOptimizeResolver {
  @Reads('trades', 'market', 'fx', 'settings', 'reference', 'build', 'risk')
  @FieldResolver(() => Optimization, {
    description:
      'Mean-variance weights for the portfolio’s holdings (or input.assetIds) over a price window, as PyPortfolioOpt computes them, and ' +
      'the trades that would reach them. Reads only. BAD_USER_INPUT naming the argument for an infeasible target or bounds.',
  })
  async optimize(
    @Root() portfolio: Portfolio,
    @Arg('input', () => OptimizationInput) input: OptimizationInput,
    @Ctx() context: Context,
  ): Promise<Optimization> {
    return optimizationOf(await planRebalance(context.sql, portfolio.id, rebalanceRequest(input)));
  }
}
