/**
 * npm run bench:import -- [--rows 100000] [--runs 1]
 *
 * Times `npm run import` (importTrades: parse, stage, check, insert, recompute the lots) on a CSV of
 * valid trades generated against a demo book. The book is seeded once into its own database
 * (asset360_bench_import) and each run imports into a fresh copy of it, so runs compare.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatScaled } from '../src/lib/decimal.js';
import { Random } from '../src/demo/random.js';
import { seedDemo } from '../src/demo/seed.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { importTrades } from '../src/trades/import/import-trades.js';

const BOOK = 'asset360_bench_import';
/** The book ends here; the generated trades come after it, so that they never uncover its sales. */
const AS_OF = '2025-06-30';
const FIRST_TRADE_DAY = Date.UTC(2025, 6, 1);
const TRADE_DAYS = 365;

interface Instrument {
  portfolio: string;
  asset: string;
  isin: string | null;
  name: string;
  /** The last close in ten-thousandths. */
  priceTicks: number;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function prepareBook(serverUrl: string): Promise<void> {
  const admin = createSql(serverUrl, { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${BOOK}`;
    if (!exists) await admin`create database ${admin(BOOK)}`;
  } finally {
    await admin.end();
  }
  const sql = createSql(databaseUrl(serverUrl, BOOK), { max: 1 });
  try {
    await migrate(sql);
    const [seeded] = await sql`select 1 from asset_master limit 1`;
    if (seeded) return console.log(`reusing ${BOOK}`);
    console.log(`seeding ${BOOK}`);
    const report = await seedDemo(sql, { assets: 500, days: 504, portfolios: 8, seed: 1, asOf: AS_OF }, (line) => console.log(`  ${line}`));
    console.log(`seeded in ${report.seconds.toFixed(1)} s`);
  } finally {
    await sql.end();
  }
}

/** Every (portfolio, ACTIVE asset) pair, with what names the asset in a file: its ISIN, else its unique name. */
async function instruments(sql: Sql): Promise<Instrument[]> {
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
function csv(pairs: readonly Instrument[], rows: number, run: string): string {
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, runs: { type: 'string' } }, strict: true });
  const rows = positiveInteger('rows', values.rows, 100_000);
  const runs = positiveInteger('runs', values.runs, 1);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await prepareBook(serverUrl);

  const dir = await mkdtemp(path.join(tmpdir(), 'asset360-bench-import-'));
  const admin = createSql(serverUrl, { max: 1 });
  try {
    for (let run = 1; run <= runs; run++) {
      const copy = `${BOOK}_run`;
      await admin`drop database if exists ${admin(copy)}`;
      await admin`create database ${admin(copy)} template ${admin(BOOK)}`;
      const sql = createSql(databaseUrl(serverUrl, copy), { max: 2 });
      try {
        const file = path.join(dir, `trades-${run}.csv`);
        await writeFile(file, csv(await instruments(sql), rows, `bench-${run}`));
        const started = performance.now();
        const result = await importTrades(sql, createReadStream(file));
        const seconds = (performance.now() - started) / 1000;
        if (result.errors.length > 0) throw new Error(`the generated file was rejected: ${JSON.stringify(result.errors.slice(0, 5))}`);
        const [lots] = await sql<[{ lots: number; sales: number }]>`
          select (select count(*)::int from position_lots) as lots, (select count(*)::int from trade_realizations) as sales`;
        console.log(
          `run ${run}: imported ${result.imported.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s ` +
            `(${Math.round(result.imported / seconds).toLocaleString('en-US')} rows/s), lots included: ` +
            `${lots.lots.toLocaleString('en-US')} open lots, ${lots.sales.toLocaleString('en-US')} realized sales in the book`,
        );
      } finally {
        await sql.end({ timeout: 5 });
        await admin`drop database if exists ${admin(copy)}`;
      }
    }
  } finally {
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
