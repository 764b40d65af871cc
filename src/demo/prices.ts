import type { AssetPlan } from './assets.js';
import { epochDay } from '../lib/dates.js';
import type { BusinessCalendar } from './calendar.js';
import { CURRENCIES, type Currency, FX_LEVEL } from './catalog.js';
import { Random } from './random.js';

/** Prices are stored with four decimals; a tick is 0.0001. */
export const PRICE_DECIMALS = 4;
export const PRICE_SCALE = 10 ** PRICE_DECIMALS;
export const FX_DECIMALS = 8;
export const FX_SCALE = 10 ** FX_DECIMALS;
export const YIELD_DECIMALS = 6;

const MARKET_DRIFT = 0.07 / 252;
const MARKET_VOL = 0.011;
/** Closes never fall below one cent, so a bid one tick below the close stays positive. */
const MIN_CLOSE_TICKS = 100;

/** The daily log return of the market factor; index 0 is the first day and has none. */
export function marketFactor(seed: number, days: number): Float64Array {
  const random = new Random(seed, 'market');
  const returns = new Float64Array(days);
  for (let t = 1; t < days; t++) returns[t] = MARKET_DRIFT + MARKET_VOL * random.normal();
  return returns;
}

/** The asset's closing prices in ticks (integers), for business days 0..lastDay. */
export function closeTicks(plan: AssetPlan, market: Float64Array, seed: number, calendar: BusinessCalendar): Float64Array {
  const closes = new Float64Array(plan.lastDay + 1);
  if (plan.lastDay < 0) return closes;
  const random = new Random(seed, 'close', plan.id);
  const start = Math.log(plan.startPrice);
  const pullToPar = plan.type === 'BOND' && plan.maturityDate !== null ? parConvergence(plan.maturityDate, calendar) : undefined;
  let logPrice = start;
  closes[0] = toTicks(logPrice);
  for (let t = 1; t <= plan.lastDay; t++) {
    const trend = pullToPar ? PAR_LOG + (start - PAR_LOG) * pullToPar(t) : start + plan.drift * t;
    const shock = plan.idiosyncraticVol === 0 ? 0 : plan.idiosyncraticVol * random.normal();
    logPrice += plan.drift + plan.beta * (market[t] ?? 0) + shock + plan.reversion * (trend - logPrice);
    closes[t] = toTicks(logPrice);
  }
  return closes;
}

const PAR_LOG = Math.log(100);

/** A bond's premium or discount shrinks linearly to nothing at maturity (prices are per 100 of par). */
function parConvergence(maturityDate: string, calendar: BusinessCalendar): (t: number) => number {
  const maturity = epochDay(maturityDate);
  const initialDays = Math.max(1, maturity - calendar.day(0));
  return (t) => Math.max(0, maturity - calendar.day(t)) / initialDays;
}

function toTicks(logPrice: number): number {
  return Math.max(MIN_CLOSE_TICKS, Math.round(Math.exp(logPrice) * PRICE_SCALE));
}

/** One market_data row besides its close, all prices in ticks. */
export interface Bar {
  open: number;
  high: number;
  low: number;
  bid: number;
  ask: number;
  volume: number;
  /** Yield to maturity as a fraction, bonds only. */
  yieldRate: number | null;
}

/**
 * Opens gap from the previous close, highs and lows stretch beyond both, and bid and ask straddle the close.
 * Rounding to ticks is monotone, so low <= min(open, close) <= max(open, close) <= high survives it.
 */
export function* bars(plan: AssetPlan, closes: Float64Array, seed: number, calendar: BusinessCalendar): Generator<Bar> {
  const random = new Random(seed, 'bar', plan.id);
  const dailyVol = Math.hypot(plan.beta * MARKET_VOL, plan.idiosyncraticVol);
  const maturityDay = plan.maturityDate === null ? undefined : epochDay(plan.maturityDate);
  for (let t = 0; t < closes.length; t++) {
    const close = closes[t] ?? 0;
    const previous = t === 0 ? close : (closes[t - 1] ?? close);
    const open = Math.max(1, Math.round(previous * Math.exp(0.25 * dailyVol * random.normal())));
    const high = Math.ceil(Math.max(open, close) * Math.exp(0.5 * dailyVol * Math.abs(random.normal())));
    const low = Math.max(1, Math.floor(Math.min(open, close) * Math.exp(-0.5 * dailyVol * Math.abs(random.normal()))));
    const halfSpread = (close * plan.spread) / 2;
    const bid = Math.max(1, Math.min(close - 1, Math.floor(close - halfSpread)));
    const ask = Math.max(close + 1, Math.ceil(close + halfSpread));
    const surprise = dailyVol === 0 ? 0 : Math.abs(Math.log(close / previous)) / dailyVol;
    const volume = Math.max(1, Math.round(plan.averageVolume * Math.exp(0.35 * random.normal() - 0.06) * (0.7 + 0.3 * surprise)));
    const yieldRate =
      plan.coupon === null || maturityDay === undefined
        ? null
        : approximateYield(plan.coupon, close / PRICE_SCALE, (maturityDay - calendar.day(t)) / 365.25);
    yield { open, high, low, bid, ask, volume, yieldRate };
  }
}

/** The textbook approximation of yield to maturity; exact bond maths adds nothing to a demo. */
function approximateYield(couponPer100: number, price: number, yearsToMaturity: number): number {
  const years = Math.max(0.25, yearsToMaturity);
  const value = (couponPer100 + (100 - price) / years) / ((100 + price) / 2);
  return Math.round(value * 10 ** YIELD_DECIMALS) / 10 ** YIELD_DECIMALS;
}

/** Daily rates to USD in units of 1e-8, walking around their usual level; USD is exactly 1. */
export function fxRates(seed: number, days: number): Record<Currency, Float64Array> {
  const rates = {} as Record<Currency, Float64Array>;
  for (const [index, currency] of CURRENCIES.entries()) {
    const series = new Float64Array(days);
    if (currency === 'USD') {
      series.fill(FX_SCALE);
    } else {
      const random = new Random(seed, 'fx', index);
      const level = Math.log(FX_LEVEL[currency]);
      let logRate = level + 0.03 * random.normal();
      for (let t = 0; t < days; t++) {
        if (t > 0) logRate += 0.005 * random.normal() + 0.01 * (level - logRate);
        series[t] = Math.round(Math.exp(logRate) * FX_SCALE);
      }
    }
    rates[currency] = series;
  }
  return rates;
}
