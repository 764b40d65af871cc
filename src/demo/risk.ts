/** Trailing business days (about three months) of daily returns behind each risk figure. */
export const RISK_WINDOW = 63;
export const MIN_RISK_RETURNS = 20;
export const RISK_FREE_RATE = 0.03;
export const TRADING_DAYS_PER_YEAR = 252;

export interface RiskMetrics {
  /** Annualized sample standard deviation of daily returns. */
  volatility: number;
  /** Sample covariance with the index over the index's sample variance; null if the index did not move. */
  beta: number | null;
  /** (annualized mean return - risk-free rate) / volatility; null if volatility is 0. */
  sharpeRatio: number | null;
  /** Historical one-day 95 % VaR: the 5th percentile of the daily returns negated, floored at 0. */
  var95: number;
  /** Annualized sample standard deviation of (return - index return). */
  trackingError: number;
}

/**
 * Metrics of the returns at indices max(1, end - RISK_WINDOW + 1)..end against the index's returns
 * on the same days; undefined when fewer than MIN_RISK_RETURNS returns exist.
 */
export function riskMetrics(returns: Float64Array, indexReturns: Float64Array, end: number): RiskMetrics | undefined {
  const start = Math.max(1, end - RISK_WINDOW + 1);
  const count = end - start + 1;
  if (count < MIN_RISK_RETURNS) return undefined;

  let sum = 0;
  let indexSum = 0;
  for (let t = start; t <= end; t++) {
    sum += returns[t] ?? 0;
    indexSum += indexReturns[t] ?? 0;
  }
  const mean = sum / count;
  const indexMean = indexSum / count;
  let squares = 0;
  let indexSquares = 0;
  let products = 0;
  let differenceSum = 0;
  const window = new Float64Array(count);
  for (let t = start; t <= end; t++) {
    const value = returns[t] ?? 0;
    const indexValue = indexReturns[t] ?? 0;
    squares += (value - mean) ** 2;
    indexSquares += (indexValue - indexMean) ** 2;
    products += (value - mean) * (indexValue - indexMean);
    differenceSum += value - indexValue;
    window[t - start] = value;
  }
  const differenceMean = differenceSum / count;
  let differenceSquares = 0;
  for (let t = start; t <= end; t++) differenceSquares += ((returns[t] ?? 0) - (indexReturns[t] ?? 0) - differenceMean) ** 2;

  const annualize = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const volatility = Math.sqrt(squares / (count - 1)) * annualize;
  window.sort();
  return {
    volatility,
    beta: indexSquares > 0 ? products / indexSquares : null,
    sharpeRatio: volatility > 0 ? (mean * TRADING_DAYS_PER_YEAR - RISK_FREE_RATE) / volatility : null,
    var95: Math.max(0, -percentileCont(window, 0.05)),
    trackingError: Math.sqrt(differenceSquares / (count - 1)) * annualize,
  };
}

/** PostgreSQL's percentile_cont over sorted values: linear interpolation at position fraction * (n - 1). */
export function percentileCont(sorted: Float64Array, fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}
