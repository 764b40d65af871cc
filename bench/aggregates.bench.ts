/**
 * npm run bench:aggregates -- [--requests 200]
 *
 * Latency of assetAggregates and tradeAggregates, one request at a time through HTTP (the server
 * in-process), on two books kept in their own databases (seeded and built once, then reused):
 *   - asset360_bench_aggregates_10000: 10,000 assets (60 days of history), for 3-dimension rollups
 *     of the build with every measure;
 *   - asset360_bench_aggregates_demo: the demo book of `npm start` (500 assets, 504 business days,
 *     8 portfolios, seed 360), for trades by month × portfolio over the last year.
 * Prints p50, p90 and p99 in ms of each scenario after 20 requests of warm-up, and the p50 of its SQL
 * statement alone (the same builder, straight to PostgreSQL), which tells the database's share.
 * The PostgreSQL server is TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { seedDemo } from '../src/demo/seed.js';
import { ASSET_MEASURES, assetGroupsQuery, tradeGroupsQuery, type AssetMeasure } from '../src/graph/aggregates/aggregates.sql.js';
import { AssetDimension, AssetGroupOrderField, TradeDimension, TradeGroupOrderField } from '../src/graph/aggregates/aggregates.type.js';
import type { Viewer } from '../src/auth/viewer.js';
import { OrderDirection } from '../src/graph/common/enums.js';
import { createSql, type Sql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';
import { buildAsset360 } from '../src/jobs/build-asset-360.js';
import { AssetAggregatesDocument, TradeAggregatesDocument } from '../test/generated/graphql.js';
import { benchTarget } from './server.js';
import { ensureDatabase, quantileOfSorted } from './common.js';

const AS_OF = '2025-06-30';
const YEAR_FROM = '2024-07-01';

interface Book {
  database: string;
  assets: number;
  days: number;
  portfolios: number;
  seed: number;
}

const BOOKS = {
  large: { database: 'asset360_bench_aggregates_10000', assets: 10_000, days: 60, portfolios: 10, seed: 1 },
  demo: { database: 'asset360_bench_aggregates_demo', assets: 500, days: 504, portfolios: 8, seed: 360 },
} satisfies Record<string, Book>;

interface Scenario {
  name: string;
  book: Book;
  body: string;
  /** The scenario's SQL statement alone, built by the same code, to tell the database's share from the graph's. */
  statement: (sql: Sql) => Promise<unknown>;
  target?: number;
}

const ALL_MEASURES = new Set(Object.keys(ASSET_MEASURES) as AssetMeasure[]);
const ADMIN: Viewer = { role: 'ADMIN', subject: 'bench', portfolios: undefined };
const LAST_YEAR = { assetId: null, portfolioId: null, counterpartyId: null, type: null, dateFrom: YEAR_FROM, dateTo: AS_OF };
const byMarketValue = [{ field: AssetGroupOrderField.MARKET_VALUE, direction: OrderDirection.DESC }];
const byKeys = [{ field: TradeGroupOrderField.KEYS, direction: OrderDirection.ASC }];

function request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): string {
  return JSON.stringify({ query: print(document), variables });
}

const SCENARIOS: Scenario[] = [
  {
    name: 'assets: rollup type × sector × risk, every measure',
    book: BOOKS.large,
    body: request(AssetAggregatesDocument, { groupBy: ['ASSET_TYPE', 'SECTOR', 'RISK_CATEGORY'], rollup: true, first: 1000 }),
    statement: (sql) =>
      assetGroupsQuery(sql, [AssetDimension.ASSET_TYPE, AssetDimension.SECTOR, AssetDimension.RISK_CATEGORY], null, ALL_MEASURES, {
        rollup: true,
        orderBy: byMarketValue,
        first: 1000,
      }),
    target: 20,
  },
  {
    name: 'assets: rollup country × currency × size, every measure',
    book: BOOKS.large,
    body: request(AssetAggregatesDocument, { groupBy: ['COUNTRY', 'CURRENCY', 'POSITION_SIZE'], rollup: true, first: 1000 }),
    statement: (sql) =>
      assetGroupsQuery(sql, [AssetDimension.COUNTRY, AssetDimension.CURRENCY, AssetDimension.POSITION_SIZE], null, ALL_MEASURES, {
        rollup: true,
        orderBy: byMarketValue,
        first: 1000,
      }),
  },
  {
    name: 'trades: month × portfolio, last year',
    book: BOOKS.demo,
    body: request(TradeAggregatesDocument, { groupBy: ['MONTH', 'PORTFOLIO'], filter: { dateFrom: YEAR_FROM, dateTo: AS_OF } }),
    statement: (sql) =>
      tradeGroupsQuery(sql, [TradeDimension.MONTH, TradeDimension.PORTFOLIO], LAST_YEAR, ADMIN, {
        rollup: false,
        orderBy: byKeys,
        first: 100,
      }),
    target: 50,
  },
  {
    name: 'trades: rollup month × portfolio × type, last year',
    book: BOOKS.demo,
    body: request(TradeAggregatesDocument, {
      groupBy: ['MONTH', 'PORTFOLIO', 'TYPE'],
      rollup: true,
      filter: { dateFrom: YEAR_FROM, dateTo: AS_OF },
      first: 1000,
    }),
    statement: (sql) =>
      tradeGroupsQuery(sql, [TradeDimension.MONTH, TradeDimension.PORTFOLIO, TradeDimension.TYPE], LAST_YEAR, ADMIN, {
        rollup: true,
        orderBy: byKeys,
        first: 1000,
      }),
  },
  {
    name: 'trades: week × sector, last year',
    book: BOOKS.demo,
    body: request(TradeAggregatesDocument, { groupBy: ['WEEK', 'SECTOR'], filter: { dateFrom: YEAR_FROM, dateTo: AS_OF }, first: 1000 }),
    statement: (sql) =>
      tradeGroupsQuery(sql, [TradeDimension.WEEK, TradeDimension.SECTOR], LAST_YEAR, ADMIN, {
        rollup: false,
        orderBy: byKeys,
        first: 1000,
      }),
  },
];

/** The book's database, migrated, and seeded and built on its first use. */
async function prepare(serverUrl: string, book: Book): Promise<string> {
  const url = await ensureDatabase(serverUrl, book.database);
  const sql = createSql(url, { max: 2 });
  try {
    await migrate(sql);
    const [built] = await sql`select 1 from asset_360_builds where status = 'succeeded' limit 1`;
    if (!built) {
      console.log(`seeding ${book.database} (${book.assets} assets × ${book.days} days as of ${AS_OF}), once`);
      await seedDemo(sql, { assets: book.assets, days: book.days, portfolios: book.portfolios, seed: book.seed, asOf: AS_OF });
      await buildAsset360(sql, AS_OF);
    }
    await sql`vacuum analyze`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  return url;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function send(url: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const result = (await response.json()) as { data?: unknown; errors?: unknown[] };
  const elapsed = performance.now() - started;
  if (!response.ok || result.errors || !result.data)
    throw new Error(`request failed (${response.status}): ${JSON.stringify(result).slice(0, 400)}`);
  return elapsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string' } }, strict: true, allowPositionals: false });
  const requests = Number(values.requests ?? 200);
  if (!Number.isInteger(requests) || requests < 1)
    throw new Error(`--requests must be a positive integer (got ${JSON.stringify(values.requests)})`);
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  const rows = [];
  for (const book of Object.values(BOOKS)) {
    const databaseUrlOfBook = await prepare(serverUrl, book);
    process.env.DATABASE_URL = databaseUrlOfBook;
    const { url, stop } = await benchTarget(undefined, 4);
    const sql = createSql(databaseUrlOfBook, { max: 1 });
    try {
      for (const scenario of SCENARIOS.filter((entry) => entry.book === book)) {
        for (let warmup = 0; warmup < 20; warmup++) await send(url, scenario.body);
        const times: number[] = [];
        for (let index = 0; index < requests; index++) times.push(await send(url, scenario.body));
        times.sort((a, b) => a - b);
        const p50 = Number(quantileOfSorted(times, 0.5).toFixed(1));
        for (let warmup = 0; warmup < 20; warmup++) await scenario.statement(sql);
        const statementTimes: number[] = [];
        for (let index = 0; index < requests; index++) statementTimes.push(await timed(() => scenario.statement(sql)));
        statementTimes.sort((a, b) => a - b);
        rows.push({
          scenario: scenario.name,
          book: `${book.assets} assets × ${book.days} days`,
          requests,
          'p50 ms': p50,
          'p90 ms': Number(quantileOfSorted(times, 0.9).toFixed(1)),
          'p99 ms': Number(quantileOfSorted(times, 0.99).toFixed(1)),
          'SQL alone p50 ms': Number(quantileOfSorted(statementTimes, 0.5).toFixed(1)),
          target: scenario.target === undefined ? '' : `p50 ≤ ${scenario.target} ms: ${p50 <= scenario.target ? 'met' : 'MISSED'}`,
        });
      }
    } finally {
      await sql.end({ timeout: 5 });
      await stop();
    }
  }
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
