import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { createSql, type Sql } from '../../src/infra/db.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { memoryLogger, startRebuildServer, until, type RebuildServer } from '../jobs/support.js';
import { AUTH_ON, bearer, signedToken, tokenFor } from '../security/support.js';
import { parseMetrics, valueOf } from '../observability/support.js';
import { wsClient, type WsClient } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('live');
const AS_OF = '2025-06-30';
const ENV = { ...AUTH_ON, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, REBUILD_CRON: '0 0 1 1 *', METRICS_PORT: '0' };

let a: RebuildServer;
let b: RebuildServer;
let worker: RebuildWorker;
let workerSql: Sql;
let assetId: string;
const clients: WsClient[] = [];
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  await seedDemo(db.sql, { assets: 20, days: 30, portfolios: 3, seed: 19, asOf: AS_OF });
  await buildAsset360(db.sql, AS_OF);
  [{ assetId }] = await db.sql<[{ assetId: string }]>`
    select asset_id::text as "assetId" from asset_master where status = 'ACTIVE' order by asset_id limit 1`;
  // Two servers with their own Redis connections and subscribers: what one hears, the other sent.
  a = await startRebuildServer(db.sql, ENV);
  b = await startRebuildServer(db.sql, ENV);
  const { log } = memoryLogger('warn');
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  const workerRedis = createWorkerRedis(TEST_REDIS_URL, log, false);
  worker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names: a.config.rebuild,
    schedule: { pattern: '0 0 1 1 *', tz: 'UTC' },
    shutdownTimeoutMs: 5_000,
    log,
  });
  closers.push(
    () => a.close(),
    () => b.close(),
    () => worker.close(),
    () => workerRedis.disconnect(),
    () => workerSql.end(),
  );
});

afterAll(async () => {
  for (const client of clients) await client.dispose().catch(() => {});
  for (const close of closers) await close();
});

function connect(server: RebuildServer, token?: string): WsClient {
  const client = wsClient(server.url, token);
  clients.push(client);
  return client;
}

async function recordTrade(server: RebuildServer, portfolioId: string, externalId: string): Promise<string> {
  const response = await graphql(
    server.url,
    `
      mutation Record($input: TradeInput!) {
        recordTrade(input: $input) {
          id
        }
      }
    `,
    { input: { assetId, portfolioId, type: 'BUY', date: AS_OF, quantity: '1', price: '10.5', externalId } },
    await bearer('ANALYST'),
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.recordTrade.id as string;
}

const TRADES = `subscription Trades($portfolioId: ID) {
  tradeRecorded(portfolioId: $portfolioId) { id quantity price portfolio { id } asset { id } }
}`;

describe('authentication of a subscription connection', () => {
  it('closes a connection without a token, or with a bad one, with 4401 before any event', async () => {
    for (const token of [undefined, 'not-a-jwt', await signedToken({ role: 'ADMIN' }, '10m', 'another-secret-of-at-least-32-bytes!!')]) {
      const client = connect(a, token);
      const subscription = client.subscribe('subscription { asset360BuildPublished { id } }');
      const { error } = await subscription.ended;
      expect((error as { code: number }).code).toBe(4401);
      expect(subscription.results).toEqual([]);
    }
  });

  it('closes the connection when its token expires', async () => {
    const shortLived = await signedToken({ role: 'ANALYST', sub: 'short' }, Math.floor(Date.now() / 1000) + 2);
    const client = connect(a, shortLived);
    const subscription = client.subscribe('subscription { asset360BuildPublished { id } }');
    const { error } = await subscription.ended;
    expect((error as { code: number; reason: string }).code).toBe(4401);
    expect((error as { reason: string }).reason).toBe('the token has expired');
  });
});

describe('a token valid for longer than a timer can wait', () => {
  it('keeps its connection open (setTimeout fires at once past 24.8 days)', async () => {
    const longLived = await signedToken({ role: 'ANALYST', sub: 'long' }, '40d');
    const running = async () =>
      valueOf(parseMetrics(await (await fetch(`http://127.0.0.1:${a.metricsPort}/metrics`)).text()), 'asset360_subscription_connections')!;
    const before = await running();
    const client = connect(a, longLived);
    client.subscribe('subscription { asset360BuildPublished { id } }');
    await until('the connection', async () => (await running()) === before + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.closes).toEqual([]);
    expect(await running()).toBe(before + 1);
  });
});

describe('the rate limit and AUTH_MODE', () => {
  it('counts a connection as a request: one over the limit closes with 4429', async () => {
    const limited = await startRebuildServer(db.sql, { ...ENV, RATE_LIMIT_REQUESTS: '1' });
    closers.push(() => limited.close());
    // Until its Redis client is ready, the limiter counts in memory, where a later connection would not see it.
    await until('Redis to be ready', async () => (await fetch(new URL('/readyz', limited.url))).status === 200);
    const token = await tokenFor('ANALYST');
    const first = connect(limited, token);
    first.subscribe('subscription { asset360BuildPublished { id } }');
    const scrapeLimited = async () => parseMetrics(await (await fetch(`http://127.0.0.1:${limited.metricsPort}/metrics`)).text());
    await until('the first connection', async () => valueOf(await scrapeLimited(), 'asset360_subscriptions_active') === 1);
    const second = connect(limited, token);
    const refused = second.subscribe('subscription { asset360BuildPublished { id } }');
    expect(((await refused.ended).error as { code: number }).code).toBe(4429);
    const samples = await scrapeLimited();
    expect(valueOf(samples, 'asset360_rate_limit_refusals_total', { transport: 'websocket' })).toBe(1);
    expect(valueOf(samples, 'asset360_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
  });

  it('with AUTH_MODE=off, takes a connection without a token as ADMIN', async () => {
    const open = await startRebuildServer(db.sql, { ...ENV, AUTH_MODE: 'off' });
    closers.push(() => open.close());
    const client = connect(open);
    const job = client.subscribe('subscription { rebuildJobUpdated(id: "no-such-job") { id } }');
    await until('the subscription to run', async () => {
      const samples = parseMetrics(await (await fetch(`http://127.0.0.1:${open.metricsPort}/metrics`)).text());
      return valueOf(samples, 'asset360_subscriptions_active') === 1;
    });
    expect(job.results).toEqual([]);
    expect(client.closes).toEqual([]);
  });
});

describe('tradeRecorded', () => {
  it('reaches subscribers on another server, and a VIEWER only for its portfolios', async () => {
    const viewer = connect(a, await tokenFor('VIEWER', ['1']));
    const analyst = connect(a, await tokenFor('ANALYST'));
    const viewerTrades = viewer.subscribe(TRADES);
    const portfolioTwo = analyst.subscribe(TRADES, { portfolioId: '2' });
    const everything = analyst.subscribe(TRADES);
    // The subscriptions are running once an event sent after them arrives: probe until one does.
    let probes = 0;
    while (everything.results.length === 0) {
      await recordTrade(b, '3', `probe-${++probes}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await everything.nth(probes);
    const seen = everything.results.length;

    const two = await recordTrade(b, '2', 'live-two');
    const one = await recordTrade(b, '1', 'live-one');
    expect((await everything.nth(seen + 2)).data).toBeDefined();
    expect(everything.results.slice(seen).map((result) => result.data.tradeRecorded.id)).toEqual([two, one]);
    expect((await viewerTrades.nth(1)).data.tradeRecorded).toEqual({
      id: one,
      quantity: '1',
      price: '10.5',
      portfolio: { id: '1' },
      asset: { id: assetId },
    });
    expect((await portfolioTwo.nth(1)).data.tradeRecorded.id).toBe(two);
    // Nothing of portfolios 2 or 3 reached the VIEWER, nothing of 1 or 3 the follower of 2.
    expect(viewerTrades.results.map((result) => result.data.tradeRecorded.portfolio.id)).toEqual(['1']);
    expect(portfolioTwo.results.map((result) => result.data.tradeRecorded.portfolio.id)).toEqual(['2']);
  });

  it('refuses a VIEWER that names a portfolio its token does not list', async () => {
    const viewer = connect(a, await tokenFor('VIEWER', ['1']));
    const subscription = viewer.subscribe(TRADES, { portfolioId: '2' });
    const first = await subscription.nth(1);
    expect(first.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    await subscription.ended;
  });
});

describe('asset360BuildPublished and rebuildJobUpdated', () => {
  it('tell an operator how its build goes, and everyone when it lands', async () => {
    const operator = connect(a, await tokenFor('OPERATOR'));
    const viewer = connect(a, await tokenFor('VIEWER', ['1']));
    const running = async () =>
      valueOf(parseMetrics(await (await fetch(`http://127.0.0.1:${a.metricsPort}/metrics`)).text()), 'asset360_subscriptions_active')!;
    const before = await running();
    const builds = viewer.subscribe('subscription Builds { asset360BuildPublished { id status asOf rowCount } }');
    // The build must land after the server has subscribed to the events: its metrics say when.
    await until('the subscription to run', async () => (await running()) === before + 1);
    const requested = await graphql(b.url, `mutation { rebuildAsset360(asOf: "${AS_OF}") { id } }`, {}, await bearer('OPERATOR'));
    const jobId = requested.data!.rebuildAsset360.id as string;
    const job = operator.subscribe('subscription Job($id: ID!) { rebuildJobUpdated(id: $id) { id state result { buildId rows } } }', {
      id: jobId,
    });
    await job.ended;
    const states = job.results.map((result) => result.data.rebuildJobUpdated.state);
    expect(states.at(-1)).toBe('COMPLETED');
    const { buildId, rows } = job.results.at(-1)!.data.rebuildJobUpdated.result;
    const published = (await builds.nth(1)).data.asset360BuildPublished;
    expect(published).toEqual({ id: buildId, status: 'SUCCEEDED', asOf: AS_OF, rowCount: rows });
  });

  it('refuses rebuildJobUpdated below OPERATOR', async () => {
    const analyst = connect(a, await tokenFor('ANALYST'));
    const subscription = analyst.subscribe('subscription { rebuildJobUpdated(id: "1") { id } }');
    expect((await subscription.nth(1)).errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('limits on the WebSocket', () => {
  it('apply depth and cost limits to the subscription document, and refuse queries', async () => {
    const client = connect(a, await tokenFor('ADMIN'));
    const deep = client.subscribe(
      'subscription { tradeRecorded { portfolio { trades(first: 500) { edges { node { asset { trades(first: 500) { totalCount } } } } } } } }',
    );
    // Refused before it runs: an error message, not a result.
    const { error: refusal } = await deep.ended;
    expect((refusal as Array<{ extensions: { code: string } }>).map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(deep.results).toEqual([]);
    const query = client.subscribe('{ asset(id: "1") { id } }');
    const { error } = await query.ended;
    expect(JSON.stringify(error)).toMatch(/only subscriptions go over the WebSocket/);
  });

  it('cap the subscriptions of a connection and the connections of a server', async () => {
    const limited = await startRebuildServer(db.sql, { ...ENV, SUBSCRIPTIONS_MAX_CONNECTIONS: '1', SUBSCRIPTIONS_PER_CONNECTION: '1' });
    closers.push(() => limited.close());
    const first = connect(limited, await tokenFor('ADMIN'));
    first.subscribe('subscription { asset360BuildPublished { id } }');
    const second = first.subscribe('subscription { asset360BuildPublished { id } }');
    expect(JSON.stringify((await second.ended).error)).toMatch(/at most 1 subscriptions per connection/);
    // The first one runs once the server has subscribed it to its events, shortly after it refused the second.
    const metrics = await until('the first subscription to run', async () => {
      const samples = parseMetrics(await (await fetch(`http://127.0.0.1:${limited.metricsPort}/metrics`)).text());
      return valueOf(samples, 'asset360_subscriptions_active') === 1 && samples;
    });
    expect(valueOf(metrics, 'asset360_subscription_connections')).toBe(1);
    const other = connect(limited, await tokenFor('ADMIN'));
    const refused = other.subscribe('subscription { asset360BuildPublished { id } }');
    await refused.ended;
    expect(other.closes.length).toBeGreaterThan(0);
    expect(refused.results).toEqual([]);
  });
});
