import { normalQuantile } from './normal.js';

/**
 * The one implementation of every risk metric, over arrays of simple returns (one per period, no
 * missing values: a caller pairs or filters its series first), used by Asset.risk, Portfolio.risk
 * and the risk engine alike. Conventions (empyrical's, see docs/risk.md): standard deviations with
 * n − 1, `periods` periods a year, rates per period. Means and (co)variances are two-pass, as
 * numpy's, so that the figures agree with empyrical's to the last digits. A figure that cannot be
 * computed (too few returns, no variance) is null, never NaN.
 */
export type Returns = ArrayLike<number>;

/** Trading days a year: what every figure is annualized with. */
export const PERIODS_PER_YEAR = 252;

function nullable(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** mean(r); null for no returns. */
export function meanReturn(r: Returns): number | null {
  if (r.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += r[i]!;
  return sum / r.length;
}

/** Σ(x − x̄)(y − ȳ) / (n − 1) over equally long series; null below two returns. */
export function covariance(x: Returns, y: Returns): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = meanReturn(x)!;
  const my = meanReturn(y)!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (x[i]! - mx) * (y[i]! - my);
  return sum / (n - 1);
}

/** The sample standard deviation (n − 1); null below two returns. */
export function standardDeviation(r: Returns): number | null {
  const n = r.length;
  if (n < 2) return null;
  const m = meanReturn(r)!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (r[i]! - m) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** std(r) · √periods. */
export function annualVolatility(r: Returns, periods = PERIODS_PER_YEAR): number | null {
  const std = standardDeviation(r);
  return std === null ? null : std * Math.sqrt(periods);
}

/** mean(e) / std(e) · √periods, over excess returns e = r − rf; null when e does not vary. */
export function sharpeRatio(excess: Returns, periods = PERIODS_PER_YEAR): number | null {
  const std = standardDeviation(excess);
  if (!std) return null;
  return nullable((meanReturn(excess)! / std) * Math.sqrt(periods));
}

/** √mean(min(e, 0)²) · √periods, over returns in excess of the required return. */
export function downsideRisk(excess: Returns, periods = PERIODS_PER_YEAR): number | null {
  if (excess.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < excess.length; i++) {
    const e = excess[i]!;
    if (e < 0) sum += e * e;
  }
  return Math.sqrt(sum / excess.length) * Math.sqrt(periods);
}

/** mean(e) · periods / downside risk; null when no return falls below the required one. */
export function sortinoRatio(excess: Returns, periods = PERIODS_PER_YEAR): number | null {
  const downside = downsideRisk(excess, periods);
  if (!downside) return null;
  return nullable((meanReturn(excess)! * periods) / downside);
}

/** cov(r, b) / var(b) over paired returns; null below two pairs or when b does not vary. */
export function beta(r: Returns, b: Returns): number | null {
  const spread = covariance(b, b);
  if (!spread) return null;
  return nullable(covariance(r, b)! / spread);
}

/**
 * (1 + mean(e_r − β·e_b))^periods − 1 over paired excess returns e = r − rf, β their beta: the
 * regression's intercept, mean(e_r) − β·mean(e_b), compounded over a year as empyrical's alpha.
 */
export function alpha(excessR: Returns, excessB: Returns, periods = PERIODS_PER_YEAR): number | null {
  const slope = beta(excessR, excessB);
  if (slope === null) return null;
  return nullable((1 + (meanReturn(excessR)! - slope * meanReturn(excessB)!)) ** periods - 1);
}

/** std(r − b) · √periods: the annual volatility of the active return. */
export function trackingError(active: Returns, periods = PERIODS_PER_YEAR): number | null {
  return annualVolatility(active, periods);
}

/** mean(r − b) · periods / tracking error; null when it is 0. */
export function informationRatio(active: Returns, periods = PERIODS_PER_YEAR): number | null {
  const error = trackingError(active, periods);
  if (!error) return null;
  return nullable((meanReturn(active)! * periods) / error);
}

/**
 * Rearranges `values` so that values[k] is their k-th smallest (from 0), none before it larger and
 * none after it smaller (Hoare's quickselect, median-of-three pivots): the order statistics a
 * percentile needs in linear time, where the engine would otherwise sort every asset's returns.
 */
function select(values: Float64Array, k: number): void {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    const [a, b, c] = [values[left]!, values[middle]!, values[right]!];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * The q-quantile of the values, interpolated linearly between order statistics as numpy's
 * percentile (its default method, with numpy's own lerp).
 */
function percentile(r: Returns, q: number): number {
  const values = new Float64Array(r as ArrayLike<number>);
  const position = q * (values.length - 1);
  const low = Math.floor(position);
  select(values, low);
  const a = values[low]!;
  // The next order statistic is the smallest of those after it.
  let b = a;
  if (low + 1 < values.length) {
    b = values[low + 1]!;
    for (let i = low + 2; i < values.length; i++) if (values[i]! < b) b = values[i]!;
  }
  const t = position - low;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** Historical VaR: minus the (1 − c) percentile of the returns; null for no returns. */
export function historicalVar(r: Returns, confidence: number): number | null {
  if (r.length === 0) return null;
  return -percentile(r, 1 - confidence);
}

/** Parametric (normal) VaR: −(mean − z_c · std); null below two returns. */
export function parametricVar(r: Returns, confidence: number): number | null {
  const std = standardDeviation(r);
  return std === null ? null : normalQuantile(confidence) * std - meanReturn(r)!;
}

/**
 * Expected shortfall as empyrical's conditional_value_at_risk: minus the mean of the lowest
 * ⌊(n − 1)(1 − c)⌋ + 1 returns; null for no returns.
 */
export function conditionalVar(r: Returns, confidence: number): number | null {
  if (r.length === 0) return null;
  // The constructor copies an array-like directly; Float64Array.from would iterate it.
  const sorted = new Float64Array(r as ArrayLike<number>).sort();
  return -meanReturn(sorted.subarray(0, Math.floor((r.length - 1) * (1 - confidence)) + 1))!;
}

/** Π(1 + r) − 1, multiplied out step by step; null when a return is −100 % or less. */
export function cumulativeReturn(r: Returns): number | null {
  let wealth = 1;
  for (let i = 0; i < r.length; i++) {
    if (!(r[i]! > -1)) return null;
    wealth *= 1 + r[i]!;
  }
  return wealth - 1;
}

/** (Π(1 + r))^(periods / n) − 1: the compound annual growth rate of the returns. */
export function annualReturn(r: Returns, periods = PERIODS_PER_YEAR): number | null {
  const cumulative = cumulativeReturn(r);
  if (cumulative === null || r.length === 0) return null;
  return nullable((cumulative + 1) ** (periods / r.length) - 1);
}

export interface Drawdown {
  /** min over t of wealth(t) / max(wealth up to t) − 1: a negative fraction, 0 if it never falls. */
  drawdown: number;
  /** Positions in the wealth series: 0 is the start, k the wealth after the k-th return. */
  peak: number;
  trough: number;
}

/** The largest fall of the wealth compounded from 1 before the first return, as empyrical's max_drawdown. */
export function maxDrawdown(r: Returns): Drawdown {
  let wealth = 1;
  let high = 1;
  let highAt = 0;
  const result: Drawdown = { drawdown: 0, peak: 0, trough: 0 };
  for (let k = 1; k <= r.length; k++) {
    wealth *= 1 + r[k - 1]!;
    if (wealth > high) {
      high = wealth;
      highAt = k;
    }
    const fall = (wealth - high) / high;
    if (fall < result.drawdown) {
      result.drawdown = fall;
      result.peak = highAt;
      result.trough = k;
    }
  }
  return result;
}

/** Σ xᵢ·yᵢ, four running sums at a time: the inner loop of the correlation matrix. */
function dot(x: Float64Array, y: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = x.length - (x.length % 4);
  for (let t = 0; t < n; t += 4) {
    s0 += x[t]! * y[t]!;
    s1 += x[t + 1]! * y[t + 1]!;
    s2 += x[t + 2]! * y[t + 2]!;
    s3 += x[t + 3]! * y[t + 3]!;
  }
  for (let t = n; t < x.length; t++) s0 += x[t]! * y[t]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Pearson correlations of equally long series, as a square matrix in the order given: the sample
 * covariance over the product of the sample standard deviations (n − 1 cancels), from deviations
 * from the mean. Null where a series does not vary; 1 on the diagonal otherwise.
 */
export function correlationMatrix(series: readonly Returns[]): (number | null)[][] {
  const centred = series.map((values) => {
    const mean = meanReturn(values) ?? 0;
    const deviations = new Float64Array(values.length);
    let squares = 0;
    for (let t = 0; t < values.length; t++) {
      deviations[t] = values[t]! - mean;
      squares += deviations[t]! * deviations[t]!;
    }
    return { deviations, norm: Math.sqrt(squares) };
  });
  const matrix = centred.map(() => new Array<number | null>(centred.length).fill(null));
  for (let i = 0; i < centred.length; i++) {
    const a = centred[i]!;
    if (!(a.norm > 0 && Number.isFinite(a.norm))) continue;
    matrix[i]![i] = 1;
    for (let j = 0; j < i; j++) {
      const b = centred[j]!;
      if (!(b.norm > 0 && Number.isFinite(b.norm))) continue;
      const products = dot(a.deviations, b.deviations);
      // Rounding may carry |ρ| a hair past 1.
      const rho = Math.max(-1, Math.min(1, products / (a.norm * b.norm)));
      matrix[i]![j] = rho;
      matrix[j]![i] = rho;
    }
  }
  return matrix;
}

export { normalQuantile };
