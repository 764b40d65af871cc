import type { Closes } from './prices.js';

/** An asset's daily returns in date order. */
export interface Returns {
  /** The date of each return, an epoch day. */
  days: Int32Array;
  /** The price date before it: the close the return is measured from. */
  previous: Int32Array;
  r: Float64Array;
}

/** Each calendar day's FX rate into the base currency from day `from` on; NaN for a day without one. */
export interface RatesByDay {
  from: number;
  rates: Float64Array;
}

/**
 * The returns of consecutive closes of the series (those with indexes in [start, end)): on each
 * close's day, close / previous close − 1, each close first multiplied by its day's rate when `fx`
 * is given. A previous close of 0, or a close without a rate, gives no return (not a division by
 * zero).
 */
export function returnsOf(series: Closes, fx?: RatesByDay, start = 0, end = series.days.length): Returns {
  const { days, closes } = series;
  const count = Math.max(0, end - start - 1);
  const out: Returns = { days: new Int32Array(count), previous: new Int32Array(count), r: new Float64Array(count) };
  let n = 0;
  let before = NaN;
  for (let i = start; i < end; i++) {
    const now = fx ? closes[i]! * (fx.rates[days[i]! - fx.from] ?? NaN) : closes[i]!;
    if (i === start) {
      before = now;
      continue;
    }
    if (before !== 0 && !Number.isNaN(before) && !Number.isNaN(now)) {
      out.days[n] = days[i]!;
      out.previous[n] = days[i - 1]!;
      out.r[n] = now / before - 1;
      n++;
    }
    before = now;
  }
  return n === count ? out : { days: out.days.subarray(0, n), previous: out.previous.subarray(0, n), r: out.r.subarray(0, n) };
}

/** A series' returns on the given days (ascending), NaN on a day it has none. */
export function onDays(series: Returns, days: ArrayLike<number>): Float64Array {
  const out = new Float64Array(days.length).fill(NaN);
  for (let i = 0, j = 0; i < days.length; i++) {
    while (j < series.days.length && series.days[j]! < days[i]!) j++;
    if (j < series.days.length && series.days[j] === days[i]) out[i] = series.r[j]!;
  }
  return out;
}
