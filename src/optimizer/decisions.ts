import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import type { Sql } from '../infra/db.js';
import { BadUserInputError, NotFoundError } from '../lib/errors.js';
import { lockPortfolios } from '../trades/portfolio-lock.js';
import { recordTradeIn } from '../trades/record-trade.js';
import { positionsHash, valuedAssets } from './market.js';
import { planRebalance, type RebalancePlan, type RebalanceRequest } from './plan.js';
import type { ProposedTrade } from './proposal.js';

export type DecisionStatus = 'PROPOSED' | 'EXECUTED';
export type DecisionSource = 'graph' | 'schedule';

export interface Decision {
  id: string;
  portfolioId: string;
  status: DecisionStatus;
  source: DecisionSource;
  proposedAt: Date;
  proposedBy: string;
  inputs: RebalanceRequest;
  priceWindowHash: string;
  covarianceHash: string;
  positionsHash: string;
  solverOutput: SolverOutput;
  trades: ProposedTrade[];
  executedAt: Date | null;
  executedBy: string | null;
  tradeIds: string[] | null;
}

/** What the decision keeps of the plan besides its inputs, hashes and trades. */
export interface SolverOutput {
  weights: { assetId: string; weight: number; expectedReturn: number }[];
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  observations: number;
  covarianceRepaired: boolean;
  shrinkage: number | null;
  marketValue: number;
  baseCurrency: string;
}

export function decisionColumns(sql: Sql) {
  return sql`
    d.decision_id::text as id, d.portfolio_id::text as "portfolioId", d.status, d.source, d.proposed_at as "proposedAt",
    d.proposed_by as "proposedBy", d.inputs, d.price_window_hash as "priceWindowHash", d.covariance_hash as "covarianceHash",
    d.positions_hash as "positionsHash", d.solver_output as "solverOutput", d.trades, d.executed_at as "executedAt",
    d.executed_by as "executedBy", d.trade_ids::text[] as "tradeIds"`;
}

function solverOutput(plan: RebalancePlan): SolverOutput {
  return {
    weights: plan.weights,
    expectedReturn: plan.expectedReturn,
    volatility: plan.volatility,
    sharpe: plan.sharpe,
    observations: plan.observations,
    covarianceRepaired: plan.covarianceRepaired,
    shrinkage: plan.shrinkage,
    marketValue: plan.marketValue,
    baseCurrency: plan.baseCurrency,
  };
}

/**
 * Plans a rebalance and stores it as a decision, with its inputs, the hashes of its price window,
 * covariance and positions, the solver's output and the actor, and records it in the audit log as
 * rebalance.proposed in the same transaction. BAD_USER_INPUT as planRebalance.
 */
export async function proposeRebalance(
  sql: Sql,
  actor: Actor,
  portfolioId: string,
  request: RebalanceRequest,
  source: DecisionSource = 'graph',
): Promise<Decision> {
  const plan = await planRebalance(sql, portfolioId, request);
  const output = solverOutput(plan);
  return sql.begin(async (tx) => {
    const [decision] = await tx<Decision[]>`
      insert into rebalance_decisions as d (portfolio_id, proposed_by, source, inputs, price_window_hash, covariance_hash,
        positions_hash, solver_output, trades)
      values (${portfolioId}::bigint, ${actor.subject}, ${source}, ${tx.json(request as never)}, ${plan.priceWindowHash},
        ${plan.covarianceHash}, ${plan.positionsHash}, ${tx.json(output as never)}, ${tx.json(plan.trades as never)})
      returning ${decisionColumns(tx as unknown as Sql)}`;
    await recordAudit(tx, {
      actor,
      action: 'rebalance.proposed',
      entity: 'rebalance_decision',
      entityId: decision!.id,
      payload: {
        decision_id: decision!.id,
        portfolio_id: portfolioId,
        source,
        inputs: request,
        price_window_hash: plan.priceWindowHash,
        covariance_hash: plan.covarianceHash,
        positions_hash: plan.positionsHash,
        solver_output: output,
        trades: plan.trades,
      },
    });
    return decision!;
  }) as Promise<Decision>;
}

/**
 * Records a proposed decision's trades through recordTrade's own code, all in one transaction: all
 * recorded or none. Refused (BAD_USER_INPUT naming decisionId) when the decision was executed
 * before or when the portfolio's positions changed since it was proposed. Trades are dated today,
 * at the proposal's prices, SELLs first, each with externalId rebalance-<decision>-<asset>. The
 * audit log gets each trade's trade.recorded entry, as recordTrade writes it, then
 * rebalance.executed with the decision and its trade ids, all in the same transaction.
 */
export async function executeRebalance(sql: Sql, actor: Actor, decisionId: string): Promise<Decision> {
  return sql.begin(async (tx) => {
    const [decision] = await tx<Decision[]>`
      select ${decisionColumns(tx as unknown as Sql)} from rebalance_decisions d where d.decision_id = ${decisionId}::bigint for update`;
    if (!decision) throw new NotFoundError(`rebalance decision ${decisionId} does not exist`);
    if (decision.status !== 'PROPOSED') {
      throw new BadUserInputError(`decisionId ${decisionId} was executed already`, 'decisionId');
    }
    await lockPortfolios(tx, [decision.portfolioId]);
    const now = positionsHash(await valuedAssets(tx as unknown as Sql, decision.portfolioId, []));
    if (now !== decision.positionsHash) {
      throw new BadUserInputError(
        `decisionId ${decisionId}: the positions of portfolio ${decision.portfolioId} changed since the proposal; propose again`,
        'decisionId',
      );
    }
    const [{ today }] = await tx<[{ today: string }]>`select current_date::text as today`;
    const ordered = [...decision.trades].sort((a, b) => (a.side === b.side ? 0 : a.side === 'SELL' ? -1 : 1));
    const recorded = [];
    for (const trade of ordered) recorded.push(await recordTradeIn(tx, tradeRequest(decision, trade, today), actor));
    const tradeIds = recorded.map((trade) => trade.id);
    const [executed] = await tx<Decision[]>`
      update rebalance_decisions d set status = 'EXECUTED', executed_at = now(), executed_by = ${actor.subject},
        trade_ids = ${tradeIds}::bigint[]
      where d.decision_id = ${decisionId}::bigint
      returning ${decisionColumns(tx as unknown as Sql)}`;
    // Last, after every lock the trades took: the audit chain's lock must be the last one taken.
    for (const trade of recorded) if (trade.audit) await recordAudit(tx, trade.audit);
    await recordAudit(tx, {
      actor,
      action: 'rebalance.executed',
      entity: 'rebalance_decision',
      entityId: decisionId,
      payload: { decision_id: decisionId, portfolio_id: decision.portfolioId, trade_ids: tradeIds },
    });
    return executed!;
  }) as Promise<Decision>;
}

function tradeRequest(decision: Decision, trade: ProposedTrade, today: string) {
  return {
    assetId: trade.assetId,
    portfolioId: decision.portfolioId,
    counterpartyId: null,
    type: trade.side,
    date: today,
    quantity: trade.quantity,
    price: trade.price,
    costs: '0',
    currency: null,
    externalId: `rebalance-${decision.id}-${trade.assetId}`,
  };
}

export interface Drift {
  decisionId: string;
  proposedAt: Date;
  /** ½ Σ |current − target|: the share of the portfolio that would have to trade to be back on target. */
  total: number;
  assets: { assetId: string; targetWeight: number; currentWeight: number; drift: number }[];
}

/**
 * How far the positions are, at their latest closes, from the target weights of the portfolio's
 * latest decision (executed or not); null before its first decision.
 */
export async function driftOf(sql: Sql, portfolioId: string): Promise<Drift | null> {
  const [decision] = await sql<Pick<Decision, 'id' | 'proposedAt' | 'solverOutput'>[]>`
    select d.decision_id::text as id, d.proposed_at as "proposedAt", d.solver_output as "solverOutput"
    from rebalance_decisions d where d.portfolio_id = ${portfolioId}::bigint order by d.decision_id desc limit 1`;
  if (!decision) return null;
  const targets = new Map(decision.solverOutput.weights.map((w) => [w.assetId, w.weight]));
  const valued = await valuedAssets(sql, portfolioId, [...targets.keys()]);
  const value = new Map(
    valued.map((v) => [v.assetId, v.price === null || v.rate === null ? 0 : Number(v.quantity) * Number(v.price) * v.rate]),
  );
  const total = [...value.values()].reduce((sum, v) => sum + v, 0);
  const assets = valued
    .filter((v) => targets.has(v.assetId) || value.get(v.assetId) !== 0)
    .map((v) => {
      const targetWeight = targets.get(v.assetId) ?? 0;
      const currentWeight = total > 0 ? value.get(v.assetId)! / total : 0;
      return { assetId: v.assetId, targetWeight, currentWeight, drift: currentWeight - targetWeight };
    });
  return {
    decisionId: decision.id,
    proposedAt: decision.proposedAt,
    total: assets.reduce((sum, a) => sum + Math.abs(a.drift), 0) / 2,
    assets,
  };
}
