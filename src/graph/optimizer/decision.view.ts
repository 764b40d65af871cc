import type { Decision } from '../../optimizer/decisions.js';
import { TradeType } from '../trade/trade.type.js';
import { RebalanceDecisionStatus, type RebalanceDecision } from './decision.type.js';

export function decisionOf(d: Decision): RebalanceDecision {
  return {
    id: d.id,
    portfolioId: d.portfolioId,
    status: d.status === 'EXECUTED' ? RebalanceDecisionStatus.EXECUTED : RebalanceDecisionStatus.PROPOSED,
    source: d.source,
    proposedAt: d.proposedAt,
    proposedBy: d.proposedBy,
    inputs: d.inputs as unknown as Record<string, unknown>,
    priceWindowHash: d.priceWindowHash,
    covarianceHash: d.covarianceHash,
    positionsHash: d.positionsHash,
    weights: d.solverOutput.weights,
    expectedReturn: d.solverOutput.expectedReturn,
    volatility: d.solverOutput.volatility,
    sharpe: d.solverOutput.sharpe,
    observations: d.solverOutput.observations,
    covarianceRepaired: d.solverOutput.covarianceRepaired,
    trades: d.trades.map((t) => ({ ...t, side: t.side === 'BUY' ? TradeType.BUY : TradeType.SELL })),
    executedAt: d.executedAt,
    executedBy: d.executedBy,
    tradeIds: d.tradeIds,
  };
}
