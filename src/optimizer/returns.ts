/**
 * Returns and expected returns as PyPortfolioOpt computes them. A series is one column per asset;
 * a missing price is NaN and stays missing: `pct_change(fill_method=None)` gives NaN for a return
 * whose close or previous close is missing, never a return filled from an older price.
 */
export type Series = Float64Array;

/** Daily returns, one column per asset; rows where every return is missing are dropped. */
export function returnsFromPrices(prices: readonly Series[]): Series[] {
  const n = prices.length;
  const t = n === 0 ? 0 : prices[0]!.length;
  const keep: number[] = [];
  for (let row = 1; row < t; row += 1) {
    for (let a = 0; a < n; a += 1) {
      const r = pctChange(prices[a]!, row);
      if (!Number.isNaN(r)) {
        keep.push(row);
        break;
      }
    }
  }
  return prices.map((p) => Float64Array.from(keep, (row) => pctChange(p, row)));
}

function pctChange(p: Series, row: number): number {
  const previous = p[row - 1]!;
  const close = p[row]!;
  // A zero previous close has no return (pandas gives inf; a weight cannot be built on it).
  return Number.isNaN(previous) || Number.isNaN(close) || previous === 0 ? NaN : close / previous - 1;
}

/** mean_historical_return(compounding=True): (∏(1 + r))^(frequency / count) − 1 over the returns present. */
export function meanHistoricalReturn(returns: readonly Series[], frequency = 252): Float64Array {
  return Float64Array.from(returns, (column) => compounded(column, frequency));
}

function compounded(column: Series, frequency: number): number {
  let logGrowth = 0;
  let count = 0;
  for (const r of column) {
    if (Number.isNaN(r)) continue;
    logGrowth += Math.log1p(r);
    count += 1;
  }
  return count === 0 ? NaN : Math.expm1((logGrowth * frequency) / count);
}

/**
 * capm_return: rf + β·(E[R_m] − rf), β = cov(r, r_m) / var(r_m) with pairwise-complete
 * observations, E[R_m] the benchmark's compounded annual return. Without a benchmark the market is
 * the equal-weighted mean of the assets' returns present on each date, as PyPortfolioOpt does.
 * The benchmark's returns must be aligned to the assets' rows (NaN where it has no return).
 */
export function capmReturn(returns: readonly Series[], benchmark: Series | undefined, riskFreeRate = 0.02, frequency = 252): Float64Array {
  const market = benchmark ?? rowMeans(returns);
  const marketVariance = pairwiseCovariance(market, market);
  const marketReturn = compounded(market, frequency);
  return Float64Array.from(
    returns,
    (column) => riskFreeRate + (pairwiseCovariance(column, market) / marketVariance) * (marketReturn - riskFreeRate),
  );
}

function rowMeans(returns: readonly Series[]): Series {
  const t = returns[0]?.length ?? 0;
  const out = new Float64Array(t);
  for (let row = 0; row < t; row += 1) {
    let sum = 0;
    let count = 0;
    for (const column of returns) {
      const r = column[row]!;
      if (Number.isNaN(r)) continue;
      sum += r;
      count += 1;
    }
    out[row] = count === 0 ? NaN : sum / count;
  }
  return out;
}

/** pandas' cov of two columns: the rows where both are present, their own means, ddof 1. */
export function pairwiseCovariance(x: Series, y: Series): number {
  let count = 0;
  let meanX = 0;
  let meanY = 0;
  for (let row = 0; row < x.length; row += 1) {
    const a = x[row]!;
    const b = y[row]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    count += 1;
    meanX += a;
    meanY += b;
  }
  if (count < 2) return NaN;
  meanX /= count;
  meanY /= count;
  let sum = 0;
  for (let row = 0; row < x.length; row += 1) {
    const a = x[row]!;
    const b = y[row]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sum += (a - meanX) * (b - meanY);
  }
  return sum / (count - 1);
}
