import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql, isolatedRateLimit } from '../support/server.js';
import { freePort, spawnProcess, spawnWorker, until, type Spawned } from '../jobs/support.js';
import { bearer, SECRET, tokenFor } from '../security/support.js';
import { scrape, valueOf } from '../observability/support.js';
import { wsClient, type WsClient } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('live-processes');
const AS_OF = '2025-06-30';

interface ServerProcess {
  process: Spawned;
  url: string;
  metrics: string;
}

const spawned: Spawned[] = [];
let servers: ServerProcess[];
let workerMetrics: string;
let client: WsClient;

function env(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    AUTH_MODE: 'on',
    JWT_SECRET: SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    REBUILD_CRON: '0 0 1 1 *',
    ...isolatedRateLimit(),
  };
}

async function startServerProcess(): Promise<ServerProcess> {
  const metricsPort = await freePort();
  const child = spawnProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    ...env(),
    PORT: String(await freePort()),
    WORKER: 'off',
    METRICS_PORT: String(metricsPort),
  });
  spawned.push(child);
  const line = await child.waitFor(/asset360 GraphQL endpoint: http:\/\/\S+/, 60_000);
  return { process: child, url: /http:\/\/\S+/.exec(line)![0], metrics: `http://127.0.0.1:${metricsPort}/metrics` };
}

beforeAll(async () => {
  await seedDemo(db.sql, { assets: 20, days: 30, portfolios: 3, seed: 19, asOf: AS_OF });
  await buildAsset360(db.sql, AS_OF);
  const workerPort = await freePort();
  const worker = spawnWorker({ ...env(), METRICS_PORT: String(workerPort) });
  spawned.push(worker);
  servers = await Promise.all([startServerProcess(), startServerProcess()]);
  await worker.waitFor(/rebuild worker ready/, 60_000);
  workerMetrics = `http://127.0.0.1:${workerPort}/metrics`;
}, 120_000);

afterAll(async () => {
  await client?.dispose();
  for (const child of spawned) if (child.child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(spawned.map((child) => child.exited));
});

describe('subscriptions across processes', () => {
  it('a client of one server hears the builds of a worker process and the trades recorded on another server', async () => {
    const [one, two] = servers as [ServerProcess, ServerProcess];
    client = wsClient(one.url, await tokenFor('VIEWER', ['1']));
    const builds = client.subscribe('subscription { asset360BuildPublished { id status rowCount } }');
    const trades = client.subscribe('subscription { tradeRecorded { id portfolio { id } } }');
    await until('both subscriptions to run on the first server', async () => {
      return valueOf(await scrape(one.metrics), 'asset360_subscriptions_active') === 2;
    });

    const requested = await graphql(two.url, `mutation { rebuildAsset360(asOf: "${AS_OF}") { id } }`, {}, await bearer('OPERATOR'));
    expect(requested.errors).toBeUndefined();
    const build = (await builds.nth(1, 60_000)).data.asset360BuildPublished;
    const [row] = await db.sql<{ build_id: string; row_count: number }[]>`
      select build_id::text, row_count from asset_360_builds where status = 'succeeded' order by build_id desc limit 1`;
    expect(build).toEqual({ id: row!.build_id, status: 'SUCCEEDED', rowCount: row!.row_count });

    const [{ assetId }] = await db.sql<[{ assetId: string }]>`
      select asset_id::text as "assetId" from asset_master where status = 'ACTIVE' order by asset_id limit 1`;
    const record = async (portfolioId: string) => {
      const response = await graphql(
        two.url,
        'mutation Record($input: TradeInput!) { recordTrade(input: $input) { id } }',
        { input: { assetId, portfolioId, type: 'BUY', date: AS_OF, quantity: '2', price: '3' } },
        await bearer('ANALYST'),
      );
      expect(response.errors).toBeUndefined();
      return response.data!.recordTrade.id as string;
    };
    await record('2');
    const mine = await record('1');
    expect((await trades.nth(1)).data.tradeRecorded).toEqual({ id: mine, portfolio: { id: '1' } });
    // The first server's metrics count both trades it received from Redis; the VIEWER got one.
    await until(
      'both trade events',
      async () => valueOf(await scrape(one.metrics), 'asset360_subscription_events_total', { event: 'trade' }) === 2,
    );
    expect(trades.results).toHaveLength(1);
  });

  it('the worker process serves its own metrics and health on its METRICS_PORT', async () => {
    const samples = await scrape(workerMetrics);
    expect(valueOf(samples, 'asset360_worker_up', { component: 'worker' })).toBe(1);
    expect(valueOf(samples, 'asset360_builds_total', { outcome: 'succeeded' })).toBe(1);
    expect(valueOf(samples, 'asset360_build_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(valueOf(samples, 'asset360_queue_jobs', { queue: 'asset360-rebuild', state: 'failed' })).toBe(0);
    expect(valueOf(samples, 'asset360_seconds_since_last_successful_build')).toBeLessThan(120);
    const health = await fetch(workerMetrics.replace('/metrics', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
