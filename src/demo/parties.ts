import type { BusinessCalendar } from './calendar.js';
import { isoDate } from '../lib/dates.js';
import { type AssetType, COUNTERPARTIES, type Currency, FIRST_NAMES, LAST_NAMES, PORTFOLIO_PREFIXES, PORTFOLIO_STYLES } from './catalog.js';
import { Random } from './random.js';

export interface PortfolioPlan {
  id: number;
  name: string;
  owner: string;
  baseCurrency: Currency;
  createdAt: string;
  style: string;
  /** Probability that the portfolio ever holds a given asset of each type. */
  membership: Record<AssetType, number>;
}

/**
 * Each portfolio holds a share of the priced assets that shrinks as the universe grows
 * (all of 30 assets, a fifth of 10,000), skewed by its style.
 */
export function planPortfolios(count: number, assetCount: number, seed: number, calendar: BusinessCalendar): PortfolioPlan[] {
  const combinations = PORTFOLIO_PREFIXES.flatMap((prefix) => PORTFOLIO_STYLES.map((style) => ({ prefix, style })));
  const shuffler = new Random(seed, 'portfolio-names');
  for (let i = combinations.length - 1; i > 0; i--) {
    const j = shuffler.int(0, i);
    [combinations[i], combinations[j]] = [combinations[j]!, combinations[i]!];
  }
  const share = Math.min(1, (30 + 0.2 * assetCount) / assetCount);

  return Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    const random = new Random(seed, 'portfolio', id);
    const { prefix, style } = combinations[index % combinations.length]!;
    const round = Math.floor(index / combinations.length);
    const membership = {} as Record<AssetType, number>;
    for (const [type, preference] of Object.entries(style.preference) as [AssetType, number][]) {
      membership[type] = Math.min(1, share * preference);
    }
    return {
      id,
      name: `${prefix} ${style.name}${round > 0 ? ` ${round + 1}` : ''}`,
      owner: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      baseCurrency: random.weighted([
        ['USD', 60],
        ['EUR', 20],
        ['GBP', 10],
        ['CHF', 10],
      ] as const),
      createdAt: `${isoDate(calendar.day(0) - random.int(30, 1500))} 09:00:00+00`,
      style: style.name,
      membership,
    };
  });
}

/** Only active brokers and banks execute trades; custodians hold, they do not trade. */
export const TRADING_COUNTERPARTY_IDS: readonly number[] = COUNTERPARTIES.flatMap((counterparty, index) =>
  counterparty.status === 'ACTIVE' && counterparty.type !== 'CUSTODIAN' ? [index + 1] : [],
);
