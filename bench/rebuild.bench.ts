/**
 * npm run bench:rebuild -- --assets 10000 --days 252 [--runs 5]
 *
 * Times create_asset_360 on a demo book kept in its own database (asset360_bench_<assets>_<days>,
 * seeded once and reused), against a bare count(*) of each table the build reads.
 */
import { parseArgs } from 'node:util';
import { buildAsset360 } from '../src/jobs/build-asset-360.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { seedDemo } from '../src/demo/seed.js';

/** Fixed, so that a reused database and a new one hold the same book. */
const AS_OF = '2025-06-30';
const INPUT_TABLES = [
  'asset_master',
  'market_data',
  'transactions',
  'performance_history',
  'risk_metrics',
  'compliance_records',
  'fx_rates',
] as const;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function prepare(serverUrl: string, database: string, assets: number, days: number): Promise<Sql> {
  const admin = createSql(serverUrl, { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) await admin`create database ${admin(database)}`;
  } finally {
    await admin.end();
  }
  const sql = createSql(databaseUrl(serverUrl, database), {
    max: 2,
    onnotice: (notice) => {
      if (notice.message?.startsWith('create_asset_360')) console.log(`  ${notice.message}`);
    },
  });
  await migrate(sql);
  const [seeded] = await sql`select 1 from asset_master limit 1`;
  if (!seeded) {
    console.log(`seeding ${database} (${assets} assets × ${days} days as of ${AS_OF})`);
    const report = await seedDemo(sql, { assets, days, portfolios: 10, seed: 1, asOf: AS_OF }, (line) => console.log(`  ${line}`));
    console.log(`seeded in ${report.seconds.toFixed(1)} s`);
  } else {
    console.log(`reusing ${database}`);
  }
  return sql;
}

async function bareScans(sql: Sql): Promise<Map<string, number>> {
  const session = await sql.reserve();
  try {
    const seconds = new Map<string, number>();
    for (const table of INPUT_TABLES) {
      await session`select count(*) from ${session(table)}`;
      const started = performance.now();
      await session`select count(*) from ${session(table)}`;
      seconds.set(table, (performance.now() - started) / 1000);
    }
    return seconds;
  } finally {
    session.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { assets: { type: 'string' }, days: { type: 'string' }, runs: { type: 'string' } },
    strict: true,
  });
  const assets = positiveInteger('assets', values.assets, 10_000);
  const days = positiveInteger('days', values.days, 252);
  const runs = positiveInteger('runs', values.runs, 5);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  const sql = await prepare(serverUrl, `asset360_bench_${assets}_${days}`, assets, days);
  try {
    await sql`vacuum analyze`;
    const times: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const build = await buildAsset360(sql, AS_OF);
      const seconds = (performance.now() - started) / 1000;
      times.push(seconds);
      console.log(`run ${run}: build ${build.buildId}, ${build.rowCount} rows in ${seconds.toFixed(3)} s`);
    }
    const scans = await bareScans(sql);
    const scanSum = [...scans.values()].reduce((sum, seconds) => sum + seconds, 0);
    const middle = median(times);

    console.log('\nbare count(*), warm:');
    for (const [table, seconds] of scans) console.log(`  ${table.padEnd(20)} ${seconds.toFixed(3)} s`);
    console.log(`  ${'sum'.padEnd(20)} ${scanSum.toFixed(3)} s`);
    console.log(
      `\nmedian build: ${middle.toFixed(3)} s over ${runs} runs, ${Math.round(assets / middle).toLocaleString('en-US')} assets/s`,
    );
    console.log(`median / bare scans: ${(middle / scanSum).toFixed(2)}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
