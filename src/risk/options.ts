import { BadUserInputError } from '../lib/errors.js';

/** The spans a window may be given as, ending at its `to`. */
export const SPANS = {
  ONE_MONTH: '1 month',
  THREE_MONTHS: '3 months',
  SIX_MONTHS: '6 months',
  ONE_YEAR: '1 year',
  THREE_YEARS: '3 years',
} as const;
export type Span = keyof typeof SPANS;
/** Each span's name as its own value: the shape of a string enum, which the graph registers as RiskSpan. */
export const Span = Object.fromEntries(Object.keys(SPANS).map((name) => [name, name])) as { [Name in Span]: Name };

export const DEFAULT_SPAN: Span = 'ONE_YEAR';
export const DEFAULT_CONFIDENCE = 0.95;
/** The most holdings a correlation matrix has. */
export const MAX_CORRELATED = 100;

export interface RiskWindow {
  from?: string | null;
  to?: string | null;
  span?: Span | null;
}

export interface RiskOptions {
  /** YYYY-MM-DD, or null for `to` minus the span. */
  from: string | null;
  /** YYYY-MM-DD, or null for the latest price date. */
  to: string | null;
  /** The interval from `from` to `to` when from is null. */
  span: string;
  benchmarkId: string | null;
  /** Annual; the daily rate is riskFreeRate / 252. */
  riskFreeRate: number;
  confidence: number;
}

/** Checks what a caller asked for; every refusal names its argument. */
export function riskOptions(
  window: RiskWindow | null | undefined,
  benchmarkId: string | null | undefined,
  riskFreeRate: number | null | undefined,
  confidence: number | null | undefined,
): RiskOptions {
  const from = window?.from ?? null;
  const to = window?.to ?? null;
  if (from !== null && window?.span) throw new BadUserInputError('window takes either from or span, not both', 'window.span');
  if (from !== null && to !== null && from > to)
    throw new BadUserInputError(`window.from (${from}) is after window.to (${to})`, 'window.from');
  const c = confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isFinite(c) || c <= 0.5 || c >= 1) {
    throw new BadUserInputError(`confidence must lie strictly between 0.5 and 1, got ${c}`, 'confidence');
  }
  const rf = riskFreeRate ?? 0;
  if (!Number.isFinite(rf) || rf <= -1 || rf >= 1) {
    throw new BadUserInputError(`riskFreeRate is an annual fraction strictly between -1 and 1 (0.03 is 3 %), got ${rf}`, 'riskFreeRate');
  }
  return { from, to, span: SPANS[window?.span ?? DEFAULT_SPAN], benchmarkId: benchmarkId ?? null, riskFreeRate: rf, confidence: c };
}

/** A float for the response: NaN and ±Infinity, which JSON cannot carry, become null. */
export function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
