import { createSql, type Sql } from '../src/infra/db.js';
import { demoBook } from './common.js';
import { formatScaled } from '../src/lib/decimal.js';
import { Random } from '../src/demo/random.js';

/*
 * The file of valid trades bench:import and bench:cash import: after the demo book's last day
 * (2025-06-30), spread over a year, so that they never uncover the book's sales.
 */

const FIRST_TRADE_DAY = Date.UTC(2025, 6, 1);
const TRADE_DAYS = 365;

export interface Instrument {
  portfolio: string;
  asset: string;
  isin: string | null;
  name: string;
  /** The last close in ten-thousandths. */
  priceTicks: number;
}

/** Every (portfolio, ACTIVE asset) pair, with what names the asset in a file: its ISIN, else its unique name. */
export async function instruments(sql: Sql): Promise<Instrument[]> {
  return sql<Instrument[]>`
    select p.name as portfolio, a.asset_id::text as asset, a.isin, a.asset_name as name,
      round((select m.closing_price from market_data m where m.asset_id = a.asset_id order by m.price_date desc limit 1) * 10000)::float8 as "priceTicks"
    from portfolios p
    cross join asset_master a
    where a.status = 'ACTIVE'
      and (a.isin is not null or (select count(*) from asset_master b where b.asset_name = a.asset_name) = 1)
      and exists (select from market_data m where m.asset_id = a.asset_id)
    order by p.portfolio_id, a.asset_id`;
}

/** Valid trades in date order: a sale never exceeds what the file itself bought of that position. */
export function tradesCsv(pairs: readonly Instrument[], rows: number, run: string): string {
  const random = new Random(1, 'bench-import');
  const held = new Map<Instrument, number>();
  const lines = ['account_ref,trade_time,symbol,isin,side,qty,price,fees,currency,external_id'];
  for (let index = 0; index < rows; index++) {
    const pair = pairs[random.int(0, pairs.length - 1)]!;
    const holding = held.get(pair) ?? 0;
    const sell = holding > 0 && random.chance(0.4);
    const quantity = sell ? random.int(1, holding) : random.int(1, 1000);
    held.set(pair, holding + (sell ? -quantity : quantity));
    const day = new Date(FIRST_TRADE_DAY + Math.floor((index / rows) * TRADE_DAYS) * 86_400_000).toISOString().slice(0, 10);
    const priceTicks = Math.max(1, Math.round(pair.priceTicks * random.uniform(0.95, 1.05)));
    const fees = formatScaled(random.int(0, 2000), 2);
    const name = pair.isin === null ? `"${pair.name.replace(/"/g, '""')}"` : '';
    lines.push(
      `${pair.portfolio},${day},${name},${pair.isin ?? ''},${sell ? 'SELL' : 'BUY'},${quantity},${formatScaled(priceTicks, 4)},${fees},,${run}-${index}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The generated purchases far exceed the demo's funding of the brokerage accounts they settle in:
 * an overdraft finances them, so that the import is timed with its settlement, not refused by it.
 */
export async function fundBrokerage(sql: Sql): Promise<void> {
  await sql`update accounts set overdraft_limit = 1e15 where kind = 'BROKERAGE'`;
}

/** The seeded demo book of `database`, its brokerage accounts funded for the generated trades. */
export async function fundedDemoBook(serverUrl: string, database: string, asOf: string): Promise<void> {
  const sql = createSql(await demoBook(serverUrl, database, asOf), { max: 1 });
  try {
    await fundBrokerage(sql);
  } finally {
    await sql.end();
  }
}
