import { BadUserInputError } from '../lib/errors.js';
import { formatScaled } from '../lib/decimal.js';
import type { Valued } from './market.js';

export type Side = 'BUY' | 'SELL';

export interface ProposedTrade {
  assetId: string;
  side: Side;
  /** A whole number of lots, exact. */
  quantity: string;
  /** The latest close in the asset's currency, at which the trade is proposed. */
  price: string;
  currentQuantity: string;
  targetQuantity: string;
}

export interface Holding {
  assetId: string;
  currentQuantity: string;
  currentWeight: number;
  targetWeight: number;
}

export interface Proposal {
  /** Σ quantity × price × FX rate over the positions, in base currency (a float: it only scales weights). */
  marketValue: number;
  holdings: Holding[];
  trades: ProposedTrade[];
}

/** A lot size as an integer count of 10^-scale units, from its exact decimal string. */
function parseLot(lotSize: string): { units: bigint; scale: number } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(lotSize);
  if (!match) throw new BadUserInputError(`lotSize must be a positive decimal, got ${lotSize}`, 'input.lotSize');
  const fraction = match[2] ?? '';
  const units = BigInt(match[1]! + fraction);
  if (units === 0n) throw new BadUserInputError('lotSize must be greater than 0', 'input.lotSize');
  return { units, scale: fraction.length };
}

/**
 * The trades that move the positions to the target weights at the current market value: for each
 * asset, (w·V / (price·rate) − held) rounded to the nearest whole number of lots; no trade when
 * that is 0 lots. Assets held but not among the weights get weight 0 (sold out). Each position
 * thus lands within half a lot of its target.
 */
export function propose(valued: readonly Valued[], weights: ReadonlyMap<string, number>, lotSize: string): Proposal {
  const lot = parseLot(lotSize);
  const lotValue = Number(lotSize);
  for (const asset of valued) {
    const needed = weights.has(asset.assetId) || Number(asset.quantity) !== 0;
    if (needed && (asset.price === null || asset.rate === null || Number(asset.price) <= 0)) {
      throw new BadUserInputError(`asset ${asset.assetId} has no latest price or FX rate to trade at`, 'input.assetIds');
    }
  }
  const value = (asset: Valued) => (asset.price === null ? 0 : Number(asset.quantity) * Number(asset.price) * asset.rate!);
  const marketValue = valued.reduce((sum, asset) => sum + value(asset), 0);
  if (!(marketValue > 0)) throw new BadUserInputError('the portfolio has no market value to rebalance', 'portfolioId');
  const holdings: Holding[] = [];
  const trades: ProposedTrade[] = [];
  for (const asset of valued) {
    const target = weights.get(asset.assetId) ?? 0;
    if (!weights.has(asset.assetId) && Number(asset.quantity) === 0) continue;
    holdings.push({
      assetId: asset.assetId,
      currentQuantity: asset.quantity,
      currentWeight: value(asset) / marketValue,
      targetWeight: target,
    });
    const unitValue = Number(asset.price) * asset.rate!;
    const lots = Math.round(((target * marketValue) / unitValue - Number(asset.quantity)) / lotValue);
    if (lots === 0) continue;
    const delta = BigInt(lots) * lot.units;
    const quantity = formatScaled(delta < 0n ? -delta : delta, lot.scale);
    trades.push({
      assetId: asset.assetId,
      side: lots > 0 ? 'BUY' : 'SELL',
      quantity,
      price: asset.price!,
      currentQuantity: asset.quantity,
      targetQuantity: addDecimal(asset.quantity, formatScaled(delta, lot.scale)),
    });
  }
  return { marketValue, holdings, trades };
}

/** a + b for exact decimal strings. */
function addDecimal(a: string, b: string): string {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const units = (s: string) => {
    const [whole, fraction = ''] = s.replace('-', '').split('.');
    const magnitude = BigInt(whole! + fraction.padEnd(scale, '0'));
    return s.startsWith('-') ? -magnitude : magnitude;
  };
  return trimScale(formatScaled(units(a) + units(b), scale));
}

function fractionDigits(s: string): number {
  return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
}

function trimScale(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
