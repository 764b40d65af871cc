/** The fixed vocabulary of the demo data: currencies, countries, sectors, name parts, counterparties and rules. */

export const ASSET_TYPES = ['EQUITY', 'BOND', 'ETF', 'FUND', 'COMMODITY', 'CRYPTO'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** USD per unit, around which each rate walks. */
export const FX_LEVEL: Record<Currency, number> = { USD: 1, EUR: 1.08, GBP: 1.27, JPY: 0.0067, CHF: 1.12 };

export interface Country {
  code: string;
  currency: Currency;
  weight: number;
  government: string;
  sovereignRating: string;
  legalSuffix: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', currency: 'USD', weight: 30, government: 'United States Treasury', sovereignRating: 'AA+', legalSuffix: 'Inc.' },
  { code: 'CA', currency: 'USD', weight: 3, government: 'Government of Canada', sovereignRating: 'AAA', legalSuffix: 'Corp.' },
  { code: 'GB', currency: 'GBP', weight: 7, government: 'HM Treasury', sovereignRating: 'AA', legalSuffix: 'plc' },
  { code: 'DE', currency: 'EUR', weight: 6, government: 'Federal Republic of Germany', sovereignRating: 'AAA', legalSuffix: 'AG' },
  { code: 'FR', currency: 'EUR', weight: 5, government: 'French Republic', sovereignRating: 'AA-', legalSuffix: 'SA' },
  { code: 'NL', currency: 'EUR', weight: 3, government: 'Kingdom of the Netherlands', sovereignRating: 'AAA', legalSuffix: 'N.V.' },
  { code: 'IT', currency: 'EUR', weight: 3, government: 'Republic of Italy', sovereignRating: 'BBB', legalSuffix: 'S.p.A.' },
  { code: 'ES', currency: 'EUR', weight: 3, government: 'Kingdom of Spain', sovereignRating: 'A', legalSuffix: 'S.A.' },
  { code: 'IE', currency: 'EUR', weight: 2, government: 'Ireland', sovereignRating: 'AA', legalSuffix: 'plc' },
  { code: 'LU', currency: 'EUR', weight: 2, government: 'Grand Duchy of Luxembourg', sovereignRating: 'AAA', legalSuffix: 'S.A.' },
  { code: 'CH', currency: 'CHF', weight: 4, government: 'Swiss Confederation', sovereignRating: 'AAA', legalSuffix: 'AG' },
  { code: 'SE', currency: 'EUR', weight: 2, government: 'Kingdom of Sweden', sovereignRating: 'AAA', legalSuffix: 'AB' },
  { code: 'DK', currency: 'EUR', weight: 1, government: 'Kingdom of Denmark', sovereignRating: 'AAA', legalSuffix: 'A/S' },
  { code: 'NO', currency: 'EUR', weight: 1, government: 'Kingdom of Norway', sovereignRating: 'AAA', legalSuffix: 'ASA' },
  { code: 'FI', currency: 'EUR', weight: 1, government: 'Republic of Finland', sovereignRating: 'AA+', legalSuffix: 'Oyj' },
  { code: 'JP', currency: 'JPY', weight: 6, government: 'Japan', sovereignRating: 'A+', legalSuffix: 'Co., Ltd.' },
  { code: 'AU', currency: 'USD', weight: 2, government: 'Commonwealth of Australia', sovereignRating: 'AAA', legalSuffix: 'Ltd' },
  { code: 'SG', currency: 'USD', weight: 1, government: 'Republic of Singapore', sovereignRating: 'AAA', legalSuffix: 'Ltd' },
  { code: 'HK', currency: 'USD', weight: 1, government: 'Hong Kong SAR Government', sovereignRating: 'AA+', legalSuffix: 'Holdings Ltd' },
  { code: 'KR', currency: 'USD', weight: 2, government: 'Republic of Korea', sovereignRating: 'AA', legalSuffix: 'Co., Ltd.' },
  { code: 'BR', currency: 'USD', weight: 1, government: 'Federative Republic of Brazil', sovereignRating: 'BB', legalSuffix: 'S.A.' },
  { code: 'IN', currency: 'USD', weight: 2, government: 'Republic of India', sovereignRating: 'BBB-', legalSuffix: 'Ltd' },
  { code: 'MX', currency: 'USD', weight: 1, government: 'United Mexican States', sovereignRating: 'BBB', legalSuffix: 'S.A.B. de C.V.' },
  { code: 'ZA', currency: 'USD', weight: 1, government: 'Republic of South Africa', sovereignRating: 'BB-', legalSuffix: 'Ltd' },
];

/** Best first; everything after BBB- is below investment grade. */
export const RATINGS = [
  'AAA',
  'AA+',
  'AA',
  'AA-',
  'A+',
  'A',
  'A-',
  'BBB+',
  'BBB',
  'BBB-',
  'BB+',
  'BB',
  'BB-',
  'B+',
  'B',
  'B-',
  'CCC+',
  'CCC',
] as const;
export const INVESTMENT_GRADE_FLOOR = 'BBB-';

export function isBelowInvestmentGrade(rating: string | null): boolean {
  return rating !== null && RATINGS.indexOf(rating as (typeof RATINGS)[number]) > RATINGS.indexOf(INVESTMENT_GRADE_FLOOR);
}

/** GICS sectors with a rough market weight and words that make company names sound like the sector. */
export const SECTORS: readonly { name: string; weight: number; nouns: readonly string[] }[] = [
  {
    name: 'Information Technology',
    weight: 20,
    nouns: ['Semiconductors', 'Software', 'Systems', 'Networks', 'Technologies', 'Microdevices'],
  },
  { name: 'Financials', weight: 13, nouns: ['Financial', 'Bancorp', 'Insurance', 'Capital', 'Payments', 'Trust'] },
  { name: 'Health Care', weight: 12, nouns: ['Pharmaceuticals', 'Biotech', 'Medical', 'Health', 'Diagnostics', 'Therapeutics'] },
  { name: 'Consumer Discretionary', weight: 11, nouns: ['Motors', 'Retail', 'Apparel', 'Hotels', 'Leisure', 'Home Furnishings'] },
  { name: 'Industrials', weight: 10, nouns: ['Industries', 'Aerospace', 'Logistics', 'Engineering', 'Machinery', 'Rail'] },
  {
    name: 'Communication Services',
    weight: 8,
    nouns: ['Media', 'Telecom', 'Communications', 'Entertainment', 'Broadcasting', 'Interactive'],
  },
  { name: 'Consumer Staples', weight: 6, nouns: ['Foods', 'Beverages', 'Brands', 'Grocers', 'Household Products', 'Farms'] },
  { name: 'Energy', weight: 5, nouns: ['Petroleum', 'Energy', 'Oil & Gas', 'Drilling', 'Pipelines', 'Refining'] },
  { name: 'Materials', weight: 5, nouns: ['Chemicals', 'Mining', 'Metals', 'Materials', 'Steel', 'Packaging'] },
  { name: 'Utilities', weight: 5, nouns: ['Power', 'Utilities', 'Electric', 'Water', 'Gas & Electric', 'Renewables'] },
  { name: 'Real Estate', weight: 5, nouns: ['Properties', 'Realty', 'REIT', 'Land', 'Estates', 'Logistics Parks'] },
];

export const COMPANY_PREFIXES = [
  'Atlas',
  'Northwind',
  'Bluewater',
  'Crescent',
  'Summit',
  'Meridian',
  'Ironbridge',
  'Silverline',
  'Redwood',
  'Evergreen',
  'Polaris',
  'Harborview',
  'Vantage',
  'Keystone',
  'Orion',
  'Granite',
  'Falcon',
  'Sterling',
  'Aurora',
  'Pioneer',
  'Cobalt',
  'Lumen',
  'Zenith',
  'Beacon',
  'Horizon',
  'Vertex',
  'Nimbus',
  'Cascade',
  'Apex',
  'Halcyon',
  'Juniper',
  'Sequoia',
  'Westbrook',
  'Ridgeline',
  'Stonegate',
  'Clearwater',
  'Blackthorn',
  'Brightstar',
  'Copperfield',
  'Driftwood',
  'Eastgate',
  'Fairhaven',
  'Goldcrest',
  'Highmoor',
  'Kingsbridge',
  'Lakeshore',
  'Maplewood',
  'Norland',
  'Oakridge',
  'Pinecrest',
  'Riverbend',
  'Saltmarsh',
  'Thornbury',
  'Upland',
  'Valemont',
  'Whitecliff',
  'Yarrow',
  'Emberly',
  'Glenmore',
  'Larkspur',
] as const;

export const FUND_HOUSES = [
  'Northbridge',
  'Kestrel',
  'Alder & Finch',
  'Marlowe',
  'Tidewater',
  'Greyfriars',
  'Lindqvist',
  'Saint-Clair',
  'Hokuto',
  'Rigi',
  'Ashcombe',
  'Bellhaven',
  'Corvid',
  'Dunmore',
  'Elmstead',
] as const;

export const ETF_REGIONS = [
  'World',
  'USA',
  'Europe',
  'Eurozone',
  'Japan',
  'UK',
  'Switzerland',
  'Emerging Markets',
  'Pacific ex-Japan',
  'Nordic',
] as const;
export const ETF_THEMES = [
  'Equity',
  'Value',
  'Momentum',
  'Quality',
  'Small Cap',
  'Dividend',
  'ESG Leaders',
  'Minimum Volatility',
  'Equal Weight',
] as const;
export const FUND_STRATEGIES = [
  'Global Balanced',
  'Euro Short Duration',
  'Strategic Income',
  'Absolute Return',
  'Global Opportunities',
  'Sustainable Growth',
  'Emerging Markets Debt',
  'Multi-Asset Conservative',
  'Global Macro',
  'Japan Value',
  'European Dividend',
  'US Core Bond',
] as const;

export interface Commodity {
  name: string;
  exchange: string;
  country: string;
  currency: Currency;
  /** Typical price in its currency. */
  level: number;
}

export const COMMODITIES: readonly Commodity[] = [
  { name: 'Gold', exchange: 'COMEX', country: 'US', currency: 'USD', level: 2300 },
  { name: 'Silver', exchange: 'COMEX', country: 'US', currency: 'USD', level: 28 },
  { name: 'Platinum', exchange: 'NYMEX', country: 'US', currency: 'USD', level: 950 },
  { name: 'Palladium', exchange: 'NYMEX', country: 'US', currency: 'USD', level: 1000 },
  { name: 'Copper', exchange: 'COMEX', country: 'US', currency: 'USD', level: 4.3 },
  { name: 'Aluminium', exchange: 'London Metal Exchange', country: 'GB', currency: 'USD', level: 2400 },
  { name: 'Nickel', exchange: 'London Metal Exchange', country: 'GB', currency: 'USD', level: 17000 },
  { name: 'Zinc', exchange: 'London Metal Exchange', country: 'GB', currency: 'USD', level: 2700 },
  { name: 'Brent Crude Oil', exchange: 'ICE Futures Europe', country: 'GB', currency: 'USD', level: 82 },
  { name: 'WTI Crude Oil', exchange: 'NYMEX', country: 'US', currency: 'USD', level: 78 },
  { name: 'Natural Gas', exchange: 'NYMEX', country: 'US', currency: 'USD', level: 2.6 },
  { name: 'Heating Oil', exchange: 'NYMEX', country: 'US', currency: 'USD', level: 2.5 },
  { name: 'Wheat', exchange: 'CBOT', country: 'US', currency: 'USD', level: 6 },
  { name: 'Corn', exchange: 'CBOT', country: 'US', currency: 'USD', level: 4.5 },
  { name: 'Soybeans', exchange: 'CBOT', country: 'US', currency: 'USD', level: 12 },
  { name: 'Coffee', exchange: 'ICE Futures US', country: 'US', currency: 'USD', level: 2.2 },
  { name: 'Cocoa', exchange: 'ICE Futures US', country: 'US', currency: 'USD', level: 7000 },
  { name: 'Sugar No. 11', exchange: 'ICE Futures US', country: 'US', currency: 'USD', level: 0.2 },
  { name: 'Cotton', exchange: 'ICE Futures US', country: 'US', currency: 'USD', level: 0.8 },
  { name: 'Live Cattle', exchange: 'CME', country: 'US', currency: 'USD', level: 1.8 },
  { name: 'Lean Hogs', exchange: 'CME', country: 'US', currency: 'USD', level: 0.9 },
  { name: 'Lumber', exchange: 'CME', country: 'US', currency: 'USD', level: 550 },
  { name: 'London Cocoa', exchange: 'ICE Futures Europe', country: 'GB', currency: 'GBP', level: 5500 },
  { name: 'EU Carbon Allowance', exchange: 'EEX', country: 'DE', currency: 'EUR', level: 70 },
];

export const CONTRACT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export const CRYPTO_STEMS = [
  'Sol',
  'Ar',
  'Nex',
  'Lum',
  'Vel',
  'Quor',
  'Zen',
  'Ae',
  'Tal',
  'Kry',
  'Or',
  'Bit',
  'Ether',
  'Mon',
  'Rip',
  'Cor',
  'Nov',
  'Ly',
  'Ka',
  'Dex',
  'Hel',
  'Pol',
  'Ter',
  'Vox',
] as const;
export const CRYPTO_ENDINGS = ['ix', 'on', 'ar', 'um', 'a', 'is', 'ex', 'ora', 'coin', 'chain', 'net', 'swap', 'ium', 'ara'] as const;

export interface Counterparty {
  name: string;
  type: 'BROKER' | 'BANK' | 'CUSTODIAN';
  rating: string;
  country: string;
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
}

export const COUNTERPARTIES: readonly Counterparty[] = [
  { name: 'Harborview Securities LLC', type: 'BROKER', rating: 'A', country: 'US', status: 'ACTIVE' },
  { name: 'Kingsgate Capital Markets Ltd', type: 'BROKER', rating: 'A-', country: 'GB', status: 'ACTIVE' },
  { name: 'Rheinland Landesbank AG', type: 'BANK', rating: 'AA-', country: 'DE', status: 'ACTIVE' },
  { name: 'Banque du Leman SA', type: 'BANK', rating: 'A+', country: 'CH', status: 'ACTIVE' },
  { name: 'Meridian Prime Brokerage Inc.', type: 'BROKER', rating: 'BBB+', country: 'US', status: 'ACTIVE' },
  { name: 'Nordhavn Bank A/S', type: 'BANK', rating: 'A', country: 'DK', status: 'ACTIVE' },
  { name: 'Sakura Kaigan Securities Co., Ltd.', type: 'BROKER', rating: 'A-', country: 'JP', status: 'ACTIVE' },
  { name: 'Lombard Street Clearing plc', type: 'CUSTODIAN', rating: 'AA-', country: 'GB', status: 'ACTIVE' },
  { name: 'Atlantic Trust & Custody Company', type: 'CUSTODIAN', rating: 'AA', country: 'US', status: 'ACTIVE' },
  { name: 'Credit Rhodanien SA', type: 'BANK', rating: 'A', country: 'FR', status: 'ACTIVE' },
  { name: 'Amstel Effecten N.V.', type: 'BROKER', rating: 'BBB+', country: 'NL', status: 'ACTIVE' },
  { name: 'Banca Lagunare S.p.A.', type: 'BANK', rating: 'BBB', country: 'IT', status: 'ACTIVE' },
  { name: 'Pacific Rim Securities Ltd', type: 'BROKER', rating: 'BBB', country: 'SG', status: 'ACTIVE' },
  { name: 'Maple Leaf Capital Markets Corp.', type: 'BROKER', rating: 'A', country: 'CA', status: 'ACTIVE' },
  { name: 'Iberia Valores S.A.', type: 'BROKER', rating: 'BBB-', country: 'ES', status: 'ACTIVE' },
  { name: 'Alpine Custody AG', type: 'CUSTODIAN', rating: 'AA-', country: 'CH', status: 'ACTIVE' },
  { name: 'Great Lakes Bancorp', type: 'BANK', rating: 'A-', country: 'US', status: 'ACTIVE' },
  { name: 'Southern Cross Markets Pty Ltd', type: 'BROKER', rating: 'BBB+', country: 'AU', status: 'ACTIVE' },
  { name: 'Hanseatic Wertpapierhandel GmbH', type: 'BROKER', rating: 'BB+', country: 'DE', status: 'INACTIVE' },
  { name: 'Baltic Meridian Bank AS', type: 'BANK', rating: 'BB', country: 'NO', status: 'SUSPENDED' },
];

export const FIRST_NAMES = [
  'Avery',
  'Jordan',
  'Morgan',
  'Priya',
  'Lukas',
  'Sofia',
  'Kenji',
  'Amara',
  'Mateo',
  'Ingrid',
  'Noah',
  'Chloe',
  'Rahul',
  'Elena',
  'Tomas',
  'Hannah',
  'Yuki',
  'Olivia',
  'Felix',
  'Leila',
] as const;
export const LAST_NAMES = [
  'Chen',
  'Okafor',
  'Lindgren',
  'Rossi',
  'Dubois',
  'Schneider',
  'Tanaka',
  'Patel',
  'Fernandez',
  'Walsh',
  'Novak',
  'Kowalski',
  'Haddad',
  'Moreau',
  'Jansen',
  'Silva',
  'Brennan',
  'Nakamura',
  'Keller',
  'Andersen',
] as const;

export const PORTFOLIO_PREFIXES = [
  'Atlantic',
  'Pacific',
  'Alpine',
  'Nordic',
  'Meridian',
  'Summit',
  'Harbor',
  'Crescent',
  'Keystone',
  'Evergreen',
  'Polaris',
  'Granite',
] as const;

/** Investment styles and how strongly each prefers each asset type when picking its universe. */
export const PORTFOLIO_STYLES: readonly { name: string; preference: Record<AssetType, number> }[] = [
  { name: 'Global Equity Growth', preference: { EQUITY: 3, ETF: 1.5, FUND: 0.5, BOND: 0.2, COMMODITY: 0.2, CRYPTO: 0.1 } },
  { name: 'Fixed Income', preference: { EQUITY: 0.1, ETF: 0.5, FUND: 1, BOND: 3, COMMODITY: 0, CRYPTO: 0 } },
  { name: 'Balanced', preference: { EQUITY: 1.5, ETF: 1, FUND: 1, BOND: 1.5, COMMODITY: 0.5, CRYPTO: 0.2 } },
  { name: 'Multi-Asset Income', preference: { EQUITY: 1, ETF: 1, FUND: 1.5, BOND: 2, COMMODITY: 0.3, CRYPTO: 0 } },
  { name: 'Real Assets', preference: { EQUITY: 0.8, ETF: 1, FUND: 0.3, BOND: 0.3, COMMODITY: 3, CRYPTO: 0.2 } },
  { name: 'Digital Assets', preference: { EQUITY: 0.3, ETF: 0.5, FUND: 0.1, BOND: 0, COMMODITY: 0.3, CRYPTO: 3 } },
  { name: 'Dividend Income', preference: { EQUITY: 2.5, ETF: 1, FUND: 0.5, BOND: 0.5, COMMODITY: 0, CRYPTO: 0 } },
  { name: 'Absolute Return', preference: { EQUITY: 1, ETF: 1, FUND: 1, BOND: 1, COMMODITY: 1, CRYPTO: 1 } },
];

export interface ComplianceRule {
  id: string;
  description: string;
  appliesTo: readonly AssetType[];
}

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  { id: 'CONC-10', description: 'Single issuer concentration above 10 % of a portfolio', appliesTo: ['EQUITY', 'BOND', 'ETF', 'FUND'] },
  { id: 'RATING-FLOOR', description: 'Rating below BBB-', appliesTo: ['BOND'] },
  { id: 'LIQ-ADV', description: 'Position above 20 % of average daily volume', appliesTo: ['EQUITY', 'ETF', 'COMMODITY', 'CRYPTO'] },
  { id: 'ESG-EXCL', description: 'Issuer on the ESG exclusion list', appliesTo: ['EQUITY', 'BOND'] },
  { id: 'COUNTRY-LIMIT', description: 'Issuing country exposure above its limit', appliesTo: ['EQUITY', 'BOND', 'ETF', 'FUND'] },
];
