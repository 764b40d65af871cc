/**
 * npm run bench:cash -- [--rows 100000] [--runs 1] [--requests 500]
 *
 * 1. Times importCashTransactions on a file of `rows` valid cash movements (income, expenses,
 *    payments out and transfers between accounts) against importTrades on a file of as many trades,
 *    each into a fresh copy of a demo book (asset360_bench_cash, seeded once), and prints the ratio
 *    (target: at most 2).
 * 2. Times balance(asOf) at random days for the account with the most movements (a year of the
 *    demo's and the import's): the statement alone, and the whole GraphQL request against an
 *    in-process server (target: p50 at most 5 ms).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../src/audit/actor.js';
import { ADMIN } from '../src/auth/viewer.js';
import { Random } from '../src/demo/random.js';
import { balancesAsOf } from '../src/graph/account/account.sql.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { importCashTransactions } from '../src/ledger/import/import-cash.js';
import { epochDay, isoDate } from '../src/lib/dates.js';
import { importTrades } from '../src/trades/import/import-trades.js';
import { benchTarget } from './server.js';
import { cashCsv, type CashAccount } from './cash-file.js';
import { fundedDemoBook, instruments, tradesCsv } from './trades-file.js';
import { databaseUrl, positiveInteger, quantileOfSorted } from './common.js';

const BOOK = 'asset360_bench_cash';
const AS_OF = '2025-06-30';

async function timeBalances(sql: Sql, url: string, requests: number): Promise<void> {
  const [busiest] = await sql<[{ id: string; name: string; movements: number; first: string; last: string }]>`
    select a.account_id::text as id, a.name, count(*)::int as movements, min(m.movement_date)::text as first, max(m.movement_date)::text as last
    from accounts a join cash_movements m using (account_id)
    group by a.account_id order by count(*) desc limit 1`;
  const random = new Random(2, 'bench-balance');
  const span = epochDay(busiest.last) - epochDay(busiest.first);
  const day = () => isoDate(epochDay(busiest.first) + random.int(0, span));
  console.log(
    `balance(asOf) of ${busiest.name}: ${busiest.movements.toLocaleString('en-US')} movements from ${busiest.first} to ${busiest.last}`,
  );

  for (let i = 0; i < 50; i++) await balancesAsOf(sql, [busiest.id], day());
  const statement: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await balancesAsOf(sql, [busiest.id], day());
    statement.push(performance.now() - started);
  }
  statement.sort((a, b) => a - b);

  const post = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`request failed: ${JSON.stringify(body.errors)}`);
  };
  const timed = async (send: () => Promise<void>): Promise<number[]> => {
    for (let i = 0; i < 50; i++) await send();
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      await send();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  };
  const graph = await timed(() =>
    post('query($id: ID!, $day: Date) { account(id: $id) { balance(asOf: $day) } }', { id: busiest.id, day: day() }),
  );
  // What any request costs the server (HTTP, limits, Apollo) without touching the database.
  const baseline = await timed(() => post('{ __typename }', {}));
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(
    `  the statement alone: p50 ${ms(quantileOfSorted(statement, 0.5))}, p99 ${ms(quantileOfSorted(statement, 0.99))} (${requests} days)`,
  );
  console.log(
    `  the GraphQL request: p50 ${ms(quantileOfSorted(graph, 0.5))}, p99 ${ms(quantileOfSorted(graph, 0.99))} (${requests} requests; target p50 <= 5 ms)`,
  );
  console.log(
    `  a request that reads nothing ({ __typename }): p50 ${ms(quantileOfSorted(baseline, 0.5))}, p99 ${ms(quantileOfSorted(baseline, 0.99))}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, runs: { type: 'string' }, requests: { type: 'string' } },
    strict: true,
  });
  const rows = positiveInteger('rows', values.rows, 100_000);
  const runs = positiveInteger('runs', values.runs, 1);
  const requests = positiveInteger('requests', values.requests, 500);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await fundedDemoBook(serverUrl, BOOK, AS_OF);

  const dir = await mkdtemp(path.join(tmpdir(), 'asset360-bench-cash-'));
  const admin = createSql(serverUrl, { max: 1 });
  const copy = `${BOOK}_run`;
  try {
    for (let run = 1; run <= runs; run++) {
      const seconds: Record<'trades' | 'cash', number> = { trades: 0, cash: 0 };
      for (const kind of ['trades', 'cash'] as const) {
        await admin`drop database if exists ${admin(copy)}`;
        await admin`create database ${admin(copy)} template ${admin(BOOK)}`;
        const sql = createSql(databaseUrl(serverUrl, copy), { max: 2 });
        try {
          const file = path.join(dir, `${kind}-${run}.csv`);
          if (kind === 'trades') {
            await writeFile(file, tradesCsv(await instruments(sql), rows, `bench-${run}`));
          } else {
            const accounts = await sql<CashAccount[]>`select name, currency from accounts where kind <> 'BROKERAGE' order by account_id`;
            await writeFile(file, cashCsv(accounts, rows, `bench-${run}`));
          }
          const started = performance.now();
          const result =
            kind === 'trades'
              ? await importTrades(sql, createReadStream(file), systemActor('bench-cash'))
              : await importCashTransactions(sql, ADMIN, createReadStream(file), systemActor('bench-cash'));
          seconds[kind] = (performance.now() - started) / 1000;
          if (result.errors.length > 0)
            throw new Error(`the generated ${kind} file was rejected: ${JSON.stringify(result.errors.slice(0, 5))}`);
          console.log(
            `run ${run}: ${kind}: imported ${result.imported.toLocaleString('en-US')} rows in ${seconds[kind].toFixed(2)} s ` +
              `(${Math.round(result.imported / seconds[kind]).toLocaleString('en-US')} rows/s)`,
          );
          if (kind === 'cash' && run === runs) {
            await sql`analyze cash_movements`;
            process.env.DATABASE_URL = databaseUrl(serverUrl, copy);
            const target = await benchTarget(undefined, 4);
            try {
              await timeBalances(sql, target.url, requests);
            } finally {
              await target.stop();
            }
          }
        } finally {
          await sql.end({ timeout: 5 });
        }
      }
      console.log(
        `run ${run}: the cash import took ${(seconds.cash / seconds.trades).toFixed(2)}x the trades import's time (target <= 2x)`,
      );
    }
  } finally {
    await admin`drop database if exists ${admin(copy)} with (force)`;
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
