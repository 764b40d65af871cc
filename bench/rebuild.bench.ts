/**
 * npm run bench:rebuild -- --assets 10000 --days 252 [--runs 5] [--database NAME]
 *
 * Times create_asset_360 on a demo book kept in its own database (asset360_bench_rebuild_<assets>_<days>,
 * seeded once and reused), against the bare scans of the tables the build reads, in one run so that
 * the load of a shared machine weighs on both alike. Each round, in this order:
 *
 *   - scans, new:  a new session counts (count(*)) every table the build reads, in full;
 *   - build, new:  another new session runs the build, as a scheduled worker's usually does (its
 *                  pool drops idle sessions), with the worker's session settings;
 *   - build, warm: the same session runs a second build;
 *   - scans, warm: the same session counts the tables again.
 *
 * A build is timed as the worker runs it (buildAsset360: the CALL, and the vacuum of asset_360
 * after it), from its first statement; the session's connection is opened before the clock starts,
 * for builds and scans alike. The ratios are of medians over the rounds, new to new and warm to warm.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildAsset360 } from '../src/jobs/build-asset-360.js';
import { WORKER_SQL_OPTIONS } from '../src/jobs/rebuild.worker.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { seedDemo } from '../src/demo/seed.js';
import { ensureDatabase, positiveInteger, quantile } from './common.js';

/** Fixed, so that a reused database and a new one hold the same book. */
const AS_OF = '2025-06-30';
/**
 * Every table create_asset_360 reads. It reads asset_master, transactions and fx_rates in full (up to
 * as_of), performance_history, risk_metrics and compliance_records over their windows, and
 * market_data only through its index, one entry per asset: counting market_data in full makes the
 * baseline larger than what the build touches, counting the windows alone would make it smaller than
 * what a scan of these tables costs. The issue's baseline is the full count, kept here.
 */
const INPUT_TABLES = [
  'asset_master',
  'market_data',
  'transactions',
  'performance_history',
  'risk_metrics',
  'compliance_records',
  'fx_rates',
] as const;

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

async function prepare(serverUrl: string, database: string, assets: number, days: number): Promise<string> {
  const url = await ensureDatabase(serverUrl, database);
  const sql = createSql(url, { max: 1 });
  try {
    await migrate(sql);
    const [seeded] = await sql`select 1 from asset_master limit 1`;
    if (!seeded) {
      console.log(`seeding ${database} (${assets} assets × ${days} days as of ${AS_OF})`);
      const report = await seedDemo(sql, { assets, days, portfolios: 10, seed: 1, asOf: AS_OF }, (line) => console.log(`  ${line}`));
      console.log(`seeded in ${report.seconds.toFixed(1)} s`);
    } else {
      console.log(`reusing ${database}`);
    }
    await sql`vacuum analyze`;
    // The first build of a fresh database also analyzes asset_360 (buildAsset360's reclaim): not timed.
    await buildAsset360(sql, AS_OF);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return url;
}

/** A pool of one session, connected before the caller starts its clock. */
async function newSession(url: string): Promise<Sql> {
  const sql = createSql(url, {
    ...WORKER_SQL_OPTIONS,
    max: 1,
    onnotice: (notice) => {
      if (notice.message?.startsWith('create_asset_360')) console.log(`  ${notice.message}`);
    },
  });
  await sql`select 1`;
  return sql;
}

async function scans(sql: Sql): Promise<number> {
  const started = performance.now();
  for (const table of INPUT_TABLES) await sql`select count(*) from ${sql(table)}`;
  return (performance.now() - started) / 1000;
}

async function timedBuild(sql: Sql): Promise<{ seconds: number; inProcedure: number; rows: number | null }> {
  const started = performance.now();
  const build = await buildAsset360(sql, AS_OF);
  return { seconds: (performance.now() - started) / 1000, inProcedure: build.seconds, rows: build.rowCount };
}

async function rowCounts(url: string): Promise<Map<string, number>> {
  const sql = createSql(url, { max: 1 });
  try {
    const counts = new Map<string, number>();
    for (const table of INPUT_TABLES) {
      const [row] = await sql<[{ count: string }]>`select count(*) from ${sql(table)}`;
      counts.set(table, Number(row.count));
    }
    return counts;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function line(label: string, values: readonly number[]): string {
  return `  ${label.padEnd(22)} median ${median(values).toFixed(3)} s   (${values.map((value) => value.toFixed(3)).join(', ')})`;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { assets: { type: 'string' }, days: { type: 'string' }, runs: { type: 'string' }, database: { type: 'string' } },
    strict: true,
  });
  const assets = positiveInteger('assets', values.assets, 10_000);
  const days = positiveInteger('days', values.days, 252);
  const runs = positiveInteger('runs', values.runs, 5);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = values.database ?? `asset360_bench_rebuild_${assets}_${days}`;
  const url = await prepare(serverUrl, database, assets, days);
  const counts = await rowCounts(url);
  console.log(`rows: ${[...counts].map(([table, count]) => `${table} ${count.toLocaleString('en-US')}`).join(', ')}`);
  console.log(`load average before: ${load()}`);

  const scansNew: number[] = [];
  const buildsNew: number[] = [];
  const proceduresNew: number[] = [];
  const buildsWarm: number[] = [];
  const proceduresWarm: number[] = [];
  const scansWarm: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const scanner = await newSession(url);
    try {
      scansNew.push(await scans(scanner));
    } finally {
      await scanner.end({ timeout: 5 });
    }
    const builder = await newSession(url);
    try {
      const cold = await timedBuild(builder);
      const warm = await timedBuild(builder);
      scansWarm.push(await scans(builder));
      buildsNew.push(cold.seconds);
      proceduresNew.push(cold.inProcedure);
      buildsWarm.push(warm.seconds);
      proceduresWarm.push(warm.inProcedure);
      console.log(
        `round ${run}: scans ${scansNew.at(-1)!.toFixed(3)} s; build on a new session ${cold.seconds.toFixed(3)} s, ` +
          `warm ${warm.seconds.toFixed(3)} s (${cold.rows} rows); scans, warm ${scansWarm.at(-1)!.toFixed(3)} s`,
      );
    } finally {
      await builder.end({ timeout: 5 });
    }
  }

  const newRatio = median(buildsNew) / median(scansNew);
  const warmRatio = median(buildsWarm) / median(scansWarm);
  console.log(`\n${assets.toLocaleString('en-US')} assets × ${days} days, ${runs} rounds:`);
  console.log(line('bare scans, new', scansNew));
  console.log(line('build, new session', buildsNew));
  console.log(line('  in the procedure', proceduresNew));
  console.log(line('build, warm session', buildsWarm));
  console.log(line('  in the procedure', proceduresWarm));
  console.log(line('bare scans, warm', scansWarm));
  console.log(
    `\nbuild / bare scans: ${newRatio.toFixed(2)} on a new session, ${warmRatio.toFixed(2)} warm; ` +
      `${Math.round(assets / median(buildsNew)).toLocaleString('en-US')} assets/s on a new session`,
  );
  console.log(`load average after: ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
