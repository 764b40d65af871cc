import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import type { Role } from '../../auth/viewer.js';
import { driftOf, executeRebalance, proposeRebalance } from '../../optimizer/decisions.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { pageComplexity } from '../common/complexity.js';
import { parseId } from '../common/ids.js';
import type { Context } from '../context.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { PortfolioDrift, RebalanceDecision, RebalanceDecisionConnection } from './decision.type.js';
import { decisionsPage } from './decision.sql.js';
import { decisionOf } from './decision.view.js';
import { OptimizationInput, rebalanceRequest } from './optimizer.inputs.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => RebalanceDecision)
export class RebalanceDecisionResolver {
  @Authorized<Role>('ANALYST')
  @Mutation(() => RebalanceDecision, {
    description:
      'Optimizes as Portfolio.optimize does and stores the proposal as a decision: inputs, hashes of the price window, covariance and ' +
      'positions, the solver output and the actor. Needs ANALYST.',
  })
  async proposeRebalance(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Arg('input', () => OptimizationInput) input: OptimizationInput,
    @Ctx() { sql, viewer }: Context,
  ): Promise<RebalanceDecision> {
    return decisionOf(await proposeRebalance(sql, viewerActor(viewer), parseId(portfolioId, 'portfolioId'), rebalanceRequest(input)));
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => RebalanceDecision, {
    description:
      'Records the decision’s trades (dated today, at the proposal’s prices) through recordTrade, in one transaction: all or none. ' +
      'BAD_USER_INPUT on decisionId when it was executed before or the positions changed since the proposal. Needs ANALYST.',
  })
  async executeRebalance(@Arg('decisionId', () => ID) decisionId: string, @Ctx() { sql, viewer }: Context): Promise<RebalanceDecision> {
    return decisionOf(await executeRebalance(sql, viewerActor(viewer), parseId(decisionId, 'decisionId')));
  }

  @Reads('optimizer', 'reference')
  @Query(() => RebalanceDecisionConnection, {
    description: 'A portfolio’s rebalance decisions, newest first.',
    complexity: pageComplexity(1),
  })
  async rebalanceDecisions(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() { sql, viewer }: Context,
  ): Promise<Page<RebalanceDecision>> {
    const page = await decisionsPage(sql, viewer, parseId(portfolioId, 'portfolioId'), args);
    return {
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: decisionOf(edge.node) })),
      pageInfo: page.pageInfo,
      // A getter, so that the count runs only when a client reads totalCount.
      get totalCount() {
        return page.totalCount;
      },
    };
  }
}

@Resolver(() => Portfolio)
export class PortfolioDriftResolver {
  @Reads('optimizer', 'trades', 'market', 'fx', 'settings', 'reference', 'build')
  @FieldResolver(() => PortfolioDrift, {
    nullable: true,
    description: 'Drift of the positions from the target weights of the latest rebalance decision; null before the first.',
  })
  drift(@Root() portfolio: Portfolio, @Ctx() { sql }: Context): Promise<PortfolioDrift | null> {
    return driftOf(sql, portfolio.id);
  }
}
