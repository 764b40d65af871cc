/**
 * npm run bench:optimize -- [--requests 30] [--large-requests 5]
 *
 * In its own database (asset360_bench_optimize, generated once and reused): 500 assets, half in
 * EUR, with 3 years of business-day closes from a one-factor model, and two portfolios holding the
 * first 100 and all 500. Portfolio.optimize through GraphQL on an in-process server, request to
 * answer: MAX_SHARPE and MIN_VOLATILITY over 3 years, p50 and p90; then the same for 500 assets,
 * with the time of the optimizer alone (returns, covariance, QP) on the same prices beside it.
 */
import { parseArgs } from 'node:util';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { basePriceWindow } from '../src/optimizer/market.js';
import { optimizeFromPrices } from '../src/optimizer/optimize.js';
import { recomputeAllPositions } from '../src/trades/positions.js';
import { benchTarget } from './server.js';
import { ensureDatabase, positiveInteger, quantile } from './common.js';

const AS_OF = '2025-06-30';
const FROM = '2022-06-30';
const DATABASE = 'asset360_bench_optimize';

/** Closes driven by one market factor plus noise, so that the covariance has structure to find. */
async function generate(sql: Sql): Promise<void> {
  console.log(`generating 500 assets with business-day closes from ${FROM} to ${AS_OF}`);
  await sql`set synchronous_commit = off`;
  await sql`
    insert into asset_master (asset_id, asset_name, asset_type, currency, sector, status)
    select g, 'bench asset ' || g, 'EQUITY', case when g % 2 = 0 then 'EUR' else 'USD' end, 'S' || (g % 10), 'ACTIVE'
    from generate_series(1, 500) g`;
  await sql`
    with days as (select d::date as d from generate_series(${FROM}::date, ${AS_OF}::date, interval '1 day') d where extract(isodow from d) < 6),
    market as (select d, (random() - 0.5) * 0.02 as m from days)
    insert into market_data (asset_id, price_date, closing_price)
    select a, d, round((20 + a % 80) * exp(sum(ln(1 + 0.0003 * (a % 7) + (0.5 + (a % 5) * 0.2) * m + (random() - 0.5) * 0.03))
      over (partition by a order by d))::numeric, 4)
    from generate_series(1, 500) a, market`;
  await sql`
    insert into fx_rates (currency, rate_date, rate_to_base)
    select 'EUR', d::date, round((1.08 * exp(sum(ln(1 + (random() - 0.5) * 0.01)) over (order by d)))::numeric, 6)
    from generate_series(${FROM}::date - 10, ${AS_OF}::date, interval '1 day') d where extract(isodow from d) < 6`;
  await sql`insert into portfolios (portfolio_id, name) values (1, 'bench 100'), (2, 'bench 500')`;
  await sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
    select g, ${FROM}::date, 'BUY', 100, 50, 5000, p from generate_series(1, 500) g, (values (1), (2)) as p(p) where p = 2 or g <= 100`;
  await sql.begin((tx) => recomputeAllPositions(tx));
  await sql`select setval(pg_get_serial_sequence('asset_master', 'asset_id'), 500)`;
  await sql`select setval(pg_get_serial_sequence('portfolios', 'portfolio_id'), 2)`;
  await sql`vacuum analyze`;
}

async function time(url: string, portfolio: string, objective: string, requests: number) {
  const query = `{ portfolio(id: "${portfolio}") { optimize(input: { from: "${FROM}", to: "${AS_OF}", objective: ${objective} }) {
    observations expectedReturn volatility sharpe weights { assetId weight } trades { assetId side quantity } } } }`;
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < requests + 2; i++) {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as {
      data: {
        portfolio: { optimize: { observations: number; weights: unknown[]; trades: unknown[]; volatility: number; sharpe: number } };
      };
      errors?: unknown[];
    };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    if (i >= 2) times.push(performance.now() - started);
    const o = body.data.portfolio.optimize;
    summary = `${o.weights.length} assets, ${o.observations} dates, ${o.trades.length} trades, volatility ${o.volatility.toFixed(4)}, Sharpe ${o.sharpe.toFixed(3)}`;
  }
  console.log(`  ${objective.padEnd(14)} ${summary}`);
  console.log(
    `  ${''.padEnd(14)} ${requests} requests: p50 ${quantile(times, 0.5).toFixed(0)} ms, p90 ${quantile(times, 0.9).toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string' }, 'large-requests': { type: 'string' } }, strict: true });
  const requests = positiveInteger('requests', values.requests, 30);
  const largeRequests = positiveInteger('large-requests', values['large-requests'], 5);
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = await ensureDatabase(serverUrl, DATABASE);
  const sql = createSql(url, { max: 2 });
  try {
    await migrate(sql);
    const [seeded] = await sql`select 1 from asset_master limit 1`;
    if (!seeded) await generate(sql);

    process.env.DATABASE_URL = url;
    const target = await benchTarget(undefined, 4);
    try {
      console.log(`\nPortfolio.optimize, 100 holdings over 3 years, request to answer`);
      await time(target.url, '1', 'MAX_SHARPE', requests);
      await time(target.url, '1', 'MIN_VOLATILITY', requests);
      console.log(`\nPortfolio.optimize, 500 holdings over 3 years, request to answer`);
      await time(target.url, '2', 'MAX_SHARPE', largeRequests);
      await time(target.url, '2', 'MIN_VOLATILITY', largeRequests);
    } finally {
      await target.stop();
    }

    console.log(`\nthe optimizer alone on the same prices (returns, covariance, QP), no database`);
    for (const n of [100, 500]) {
      const ids = Array.from({ length: n }, (_, i) => String(i + 1));
      const window = await basePriceWindow(sql, ids, FROM, AS_OF);
      for (const kind of ['MAX_SHARPE', 'MIN_VOLATILITY'] as const) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          optimizeFromPrices(window.columns, { objective: { kind } });
          times.push(performance.now() - started);
        }
        console.log(`  ${n} assets ${kind.padEnd(14)} p50 ${quantile(times, 0.5).toFixed(0)} ms`);
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error: Error) => {
  console.error(`bench:optimize failed: ${error.message}`);
  process.exitCode = 1;
});
