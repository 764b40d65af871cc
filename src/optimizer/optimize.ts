import { BadUserInputError } from '../lib/errors.js';
import type { Matrix } from './matrix.js';
import { solveMeanVariance, type MeanVarianceSolution, type Objective, type SectorLimit } from './objectives.js';
import { capmReturn, meanHistoricalReturn, returnsFromPrices, type Series } from './returns.js';
import { covariance, type RiskModel } from './risk-models.js';

export type ExpectedReturnsModel = 'MEAN_HISTORICAL' | 'CAPM';

export interface OptimizeOptions {
  objective: Objective;
  expectedReturns?: ExpectedReturnsModel;
  riskModel?: RiskModel;
  /** Default 0.02: every Sharpe is (return − rf) / volatility. */
  riskFreeRate?: number;
  /** Per-asset bounds; null is PyPortfolioOpt's None: −1 for a minimum, +1 for a maximum. */
  lower?: ReadonlyArray<number | null>;
  upper?: ReadonlyArray<number | null>;
  gamma?: number;
  sectors?: SectorLimit[];
  frequency?: number;
}

export interface Optimized extends MeanVarianceSolution {
  expectedReturns: Float64Array;
  covariance: Matrix;
  covarianceRepaired: boolean;
  shrinkage?: number;
  observations: number;
}

/**
 * PyPortfolioOpt's pipeline from prices: returns without filling, expected returns, a risk model,
 * then the objective. `prices` has one column per asset over the same dates, NaN where a close is
 * missing; `benchmark` (CAPM only) is a column over those dates too.
 */
export function optimizeFromPrices(prices: readonly Series[], options: OptimizeOptions, benchmark?: Series): Optimized {
  const frequency = options.frequency ?? 252;
  const riskFreeRate = options.riskFreeRate ?? 0.02;
  const all = returnsFromPrices(benchmark ? [...prices, benchmark] : prices);
  const returns = benchmark ? all.slice(0, -1) : all;
  const observations = returns[0]?.length ?? 0;
  const missing = returns.findIndex((column) => column.filter((r) => !Number.isNaN(r)).length < 2);
  if (missing >= 0) {
    throw new BadUserInputError(
      `asset ${missing + 1} has fewer than two returns in the price window`,
      observations < 2 ? 'input.from' : 'input.assetIds',
    );
  }
  const mu =
    options.expectedReturns === 'CAPM'
      ? capmReturn(returns, benchmark ? all[all.length - 1] : undefined, riskFreeRate, frequency)
      : meanHistoricalReturn(returns, frequency);
  const cov = covariance(returns, options.riskModel ?? 'SAMPLE_COV', frequency);
  const n = prices.length;
  const bound = (values: ReadonlyArray<number | null> | undefined, fallback: number, none: number) =>
    Float64Array.from({ length: n }, (_, i) => {
      const v = values === undefined ? fallback : values[i];
      return v === null || v === undefined ? none : v;
    });
  const solution = solveMeanVariance({
    expectedReturns: mu,
    covariance: cov.matrix,
    objective: options.objective,
    riskFreeRate,
    lower: bound(options.lower, 0, -1),
    upper: bound(options.upper, 1, 1),
    gamma: options.gamma ?? 0,
    sectors: options.sectors ?? [],
  });
  return {
    ...solution,
    expectedReturns: mu,
    covariance: cov.matrix,
    covarianceRepaired: cov.repaired,
    ...(cov.shrinkage === undefined ? {} : { shrinkage: cov.shrinkage }),
    observations,
  };
}
