/**
 * npm run bench:audit -- [--trades 500] [--writers 4] [--rounds 3]
 *
 * The audit log's cost on the write path that records one entry per change: recordTrade, in a
 * database of its own (created and dropped here), with the log on and off (off: audit_append
 * replaced by a no-op), alternating rounds so that neither runs on the warmer cache:
 * - one writer recording `trades` trades one after another: the latency of a trade;
 * - `writers` concurrent writers, each on its own portfolio: the throughput, where every writer
 *   waits for the audit lock of the ones before it.
 */
import { parseArgs } from 'node:util';
import { systemActor } from '../src/audit/actor.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { dataVersionsAsConfigured } from './data-versions.js';
import { recordTrade } from '../src/trades/record-trade.js';
import { databaseUrl, positiveInteger } from './common.js';

type Mode = 'on' | 'off';

const ON = `
  create or replace function audit_append(p_actor_subject text, p_actor_role text, p_action text, p_entity text,
    p_entity_id text, p_payload jsonb) returns audit_log
  language sql as $$ select null::audit_log $$`;

async function setMode(sql: Sql, mode: Mode, original: string): Promise<void> {
  await sql.unsafe(mode === 'off' ? ON : original);
}

let tradeNumber = 0;

async function record(sql: Sql, portfolio: number, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await recordTrade(
      sql,
      {
        // Each trade on an asset of its own, so that recomputing its position costs the same every time.
        assetId: String(++tradeNumber),
        portfolioId: String(portfolio),
        counterpartyId: null,
        type: 'BUY',
        date: '2025-01-02',
        quantity: '10',
        price: '101.25',
        costs: '1.50',
        currency: null,
        externalId: `bench-${tradeNumber}`,
      },
      systemActor('bench'),
    );
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { trades: { type: 'string' }, writers: { type: 'string' }, rounds: { type: 'string' } },
    strict: true,
  });
  const trades = positiveInteger('trades', values.trades, 500);
  const writers = positiveInteger('writers', values.writers, 4);
  const rounds = positiveInteger('rounds', values.rounds, 3);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `asset360_bench_audit_${process.pid}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin`create database ${admin(name)}`;
  const sql = createSql(databaseUrl(serverUrl, name), { max: writers + 2 });
  try {
    await migrate(sql);
    console.log(`data version triggers ${await dataVersionsAsConfigured(sql)} (DATA_VERSIONS)`);
    const [{ definition }] = await sql<[{ definition: string }]>`select pg_get_functiondef('audit_append'::regproc) as definition`;
    await sql`insert into portfolios (portfolio_id, name) select g, 'bench ' || g from generate_series(1, ${writers}) g`;
    const assets = rounds * 2 * (trades + writers * Math.ceil(trades / writers));
    await sql`
      insert into asset_master (asset_id, asset_name, asset_type, currency, status)
      select g, 'Bench ' || g, 'EQUITY', 'USD', 'ACTIVE' from generate_series(1, ${assets}) g`;
    const latency: Record<Mode, number[]> = { on: [], off: [] };
    const throughput: Record<Mode, number[]> = { on: [], off: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const mode of (round % 2 ? ['off', 'on'] : ['on', 'off']) as Mode[]) {
        await setMode(sql, mode, definition);
        let started = performance.now();
        await record(sql, 1, trades);
        latency[mode].push((performance.now() - started) / trades);
        started = performance.now();
        await Promise.all(Array.from({ length: writers }, (_, index) => record(sql, index + 1, Math.ceil(trades / writers))));
        throughput[mode].push((writers * Math.ceil(trades / writers)) / ((performance.now() - started) / 1000));
        console.log(
          `round ${round}, log ${mode.padEnd(3)}: ${latency[mode].at(-1)!.toFixed(2)} ms a trade alone; ` +
            `${Math.round(throughput[mode].at(-1)!)} trades/s from ${writers} writers`,
        );
      }
    }
    const [{ entries }] = await sql<[{ entries: number }]>`select count(*)::int as entries from audit_log`;
    const change = (on: number, off: number) => `${(((on - off) / off) * 100).toFixed(1)} %`;
    console.log(
      `median of ${rounds}: a trade alone ${median(latency.on).toFixed(2)} ms with the log, ${median(latency.off).toFixed(2)} ms without ` +
        `(${change(median(latency.on), median(latency.off))}); ${writers} writers ${Math.round(median(throughput.on))} trades/s with the log, ` +
        `${Math.round(median(throughput.off))} without (${change(median(throughput.on), median(throughput.off))}); ${entries} entries written`,
    );
  } finally {
    await sql.end({ timeout: 5 });
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
