import type { RebalancePlan } from '../../optimizer/plan.js';
import { TradeType } from '../trade/trade.type.js';
import type { Optimization } from './optimizer.type.js';

/** A plan as the graph shows it. */
export function optimizationOf(plan: RebalancePlan): Optimization {
  return {
    from: plan.request.from,
    to: plan.request.to,
    observations: plan.observations,
    weights: plan.weights,
    expectedReturn: plan.expectedReturn,
    volatility: plan.volatility,
    sharpe: plan.sharpe,
    riskFreeRate: plan.request.riskFreeRate,
    covarianceRepaired: plan.covarianceRepaired,
    shrinkage: plan.shrinkage,
    baseCurrency: plan.baseCurrency,
    marketValue: plan.marketValue,
    lotSize: plan.request.lotSize,
    holdings: plan.holdings,
    trades: plan.trades.map((trade) => ({ ...trade, side: trade.side === 'BUY' ? TradeType.BUY : TradeType.SELL })),
    priceWindowHash: plan.priceWindowHash,
    covarianceHash: plan.covarianceHash,
  };
}
