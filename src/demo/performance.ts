import type { BusinessCalendar } from './calendar.js';

/**
 * Simple daily returns of the stored (rounded) closes: [t] = close[t] / close[t-1] - 1.
 * Index 0 has no previous close and holds NaN.
 */
export function dailyReturns(closes: Float64Array): Float64Array {
  const returns = new Float64Array(closes.length);
  returns[0] = Number.NaN;
  for (let t = 1; t < closes.length; t++) returns[t] = (closes[t] ?? 0) / (closes[t - 1] ?? 0) - 1;
  return returns;
}

export interface PerformanceRow {
  /** Business-day index. */
  day: number;
  dailyReturn: number;
  mtdReturn: number;
  ytdReturn: number;
  totalReturn: number;
}

/**
 * One row per priced day except the first, which has no daily return and is left out.
 * Month- and year-to-date returns compare with the last close before the month (year) began, or with
 * the first close when the history starts inside that month (year); total returns with the first close.
 */
export function* performanceRows(closes: Float64Array, calendar: BusinessCalendar): Generator<PerformanceRow> {
  const first = closes[0] ?? 0;
  for (let t = 1; t < closes.length; t++) {
    const close = closes[t] ?? 0;
    const monthBase = closes[Math.max(0, calendar.previousMonthEnd[t] ?? 0)] ?? 0;
    const yearBase = closes[Math.max(0, calendar.previousYearEnd[t] ?? 0)] ?? 0;
    yield {
      day: t,
      dailyReturn: close / (closes[t - 1] ?? 0) - 1,
      mtdReturn: close / monthBase - 1,
      ytdReturn: close / yearBase - 1,
      totalReturn: close / first - 1,
    };
  }
}
