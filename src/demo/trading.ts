import type { AssetPlan } from './assets.js';
import type { AssetType } from './catalog.js';
import type { PortfolioPlan } from './parties.js';
import { TRADING_COUNTERPARTY_IDS } from './parties.js';
import { FX_SCALE, PRICE_SCALE } from './prices.js';
import { Random } from './random.js';
import type { DemoWorld } from './world.js';

export interface Trade {
  /** Business-day index. */
  day: number;
  portfolioId: number;
  assetId: number;
  /** Order of the trade within its position, which keeps a same-day buy ahead of its sell. */
  sequence: number;
  type: 'BUY' | 'SELL';
  /** Whole units, so that quantity * price is exact in four decimals. */
  quantity: number;
  priceTicks: number;
  costCents: number;
  counterpartyId: number | null;
}

export interface Position {
  portfolioId: number;
  assetId: number;
  /** The intended size in USD: the basis of the target weight. */
  targetUsd: number;
  /** Units held at the end of the calendar. */
  quantity: number;
  /** Value in USD of the units held, at the asset's last close and the last day's rate. */
  valueUsd: number;
  lastTradeDay: number;
}

const MEAN_DAYS_BETWEEN_TRADES = 25;
const COST_BPS: Record<AssetType, readonly [number, number]> = {
  EQUITY: [1, 8],
  ETF: [1, 5],
  FUND: [0, 3],
  BOND: [0.5, 4],
  COMMODITY: [1, 6],
  CRYPTO: [8, 30],
};

/**
 * The trades of every portfolio in one asset, each position simulated in date order so that a
 * sale never exceeds what the portfolio holds. A matured bond's remaining units are redeemed at its
 * last price on its last day, with no counterparty and no cost.
 */
export function tradeAsset(
  plan: AssetPlan,
  closes: Float64Array,
  fxToUsd: Float64Array,
  portfolios: readonly PortfolioPlan[],
  seed: number,
): { trades: Trade[]; positions: Position[] } {
  const trades: Trade[] = [];
  const positions: Position[] = [];
  if (plan.lastDay < 0) return { trades, positions };
  const lastTradingDay = plan.status === 'MATURED' ? plan.lastDay - 1 : plan.lastDay;
  const priceUsd = (day: number): number => ((closes[day] ?? 0) / PRICE_SCALE) * ((fxToUsd[day] ?? 0) / FX_SCALE);

  for (const portfolio of portfolios) {
    const random = new Random(seed, 'position', portfolio.id, plan.id);
    if (!random.chance(portfolio.membership[plan.type]) || lastTradingDay < 0) continue;
    const targetUsd = random.logUniform(1e4, 4e6);
    const targetUnits = (day: number): number => Math.max(1, Math.round(targetUsd / priceUsd(day)));
    let holding = 0;
    let sequence = 0;
    let lastTradeDay = -1;
    const trade = (day: number, type: 'BUY' | 'SELL', quantity: number): void => {
      const slippage = Math.abs(random.normal()) * 0.001 * (type === 'BUY' ? 1 : -1);
      const priceTicks = Math.max(1, Math.round((closes[day] ?? 0) * (1 + slippage)));
      const [minBps, maxBps] = COST_BPS[plan.type];
      const costCents = Math.round(((quantity * priceTicks) / PRICE_SCALE) * (random.uniform(minBps, maxBps) / 10_000) * 100);
      const counterpartyId = random.chance(0.03) ? null : random.pick(TRADING_COUNTERPARTY_IDS);
      trades.push({
        day,
        portfolioId: portfolio.id,
        assetId: plan.id,
        sequence: sequence++,
        type,
        quantity,
        priceTicks,
        costCents,
        counterpartyId,
      });
      holding += type === 'BUY' ? quantity : -quantity;
      lastTradeDay = day;
    };

    let day = random.chance(0.5) ? 0 : random.int(0, Math.floor(0.6 * lastTradingDay));
    trade(day, 'BUY', targetUnits(day));
    for (;;) {
      day += 1 + Math.floor(-Math.log(1 - random.next()) * MEAN_DAYS_BETWEEN_TRADES);
      if (day > lastTradingDay) break;
      const action = random.next();
      if (holding === 0) {
        if (action < 0.35) trade(day, 'BUY', targetUnits(day));
      } else if (action < 0.07) {
        trade(day, 'SELL', holding);
      } else if (action < 0.5) {
        trade(day, 'SELL', Math.max(1, Math.floor(holding * random.uniform(0.1, 0.5))));
      } else {
        trade(day, 'BUY', Math.max(1, Math.round(targetUnits(day) * random.uniform(0.1, 0.5))));
      }
    }
    if (plan.status === 'MATURED' && holding > 0) {
      const redeemed = holding;
      trades.push({
        day: plan.lastDay,
        portfolioId: portfolio.id,
        assetId: plan.id,
        sequence: sequence++,
        type: 'SELL',
        quantity: redeemed,
        priceTicks: closes[plan.lastDay] ?? 0,
        costCents: 0,
        counterpartyId: null,
      });
      holding = 0;
      lastTradeDay = plan.lastDay;
    }
    positions.push({
      portfolioId: portfolio.id,
      assetId: plan.id,
      targetUsd,
      quantity: holding,
      valueUsd: holding * ((closes[plan.lastDay] ?? 0) / PRICE_SCALE) * ((fxToUsd[fxToUsd.length - 1] ?? 0) / FX_SCALE),
      lastTradeDay,
    });
  }
  return { trades, positions };
}

/** Trades in the order their ids are given: by date, then portfolio, asset and position order. */
export function compareTrades(a: Trade, b: Trade): number {
  return a.day - b.day || a.portfolioId - b.portfolioId || a.assetId - b.assetId || a.sequence - b.sequence;
}

/**
 * Splits `total` units among the weights in proportion, rounding by largest remainder so the parts
 * add up to exactly `total`; all zero weights give all zero parts.
 */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((accumulator, weight) => accumulator + weight, 0);
  if (!(sum > 0)) return weights.map(() => 0);
  const exact = weights.map((weight) => (weight / sum) * total);
  const parts = exact.map(Math.floor);
  let remaining = total - parts.reduce((accumulator, part) => accumulator + part, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (remaining <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    remaining--;
  }
  return parts;
}

/** Every trade of the demo in id order, and every position it leaves. */
export function simulateTrading(world: DemoWorld): { trades: Trade[]; positions: Position[] } {
  const trades: Trade[] = [];
  const positions: Position[] = [];
  for (const plan of world.assets) {
    const book = tradeAsset(plan, world.closes(plan), world.fx[plan.currency], world.portfolios, world.seed);
    for (const trade of book.trades) trades.push(trade);
    for (const position of book.positions) positions.push(position);
  }
  trades.sort(compareTrades);
  return { trades, positions };
}
