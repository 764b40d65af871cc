import { isoDate } from '../lib/dates.js';
import * as m from './metrics.js';
import { finite } from './options.js';

/** The figures of a series of returns, as the graph's RiskProfile has them. */
export interface RiskFigures {
  returns: number;
  firstDate: string | null;
  lastDate: string | null;
  benchmarkReturns: number;
  meanReturn: number | null;
  cumulativeReturn: number | null;
  annualReturn: number | null;
  volatility: number | null;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
  downsideRisk: number | null;
  valueAtRisk: number | null;
  parametricValueAtRisk: number | null;
  expectedShortfall: number | null;
  maxDrawdown: number | null;
  maxDrawdownPeak: string | null;
  maxDrawdownTrough: string | null;
  beta: number | null;
  alpha: number | null;
  trackingError: number | null;
  informationRatio: number | null;
}

/** A series of daily returns in date order. */
export interface ReturnSeries {
  /** The date of each return, as an epoch day (src/lib/dates.ts), ascending. */
  days: ArrayLike<number>;
  r: Float64Array;
  /** The benchmark's return on each of those days; NaN where it has none. Null without a benchmark. */
  b: Float64Array | null;
  /** The price date before the first return: where a drawdown that peaks at the start peaks. */
  startDay: number | null;
}

export interface FigureOptions {
  /** Annual; the daily rate is riskFreeRate / 252. */
  riskFreeRate: number;
  confidence: number;
}

/** Each value minus a constant. */
function minus(values: Float64Array, constant: number): Float64Array {
  return values.map((value) => value - constant);
}

/** Every figure of the series, by the metrics of src/risk/metrics.ts; no NaN or Infinity, which JSON cannot carry. */
export function riskFigures(series: ReturnSeries, { riskFreeRate, confidence }: FigureOptions): RiskFigures {
  const { r, days } = series;
  const n = r.length;
  const rf = riskFreeRate / m.PERIODS_PER_YEAR;
  // The days on which the benchmark has a return too: what beta, alpha and the active return use.
  const paired: number[] = [];
  if (series.b) for (let i = 0; i < n; i++) if (!Number.isNaN(series.b[i]!)) paired.push(i);
  const pr = Float64Array.from(paired, (i) => r[i]!);
  const pb = Float64Array.from(paired, (i) => series.b![i]!);
  const active = pr.map((value, i) => value - pb[i]!);
  const excess = minus(r, rf);
  const drawdown = n > 0 ? m.maxDrawdown(r) : null;
  const dayOf = (position: number) => {
    const day = position === 0 ? series.startDay : days[position - 1]!;
    return day === null ? null : isoDate(day);
  };
  return {
    returns: n,
    firstDate: n > 0 ? isoDate(days[0]!) : null,
    lastDate: n > 0 ? isoDate(days[n - 1]!) : null,
    benchmarkReturns: paired.length,
    meanReturn: finite(m.meanReturn(r)),
    cumulativeReturn: finite(m.cumulativeReturn(r)),
    annualReturn: finite(m.annualReturn(r)),
    volatility: finite(m.annualVolatility(r)),
    sharpeRatio: finite(m.sharpeRatio(excess)),
    sortinoRatio: finite(m.sortinoRatio(excess)),
    downsideRisk: finite(m.downsideRisk(excess)),
    valueAtRisk: finite(m.historicalVar(r, confidence)),
    parametricValueAtRisk: finite(m.parametricVar(r, confidence)),
    expectedShortfall: finite(m.conditionalVar(r, confidence)),
    maxDrawdown: drawdown && finite(drawdown.drawdown),
    maxDrawdownPeak: drawdown && dayOf(drawdown.peak),
    maxDrawdownTrough: drawdown && dayOf(drawdown.trough),
    beta: finite(m.beta(pr, pb)),
    alpha: finite(m.alpha(minus(pr, rf), minus(pb, rf))),
    trackingError: finite(m.trackingError(active)),
    informationRatio: finite(m.informationRatio(active)),
  };
}
