/**
 * npm run bench:graphql -- [--url http://host:port/graphql] [--duration 20] [--connections 10]
 *
 * Drives three GraphQL requests with autocannon, one after the other, and prints requests/s with
 * p50 and p99 latency: the whole dashboard (all eight analytics), 50 assets with their last 5
 * trades and each trade's counterparty, and one asset with a year of prices; then the second idle
 * and while builds of asset_360 run back to back (on DATABASE_URL), with the ratio of their p99.
 *
 * Without --url it starts the server in-process over DATABASE_URL, which must hold a built book:
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
} from '../test/generated/graphql.js';
import { createSql } from '../src/infra/db.js';
import { buildAsset360 } from '../src/jobs/build-asset-360.js';
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
async function once<TData>(url: string, body: string): Promise<TData> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const result = (await response.json()) as { data?: TData; errors?: unknown[] };
  if (!response.ok || result.errors || !result.data)
    throw new Error(`request failed (${response.status}): ${JSON.stringify(result).slice(0, 500)}`);
  return result.data;
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

async function drive(url: string, scenario: Scenario, duration: number, connections: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const duration = positiveInteger('duration', values.duration, 20);
  const connections = positiveInteger('connections', values.connections, 10);

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
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
