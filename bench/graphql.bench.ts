/**
 * npm run bench:graphql -- [--url http://host:port/graphql] [--duration 20] [--connections 10]
 *
 * Drives three GraphQL requests with autocannon, one after the other, and prints requests/s with
 * p50 and p99 latency: the whole dashboard (all eight analytics), 50 assets with their last 5
 * trades and each trade's counterparty, and one asset with a year of prices; then the second idle
 * and while builds of asset_360 run back to back (on DATABASE_URL), with the ratio of their p99.
 *
 * Then, with DATABASE_URL and the built server (`npm run build` first), the response cache: the
 * nested query, a page of 200 trades and the dashboard against the server as in production
 * (NODE_ENV=production, auth on, an ADMIN token) with RESPONSE_CACHE=off, then =on (every request a
 * hit), and the hit path's p50 with one connection. --cache runs only this part.
 *
 * Without --url it starts the server in-process over DATABASE_URL (the cache off, as in the peer
 * benchmark), which must hold a built book:
 *   DATABASE_URL=postgres://…/asset360_bench_graph npm run seed -- --assets 10000 --days 252 --as-of 2025-06-30
 *   DATABASE_URL=postgres://…/asset360_bench_graph npm run rebuild -- --as-of 2025-06-30
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  AssetPricesDocument,
  AssetsPageDocument,
  CurrentBuildDocument,
  DashboardDocument,
  LatestTradesWithCounterpartyDocument,
  TradesPageDocument,
} from '../test/generated/graphql.js';
import { createSql } from '../src/infra/db.js';
import { buildAsset360 } from '../src/jobs/build-asset-360.js';
import { startProductionServer } from './production-server.js';
import { benchTarget } from './server.js';
import { positiveInteger } from './common.js';

interface Scenario {
  name: string;
  body: string;
}

function request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables): string {
  return JSON.stringify({ query: print(document), variables: variables ?? {} });
}

/** Sends one request and fails loudly unless it succeeds: a benchmark of errors measures nothing. */
async function once<TData>(url: string, body: string, headers: Record<string, string> = {}): Promise<TData> {
  return (await answer<TData>(url, body, headers)).data;
}

async function answer<TData>(url: string, body: string, headers: Record<string, string>): Promise<{ data: TData; cache?: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const result = (await response.json()) as { data?: TData; errors?: unknown[]; extensions?: { cache?: string } };
  if (!response.ok || result.errors || !result.data)
    throw new Error(`request failed (${response.status}): ${JSON.stringify(result).slice(0, 500)}`);
  return { data: result.data, cache: result.extensions?.cache };
}

async function scenarios(url: string): Promise<Scenario[]> {
  const build = (await once<{ asset360Build: { asOf: string } | null }>(url, request(CurrentBuildDocument))).asset360Build;
  if (!build) throw new Error('the database has no build: seed it and run `npm run rebuild` first');
  const to = build.asOf;
  const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  const assets = await once<{ assets: { edges: Array<{ node: { id: string } }> } }>(url, request(AssetsPageDocument, { first: 1 }));
  const assetId = assets.assets.edges[0]?.node.id;
  if (!assetId) throw new Error('the database has no assets');

  const list: Scenario[] = [
    { name: 'dashboard (8 analytics)', body: request(DashboardDocument) },
    { name: '50 assets × 5 trades + counterparty', body: request(LatestTradesWithCounterpartyDocument, { first: 50, trades: 5 }) },
    { name: `asset ${assetId} with 1 year of prices`, body: request(AssetPricesDocument, { id: assetId, from, to }) },
  ];
  for (const scenario of list) await once(url, scenario.body);
  return list;
}

async function drive(url: string, scenario: Scenario, duration: number, connections: number, headers: Record<string, string> = {}) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: scenario.body,
    duration,
    connections,
  });
  return {
    scenario: scenario.name,
    'requests/s': Math.round(result.requests.average * 10) / 10,
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    requests: result.requests.total,
    'errors+non-2xx': result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * The nested query idle, then while builds of asset_360 run back to back on a connection of their
 * own: readers must neither wait for a build nor fail because of one.
 */
async function whileBuilding(url: string, scenario: Scenario, duration: number, connections: number): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('reads while building: skipped (set DATABASE_URL to the database the server reads)');
    return;
  }
  const idle = await drive(url, scenario, duration, connections);
  const sql = createSql(databaseUrl, { max: 1 });
  let building = true;
  let builds = 0;
  const [{ asOf }] = await sql<
    [{ asOf: string }]
  >`select as_of::text as "asOf" from asset_360_builds where status = 'succeeded' order by build_id desc limit 1`;
  const loop = (async () => {
    while (building) {
      await buildAsset360(sql, asOf);
      builds++;
    }
  })();
  try {
    const busy = await drive(url, scenario, duration, connections);
    console.table([
      { ...idle, scenario: `${scenario.name}, idle` },
      { ...busy, scenario: `${scenario.name}, ${builds} builds back to back` },
    ]);
    console.log(`p99 while building / idle: ${(busy['p99 ms'] / idle['p99 ms']).toFixed(2)}×`);
  } finally {
    building = false;
    await loop;
    await sql.end();
  }
}

const CACHE_SCENARIOS: Scenario[] = [
  { name: '50 assets × 5 trades + counterparty', body: request(LatestTradesWithCounterpartyDocument, { first: 50, trades: 5 }) },
  { name: 'a page of 200 trades', body: request(TradesPageDocument, { first: 200 }) },
  { name: 'dashboard (8 analytics)', body: request(DashboardDocument) },
];

/** One production server per setting, one after the other, so that both see the same machine. */
async function responseCache(databaseUrl: string, duration: number, connections: number): Promise<void> {
  const rows = new Map<string, { off?: Awaited<ReturnType<typeof drive>>; on?: Awaited<ReturnType<typeof drive>> }>();
  let hitOneConnection: Awaited<ReturnType<typeof drive>> | undefined;
  for (const setting of ['off', 'on'] as const) {
    const server = await startProductionServer(databaseUrl, [], { RESPONSE_CACHE: setting });
    const headers = { authorization: server.authorization };
    try {
      for (const scenario of CACHE_SCENARIOS) {
        await once(server.url, scenario.body, headers);
        const { cache } = await answer(server.url, scenario.body, headers);
        if (setting === 'on' && cache !== 'HIT') throw new Error(`${scenario.name}: the second request was ${cache}, not a HIT`);
        const row = rows.get(scenario.name) ?? {};
        row[setting] = await drive(server.url, scenario, duration, connections, headers);
        rows.set(scenario.name, row);
      }
      if (setting === 'on') hitOneConnection = await drive(server.url, CACHE_SCENARIOS[0]!, duration, 1, headers);
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(`response cache, production server with auth on, ${duration} s per row, ${connections} connections:\n`);
  console.table(
    [...rows].map(([scenario, { off, on }]) => ({
      scenario,
      'off req/s': off!['requests/s'],
      'off p50/p99 ms': `${off!['p50 ms']} / ${off!['p99 ms']}`,
      'hits req/s': on!['requests/s'],
      'hits p50/p99 ms': `${on!['p50 ms']} / ${on!['p99 ms']}`,
      'hits / off': `${(on!['requests/s'] / off!['requests/s']).toFixed(1)}×`,
      'errors+non-2xx': off!['errors+non-2xx'] + on!['errors+non-2xx'],
    })),
  );
  console.log(
    `hit path, 1 connection (${CACHE_SCENARIOS[0]!.name}): p50 ${hitOneConnection!['p50 ms']} ms, p99 ${hitOneConnection!['p99 ms']} ms, ${hitOneConnection!['requests/s']} req/s`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' }, cache: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const duration = positiveInteger('duration', values.duration, 20);
  const connections = positiveInteger('connections', values.connections, 10);
  const databaseUrl = process.env.DATABASE_URL;
  if (values.cache) {
    if (!databaseUrl) throw new Error('--cache needs DATABASE_URL (and `npm run build`)');
    await responseCache(databaseUrl, duration, connections);
    return;
  }

  const { url, stop } = await benchTarget(values.url, 10);

  try {
    const list = await scenarios(url);
    process.stdout.write(`${url}: ${duration} s per scenario, ${connections} connections\n`);
    const rows = [];
    for (const scenario of list) rows.push(await drive(url, scenario, duration, connections));
    console.table(rows);
    await whileBuilding(url, list[1]!, duration, connections);
  } finally {
    await stop();
  }
  if (databaseUrl && !values.url) await responseCache(databaseUrl, duration, connections);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
