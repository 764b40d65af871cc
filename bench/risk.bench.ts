/**
 * npm run bench:risk -- [--assets 10000] [--positions 200] [--runs 5] [--requests 40] [--database NAME]
 *
 * In its own database (asset360_bench_risk_<assets>_<positions> unless --database names another,
 * generated once and reused):
 * - the risk engine for every asset over a 1-year window, against a bare scan of the market_data
 *   rows it reads (same date range, the closes converted as the engine converts them), measured in
 *   the same run, alternately, on one connection: serially (the engine reads with one statement,
 *   one backend) and with PostgreSQL's parallel workers; wall time, the backend's CPU time (from
 *   /proc, when the server is local), which a busy machine disturbs less, and this process's (the
 *   engine computes its figures in TypeScript);
 * - Portfolio.risk over 3 years for a portfolio of `positions` holdings in USD and EUR, through
 *   GraphQL on an in-process server, with its correlations: p50 and p90.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { runRiskEngine } from '../src/risk/engine.js';
import { benchTarget } from './server.js';
import { ensureDatabase, positiveInteger, quantile } from './common.js';

const AS_OF = '2025-06-30';
const ONE_YEAR_FROM = '2024-06-30';
const THREE_YEARS_FROM = '2022-06-30';

/** CPU seconds a local PostgreSQL backend has used (utime + stime); null when /proc cannot tell. */
function backendCpu(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Random walks: every asset over one year, the first `positions` over three, half of them in EUR. */
async function generate(sql: Sql, assets: number, positions: number): Promise<void> {
  console.log(`generating ${assets} assets (${positions} with 3 years of prices) as of ${AS_OF}`);
  await sql`set synchronous_commit = off`;
  await sql`
    insert into asset_master (asset_id, asset_name, asset_type, currency, status)
    select g, 'bench asset ' || g, 'EQUITY', case when g % 2 = 0 then 'EUR' else 'USD' end, 'ACTIVE' from generate_series(1, ${assets}) g`;
  await sql`
    insert into market_data (asset_id, price_date, closing_price)
    select a, d::date, round((50 + a % 100) * exp(sum(ln(1 + (random() - 0.5) * 0.04)) over (partition by a order by d))::numeric, 4)
    from generate_series(1, ${assets}) a,
      generate_series(case when a <= ${positions} then ${THREE_YEARS_FROM}::date else ${ONE_YEAR_FROM}::date end, ${AS_OF}::date, interval '1 day') d
    where extract(isodow from d) < 6`;
  await sql`
    insert into fx_rates (currency, rate_date, rate_to_base)
    select 'EUR', d::date, round((1.08 * exp(sum(ln(1 + (random() - 0.5) * 0.01)) over (order by d)))::numeric, 6)
    from generate_series(${THREE_YEARS_FROM}::date - 10, ${AS_OF}::date, interval '1 day') d where extract(isodow from d) < 6`;
  await sql`insert into portfolios (portfolio_id, name) values (1, 'bench')`;
  await sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
    select g, ${THREE_YEARS_FROM}::date, 'BUY', 100 + g, 50, (100 + g) * 50, 1 from generate_series(1, ${positions}) g`;
  await sql`select setval(pg_get_serial_sequence('asset_master', 'asset_id'), ${assets})`;
  await sql`update asset_360_settings set risk_benchmark_asset_id = 1, risk_engine_window = '1 year', risk_free_rate = 0.03`;
  await sql`vacuum analyze`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assets: { type: 'string' },
      positions: { type: 'string' },
      runs: { type: 'string' },
      requests: { type: 'string' },
      database: { type: 'string' },
    },
    strict: true,
  });
  const assets = positiveInteger('assets', values.assets, 10_000);
  const positions = Math.min(assets, positiveInteger('positions', values.positions, 200));
  const runs = positiveInteger('runs', values.runs, 5);
  const requests = positiveInteger('requests', values.requests, 40);
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = values.database ?? `asset360_bench_risk_${assets}_${positions}`;

  const url = await ensureDatabase(serverUrl, database);
  const sql = createSql(url, { max: 2 });
  try {
    await migrate(sql);
    const [seeded] = await sql`select 1 from asset_master limit 1`;
    if (!seeded) await generate(sql, assets, positions);

    console.log(
      `\nthe risk engine, ${assets} assets over 1 year as of ${AS_OF}, ${runs} runs (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    // One connection for the scans and the engine, so that its backend's CPU time can be read too.
    const session = createSql(url, { max: 1 });
    try {
      const [{ pid }] = await session<[{ pid: number }]>`select pg_backend_pid() as pid`;
      const measure = async <T>(work: () => Promise<T>) => {
        const cpu = backendCpu(pid);
        const own = process.cpuUsage();
        const started = performance.now();
        const result = await work();
        const after = backendCpu(pid);
        const node = process.cpuUsage(own);
        return {
          result,
          seconds: (performance.now() - started) / 1000,
          cpu: cpu === null || after === null ? null : after - cpu,
          node: (node.user + node.system) / 1e6,
        };
      };
      // The rows the engine reads: every close of the window. Read serially, as the engine's one
      // statement reads them, and with the parallel workers PostgreSQL gives a plain scan.
      const scan = (parallel: boolean) =>
        measure(() =>
          session.begin(async (tx) => {
            if (!parallel) await tx`set local max_parallel_workers_per_gather = 0`;
            const [row] = await tx<[{ rows: number }]>`
              select count(*)::int as rows, sum(closing_price::float8) as total
              from market_data where price_date between ${AS_OF}::date - interval '1 year' and ${AS_OF}::date`;
            return row;
          }),
        );
      const serial: number[] = [];
      const parallel: number[] = [];
      const cpu: number[] = [];
      // The engine computes in this process: its CPU time here plus its backend's, against the scan's.
      const total: number[] = [];
      const fmt = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} s`);
      for (let run = 0; run < runs; run++) {
        const one = await scan(false);
        const workers = await scan(true);
        const engine = await measure(() => runRiskEngine(session, [AS_OF]));
        serial.push(engine.seconds / one.seconds);
        parallel.push(engine.seconds / workers.seconds);
        if (engine.cpu !== null && one.cpu) {
          cpu.push(engine.cpu / one.cpu);
          total.push((engine.cpu + engine.node) / one.cpu);
        }
        console.log(
          `  run ${run + 1}: engine ${engine.seconds.toFixed(3)} s (cpu ${fmt(engine.cpu)}, node ${fmt(engine.node)}) for ${engine.result.rows} assets; ` +
            `bare scan of ${one.result.rows} rows ${one.seconds.toFixed(3)} s (cpu ${fmt(one.cpu)}), with parallel workers ` +
            `${workers.seconds.toFixed(3)} s; ratio ${(engine.seconds / one.seconds).toFixed(2)}x (${(engine.seconds / workers.seconds).toFixed(2)}x the parallel scan)`,
        );
      }
      console.log(
        `  median ratio ${quantile(serial, 0.5).toFixed(2)}x the bare scan (${quantile(parallel, 0.5).toFixed(2)}x the parallel scan)` +
          (cpu.length
            ? `; in backend CPU time ${quantile(cpu, 0.5).toFixed(2)}x, backend and node ${quantile(total, 0.5).toFixed(2)}x`
            : ''),
      );
    } finally {
      await session.end({ timeout: 5 });
    }

    process.env.DATABASE_URL = url;
    const target = await benchTarget(undefined, 4);
    try {
      const query = `{ portfolio(id: "1") { risk(window: { span: THREE_YEARS, to: "${AS_OF}" }, benchmarkId: "1") {
        portfolio { returns volatility parametricValueAtRisk maxDrawdown beta } positions { asset { id } componentValueAtRisk }
        correlations { matrix } } } }`;
      const times: number[] = [];
      let holdings = 0;
      for (let i = 0; i < requests + 3; i++) {
        const started = performance.now();
        const response = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as {
          data: { portfolio: { risk: { positions: unknown[]; portfolio: { returns: number } } } };
          errors?: unknown[];
        };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        if (i >= 3) times.push(performance.now() - started);
        holdings = body.data.portfolio.risk.positions.length;
        if (i === 0)
          console.log(
            `\nPortfolio.risk: ${holdings} holdings, ${body.data.portfolio.risk.portfolio.returns} daily returns over 3 years, 100 x 100 correlations`,
          );
      }
      console.log(
        `  load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      console.log(`  ${requests} requests: p50 ${quantile(times, 0.5).toFixed(0)} ms, p90 ${quantile(times, 0.9).toFixed(0)} ms`);
    } finally {
      await target.stop();
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error: Error) => {
  console.error(`bench:risk failed: ${error.message}`);
  process.exitCode = 1;
});
