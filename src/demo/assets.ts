import { epochDay, isoDate } from '../lib/dates.js';
import { addYears, type BusinessCalendar } from './calendar.js';
import {
  type AssetType,
  COMMODITIES,
  COMPANY_PREFIXES,
  CONTRACT_MONTHS,
  COUNTRIES,
  type Country,
  CRYPTO_ENDINGS,
  CRYPTO_STEMS,
  type Currency,
  ETF_REGIONS,
  ETF_THEMES,
  FUND_HOUSES,
  FUND_STRATEGIES,
  FX_LEVEL,
  isBelowInvestmentGrade,
  RATINGS,
  SECTORS,
} from './catalog.js';
import { demoIsin } from './isin.js';
import { Random } from './random.js';

export type AssetStatus = 'ACTIVE' | 'SUSPENDED' | 'MATURED';

/** One asset_master row plus the parameters of its price model. */
export interface AssetPlan {
  id: number;
  name: string;
  type: AssetType;
  isin: string | null;
  currency: Currency;
  issuer: string | null;
  issueDate: string | null;
  maturityDate: string | null;
  parValue: string | null;
  rating: string | null;
  sector: string | null;
  country: string | null;
  status: AssetStatus;
  /** Index of its last business day with a price; -1 for an asset that has no prices yet. */
  lastDay: number;
  /** Daily log-return model: drift + beta * market + idiosyncraticVol * z, pulled back to its trend by `reversion`. */
  beta: number;
  idiosyncraticVol: number;
  drift: number;
  reversion: number;
  startPrice: number;
  /** Bid-ask spread as a fraction of the close. */
  spread: number;
  averageVolume: number;
  /** Annual coupon per 100 of par, bonds only. */
  coupon: number | null;
}

export const INDEX_ASSET_ID = 1;
export const INDEX_ASSET_NAME = 'asset360 World Equity Index';

/** Kept far enough from zero that four decimals still resolve a daily move. */
interface ModelRanges {
  beta: readonly [number, number];
  idiosyncraticVol: readonly [number, number];
  annualDrift: readonly [number, number];
  reversion: number;
  spreadBps: readonly [number, number];
  averageVolumeUsd: readonly [number, number];
}

const MODEL: Record<AssetType, ModelRanges> = {
  EQUITY: {
    beta: [0.5, 1.6],
    idiosyncraticVol: [0.008, 0.025],
    annualDrift: [-0.15, 0.25],
    reversion: 0.003,
    spreadBps: [2, 25],
    averageVolumeUsd: [2e5, 3e8],
  },
  ETF: {
    beta: [0.6, 1.2],
    idiosyncraticVol: [0.002, 0.008],
    annualDrift: [-0.05, 0.15],
    reversion: 0.002,
    spreadBps: [1, 10],
    averageVolumeUsd: [1e6, 5e8],
  },
  FUND: {
    beta: [0.2, 0.9],
    idiosyncraticVol: [0.002, 0.006],
    annualDrift: [-0.03, 0.1],
    reversion: 0.002,
    spreadBps: [5, 20],
    averageVolumeUsd: [1e5, 2e7],
  },
  BOND: {
    beta: [-0.1, 0.15],
    idiosyncraticVol: [0.0015, 0.005],
    annualDrift: [0, 0],
    reversion: 0.02,
    spreadBps: [10, 60],
    averageVolumeUsd: [1e5, 5e7],
  },
  COMMODITY: {
    beta: [0, 0.5],
    idiosyncraticVol: [0.012, 0.075],
    annualDrift: [-0.1, 0.1],
    reversion: 0.01,
    spreadBps: [2, 15],
    averageVolumeUsd: [5e6, 2e9],
  },
  CRYPTO: {
    beta: [0.8, 2.2],
    idiosyncraticVol: [0.035, 0.13],
    annualDrift: [-0.5, 1],
    reversion: 0.01,
    spreadBps: [5, 40],
    averageVolumeUsd: [1e6, 5e9],
  },
};

const TYPE_WEIGHTS: readonly (readonly [AssetType, number])[] = [
  ['EQUITY', 45],
  ['BOND', 25],
  ['ETF', 10],
  ['FUND', 8],
  ['COMMODITY', 5],
  ['CRYPTO', 7],
];

const CORPORATE_RATING_WEIGHTS: readonly (readonly [string, number])[] = RATINGS.map(
  (rating, index) => [rating, [1, 1, 2, 3, 5, 7, 8, 10, 11, 9, 6, 5, 4, 3, 2, 1.5, 1, 0.5][index] ?? 0.5] as const,
);

/**
 * The first assets are fixed so that even a tiny demo has every type and every interesting case:
 * a crypto asset with a one-day VaR above 15 %, a commodity between 10 % and 15 %, a matured bond,
 * a suspended equity and a fund without prices.
 */
interface Template {
  type: AssetType;
  status?: AssetStatus;
  unpriced?: boolean;
  government?: boolean;
  idiosyncraticVol?: number;
  beta?: number;
}

const TEMPLATES: Record<number, Template> = {
  2: { type: 'EQUITY' },
  3: { type: 'BOND', government: true },
  4: { type: 'CRYPTO', idiosyncraticVol: 0.12, beta: 1.5 },
  5: { type: 'COMMODITY', idiosyncraticVol: 0.076, beta: 0.25 },
  6: { type: 'FUND' },
  7: { type: 'ETF' },
  8: { type: 'BOND', status: 'MATURED' },
  9: { type: 'EQUITY', status: 'SUSPENDED' },
  10: { type: 'FUND', unpriced: true },
};

export function planAssets(count: number, seed: number, calendar: BusinessCalendar): AssetPlan[] {
  return Array.from({ length: count }, (_, index) => planAsset(index + 1, seed, calendar));
}

export function planAsset(id: number, seed: number, calendar: BusinessCalendar): AssetPlan {
  const random = new Random(seed, 'asset', id);
  if (id === INDEX_ASSET_ID) return indexAsset(seed, calendar, random);

  const template: Template = TEMPLATES[id] ?? { type: random.weighted(TYPE_WEIGHTS) };
  const status = template.status ?? randomStatus(template.type, random);
  const unpriced = template.unpriced ?? (template.type === 'FUND' && random.chance(0.01));
  const base = describeAsset(template, id, seed, calendar, random);
  const ranges = MODEL[template.type];
  const highYield = isBelowInvestmentGrade(base.rating);
  const startUsd = startPriceUsd(template.type, random);
  const startPrice = base.startPrice ?? startUsd / FX_LEVEL[base.currency];
  const lastDay = unpriced ? -1 : status === 'ACTIVE' ? calendar.length - 1 : earlyLastDay(calendar.length, random);

  const plan: AssetPlan = {
    id,
    ...base,
    status,
    lastDay,
    beta: template.beta ?? random.uniform(...ranges.beta) * (highYield ? 2 : 1),
    idiosyncraticVol: template.idiosyncraticVol ?? random.uniform(...ranges.idiosyncraticVol) * (highYield ? 2 : 1),
    drift: random.uniform(...ranges.annualDrift) / 252,
    reversion: ranges.reversion,
    startPrice,
    spread: random.uniform(...ranges.spreadBps) / 10_000,
    averageVolume: Math.max(1, Math.round(random.logUniform(...ranges.averageVolumeUsd) / (startPrice * FX_LEVEL[base.currency]))),
  };
  if (status === 'MATURED') plan.maturityDate = calendar.date(lastDay);
  if (plan.type === 'BOND' && plan.maturityDate !== null) {
    // Issued before the calendar starts, so that every bond has prices from its first day.
    const issued =
      status === 'MATURED' ? addYears(epochDay(plan.maturityDate), -random.uniform(2, 12)) : calendar.day(0) - random.int(30, 3650);
    plan.issueDate = isoDate(Math.min(issued, calendar.day(0) - 30));
  }
  if (plan.type === 'BOND')
    plan.name = `${plan.issuer ?? 'Bond'} ${(plan.coupon ?? 0).toFixed(3)}% ${plan.maturityDate?.slice(0, 4) ?? ''}`.trim();
  return plan;
}

function randomStatus(type: AssetType, random: Random): AssetStatus {
  if (type === 'BOND' && random.chance(0.04)) return 'MATURED';
  if (type === 'EQUITY' && random.chance(0.015)) return 'SUSPENDED';
  return 'ACTIVE';
}

/** Matured and suspended assets stop trading some weeks before the end of the calendar. */
function earlyLastDay(days: number, random: Random): number {
  if (days < 3) return days - 1;
  return random.int(Math.max(1, days - Math.min(60, Math.floor(days / 2))), days - 2);
}

function startPriceUsd(type: AssetType, random: Random): number {
  switch (type) {
    case 'EQUITY':
      return random.logUniform(5, 800);
    case 'ETF':
      return random.logUniform(15, 450);
    case 'FUND':
      return random.logUniform(8, 250);
    case 'CRYPTO':
      return random.logUniform(0.5, 60_000);
    case 'BOND':
    case 'COMMODITY':
      return 100;
  }
}

type Description = Pick<
  AssetPlan,
  'name' | 'type' | 'isin' | 'currency' | 'issuer' | 'issueDate' | 'maturityDate' | 'parValue' | 'rating' | 'sector' | 'country' | 'coupon'
> & { startPrice?: number };

function describeAsset(template: Template, id: number, seed: number, calendar: BusinessCalendar, random: Random): Description {
  const firstDay = calendar.day(0);
  const lastDay = calendar.day(calendar.length - 1);
  const none = { issueDate: null, maturityDate: null, parValue: null, rating: null, coupon: null };
  switch (template.type) {
    case 'EQUITY': {
      const country = pickCountry(random);
      const sector = pickSector(random);
      const name = `${random.pick(COMPANY_PREFIXES)} ${random.pick(sector.nouns)} ${country.legalSuffix}`;
      return {
        ...none,
        type: 'EQUITY',
        name,
        issuer: name,
        isin: demoIsin(country.code, id, seed),
        currency: country.currency,
        sector: sector.name,
        country: country.code,
      };
    }
    case 'BOND': {
      const country = pickCountry(random);
      const government = template.government ?? random.chance(0.35);
      const rating = government ? country.sovereignRating : random.weighted(CORPORATE_RATING_WEIGHTS);
      const highYield = isBelowInvestmentGrade(rating);
      const issuer = government
        ? country.government
        : `${random.pick(COMPANY_PREFIXES)} ${random.pick(pickSector(random).nouns)} ${country.legalSuffix}`;
      const coupon =
        Math.round((highYield ? random.uniform(5, 10) : government ? random.uniform(0.5, 4.5) : random.uniform(1.5, 6)) * 8) / 8;
      const maturityDate = isoDate(addYears(lastDay, random.uniform(0.3, 25)));
      return {
        type: 'BOND',
        name: '',
        issuer,
        isin: demoIsin(country.code, id, seed),
        currency: country.currency,
        sector: government ? 'Government' : 'Corporate',
        country: country.code,
        issueDate: null,
        maturityDate,
        parValue: '100',
        rating,
        coupon,
        startPrice: highYield ? random.uniform(75, 100) : random.uniform(88, 108),
      };
    }
    case 'ETF': {
      const house = random.pick(FUND_HOUSES);
      const domicile = random.weighted([
        ['IE', 45],
        ['LU', 25],
        ['US', 30],
      ] as const);
      const sectorFund = random.chance(0.25);
      const sector = sectorFund ? pickSector(random).name : 'Multi-Sector';
      const theme = sectorFund ? sector : random.pick(ETF_THEMES);
      const name = `${house} ${random.pick(ETF_REGIONS)} ${theme} ${domicile === 'US' ? 'ETF' : 'UCITS ETF'}${random.chance(0.3) ? ' (Acc)' : ''}`;
      const currency: Currency =
        domicile === 'US'
          ? 'USD'
          : random.weighted([
              ['USD', 40],
              ['EUR', 35],
              ['GBP', 15],
              ['CHF', 5],
              ['JPY', 5],
            ] as const);
      return {
        ...none,
        type: 'ETF',
        name,
        issuer: `${house} Asset Management`,
        isin: demoIsin(domicile, id, seed),
        currency,
        sector,
        country: domicile,
        issueDate: isoDate(addYears(firstDay, -random.uniform(1, 15))),
      };
    }
    case 'FUND': {
      const house = random.pick(FUND_HOUSES);
      const domicile = random.weighted([
        ['LU', 50],
        ['IE', 30],
        ['GB', 10],
        ['CH', 10],
      ] as const);
      const currency: Currency = domicile === 'GB' ? 'GBP' : domicile === 'CH' ? 'CHF' : random.chance(0.5) ? 'EUR' : 'USD';
      // A fund without prices is newly launched, which is why it has none.
      const launch = template.unpriced ? lastDay - random.int(0, 10) : addYears(firstDay, -random.uniform(1, 20));
      return {
        ...none,
        type: 'FUND',
        name: `${house} ${random.pick(FUND_STRATEGIES)} Fund ${random.chance(0.5) ? '(Acc)' : '(Dist)'}`,
        issuer: `${house} Asset Management`,
        isin: demoIsin(domicile, id, seed),
        currency,
        sector: 'Multi-Asset',
        country: domicile,
        issueDate: isoDate(launch),
      };
    }
    case 'COMMODITY': {
      const commodity = random.pick(COMMODITIES);
      const expiry = lastDay + random.int(30, 700);
      const expiryDate = isoDate(expiry);
      const month = CONTRACT_MONTHS[Number(expiryDate.slice(5, 7)) - 1] ?? 'Dec';
      return {
        ...none,
        type: 'COMMODITY',
        name: `${commodity.name} Future ${month} ${expiryDate.slice(0, 4)}`,
        issuer: commodity.exchange,
        isin: null,
        currency: commodity.currency,
        sector: 'Commodities',
        country: commodity.country,
        maturityDate: expiryDate,
        startPrice: commodity.level * random.uniform(0.85, 1.15),
      };
    }
    case 'CRYPTO': {
      const name = `${random.pick(CRYPTO_STEMS)}${random.pick(CRYPTO_ENDINGS)}`;
      return {
        ...none,
        type: 'CRYPTO',
        name: `${name} (${name.slice(0, 3).toUpperCase()})`,
        issuer: null,
        isin: null,
        currency: 'USD',
        sector: 'Digital Assets',
        country: null,
      };
    }
  }
}

function indexAsset(seed: number, calendar: BusinessCalendar, random: Random): AssetPlan {
  return {
    id: INDEX_ASSET_ID,
    name: INDEX_ASSET_NAME,
    type: 'ETF',
    isin: demoIsin('IE', INDEX_ASSET_ID, seed),
    currency: 'USD',
    issuer: 'asset360 Index Services',
    issueDate: isoDate(addYears(calendar.day(0), -10)),
    maturityDate: null,
    parValue: null,
    rating: null,
    sector: 'Multi-Sector',
    country: 'IE',
    status: 'ACTIVE',
    lastDay: calendar.length - 1,
    // The index is the market: its returns are the market factor itself.
    beta: 1,
    idiosyncraticVol: 0,
    drift: 0,
    reversion: 0,
    startPrice: 100,
    spread: random.uniform(1, 3) / 10_000,
    averageVolume: Math.round(random.logUniform(2e6, 2e7)),
    coupon: null,
  };
}

function pickCountry(random: Random): Country {
  return random.weighted(COUNTRIES.map((country) => [country, country.weight] as const));
}

function pickSector(random: Random): (typeof SECTORS)[number] {
  return random.weighted(SECTORS.map((sector) => [sector, sector.weight] as const));
}
