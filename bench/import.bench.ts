/**
 * npm run bench:import -- [--rows 100000] [--runs 1]
 *
 * Times `npm run import` (importTrades: parse, stage, check, insert, recompute the lots) on a CSV of
 * valid trades generated against a demo book. The book is seeded once into its own database
 * (asset360_bench_import) and each run imports into a fresh copy of it, so runs compare. Each run
 * imports the same file twice, with the audit log on and off (docs/audit.md, Cost).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../src/audit/actor.js';
import { fundedDemoBook, instruments, tradesCsv } from './trades-file.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { dataVersionsAsConfigured } from './data-versions.js';
import { importTrades } from '../src/trades/import/import-trades.js';
import { databaseUrl, positiveInteger } from './common.js';

/** BENCH_IMPORT_DB names another book, for a checkout whose migrations differ from the shared one's. */
const BOOK = process.env.BENCH_IMPORT_DB ?? 'asset360_bench_import';
/** The book ends here; the generated trades come after it, so that they never uncover its sales. */
const AS_OF = '2025-06-30';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, runs: { type: 'string' } }, strict: true });
  const rows = positiveInteger('rows', values.rows, 100_000);
  const runs = positiveInteger('runs', values.runs, 1);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await fundedDemoBook(serverUrl, BOOK, AS_OF);

  const dir = await mkdtemp(path.join(tmpdir(), 'asset360-bench-import-'));
  const admin = createSql(serverUrl, { max: 1 });
  const timings: Record<AuditMode, number[]> = { on: [], off: [] };
  try {
    for (let run = 1; run <= runs; run++) {
      // Alternated, so that neither mode always runs on the warmer cache.
      const modes: AuditMode[] = run % 2 === 1 ? ['off', 'on'] : ['on', 'off'];
      for (const mode of modes) {
        const copy = `${BOOK}_run_${process.pid}`;
        await admin`drop database if exists ${admin(copy)}`;
        await admin`create database ${admin(copy)} template ${admin(BOOK)}`;
        const sql = createSql(databaseUrl(serverUrl, copy), { max: 2 });
        try {
          if (mode === 'off') await withoutAuditLog(sql);
          if (run === 1 && mode === modes[0]) console.log(`data version triggers ${await dataVersionsAsConfigured(sql)} (DATA_VERSIONS)`);
          else await dataVersionsAsConfigured(sql);
          const file = path.join(dir, `trades-${run}.csv`);
          await writeFile(file, tradesCsv(await instruments(sql), rows, `bench-${run}`));
          const started = performance.now();
          const result = await importTrades(sql, createReadStream(file), systemActor('bench'), path.basename(file));
          const seconds = (performance.now() - started) / 1000;
          if (result.errors.length > 0) throw new Error(`the generated file was rejected: ${JSON.stringify(result.errors.slice(0, 5))}`);
          timings[mode].push(seconds);
          const [lots] = await sql<[{ lots: number; sales: number; entries: number }]>`
            select (select count(*)::int from position_lots) as lots, (select count(*)::int from trade_realizations) as sales,
              (select count(*)::int from audit_log where action = 'trades.imported') as entries`;
          console.log(
            `run ${run}, audit log ${mode.padEnd(3)}: imported ${result.imported.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s ` +
              `(${Math.round(result.imported / seconds).toLocaleString('en-US')} rows/s), lots included: ` +
              `${lots.lots.toLocaleString('en-US')} open lots, ${lots.sales.toLocaleString('en-US')} realized sales in the book; ` +
              `${lots.entries} trades.imported entries`,
          );
        } finally {
          await sql.end({ timeout: 5 });
          await admin`drop database if exists ${admin(copy)}`;
        }
      }
    }
    const file = path.join(dir, 'trades-1.csv');
    const hashStarted = performance.now();
    createHash('sha256')
      .update(await readFile(file))
      .digest();
    const hashSeconds = (performance.now() - hashStarted) / 1000;
    const on = median(timings.on);
    const off = median(timings.off);
    // Each run's two imports ran back to back, under the same load: their ratio is the steadier figure.
    const paired = median(timings.on.map((seconds, index) => seconds / timings.off[index]! - 1));
    console.log(
      `median of ${runs}: log on ${on.toFixed(2)} s, log off ${off.toFixed(2)} s: ${(((on - off) / off) * 100).toFixed(1)} %; ` +
        `median of the runs' own on/off differences ${(paired * 100).toFixed(1)} % ` +
        `(target: within 10 %); hashing the file's ${(await stat(file)).size.toLocaleString('en-US')} bytes alone takes ${(hashSeconds * 1000).toFixed(0)} ms`,
    );
  } finally {
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

type AuditMode = 'on' | 'off';

/**
 * "Off" for the comparison: audit_append, in this copy only, returns an entry without locking,
 * hashing or writing anything. The file's SHA-256 is still computed as it streams; its cost alone
 * is printed apart.
 */
async function withoutAuditLog(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create or replace function audit_append(p_actor_subject text, p_actor_role text, p_action text, p_entity text,
      p_entity_id text, p_payload jsonb) returns audit_log
    language sql as $$ select null::audit_log $$`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
