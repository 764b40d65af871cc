import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { operationNames } from '../../src/http/metrics.js';
import { createSql, type Sql } from '../../src/infra/db.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createRedis, createWorkerRedis } from '../../src/infra/redis.js';
import { countStatement } from '../../src/infra/statements.js';
import { RebuildControl } from '../../src/jobs/rebuild.control.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql, isolatedRateLimit, startTestServer } from '../support/server.js';
import { memoryLogger, until } from '../jobs/support.js';
import { parseMetrics, scrape, valueOf, type Sample } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('metrics');
const TOKEN = 'metrics-token-of-the-tests';

let sql: Sql;
let workerSql: Sql;
let server: RunningServer;
let worker: RebuildWorker;
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  await seedDemo(db.sql, { assets: 30, days: 40, portfolios: 3, seed: 19, asOf: '2025-06-30' });
  const { log } = memoryLogger('warn');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    AUTH_MODE: 'off',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    METRICS_TOKEN: TOKEN,
    METRICS_PORT: '0',
    ...isolatedRateLimit(),
  });
  // As main.ts composes it: a pool that counts each request's statements, a worker in the process.
  sql = createSql(db.url, { max: 4, debug: countStatement });
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  const metrics = createMetrics('server');
  const redis = createRedis(config.redisUrl, log);
  const schedule = { pattern: '0 0 1 1 *', tz: 'UTC' };
  const rebuilds = new RebuildControl(redis, config.rebuild, schedule, log);
  server = await startServer({ config, sql, redis, log, rebuilds, metrics });
  const workerRedis = createWorkerRedis(config.redisUrl, log, false);
  worker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names: config.rebuild,
    schedule,
    shutdownTimeoutMs: 5_000,
    log,
    metrics,
    rebalances: true,
  });
  metrics.readers.workerUp = () => worker.up();
  closers.push(
    () => server.stop(),
    () => worker.close(),
    () => rebuilds.close(),
    () => redis.disconnect(),
    () => workerRedis.disconnect(),
    () => sql.end(),
    () => workerSql.end(),
  );
});

afterAll(async () => {
  for (const close of closers) await close();
});

const metricsUrl = () => new URL('/metrics', server.url).href;
const local = () => `http://127.0.0.1:${server.metricsPort}/metrics`;

describe('GET /metrics on the main port', () => {
  it('needs the METRICS_TOKEN as a Bearer token', async () => {
    expect((await fetch(metricsUrl())).status).toBe(401);
    const wrong = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${TOKEN.replace(/.$/, 'X')}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    const right = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is not there at all without a METRICS_TOKEN', async () => {
    const bare = await startTestServer(db.sql);
    try {
      expect((await fetch(new URL('/metrics', bare.url))).status).toBe(404);
      expect((await fetch(new URL('/metrics', bare.url), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      expect(bare.metricsPort).toBeUndefined();
    } finally {
      await bare.close();
    }
  });

  it('refuses a METRICS_TOKEN shorter than 16 bytes at start', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be a token of at least 16 bytes/);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT must be an integer from 0 to 65535/);
  });
});

describe('METRICS_PORT', () => {
  it('serves the same metrics without a token, on the loopback address only', async () => {
    const samples = await scrape(local());
    expect(valueOf(samples, 'asset360_pg_pool_max', { component: 'server' })).toBe(4);
    // 127.0.0.2 is this host too, but not the address the port is bound to; the main port listens on every address.
    await expect(fetch(`http://127.0.0.2:${server.metricsPort}/metrics`)).rejects.toThrow();
    expect((await fetch(`http://127.0.0.2:${server.port}/healthz`)).status).toBe(200);
  });
});

describe('the series', () => {
  const count = (samples: Sample[], name: string, labels: Record<string, string>) => valueOf(samples, name, labels) ?? 0;

  it("times each operation by name and outcome, counts errors by code and each request's SQL", async () => {
    const before = await scrape(local());
    const probe = `query MetricsProbe { asset(id: "1") { id name trades(first: 2) { totalCount } } }`;
    for (let i = 0; i < 3; i++) expect((await graphql(server.url, probe)).errors).toBeUndefined();
    const bad = await graphql(
      server.url,
      `
        query MetricsBad {
          asset(id: "nope") {
            id
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await graphql(
      server.url,
      `
        {
          asset(id: "2") {
            id
          }
        }
      `,
    );
    await graphql(
      server.url,
      `
        query Broken {
          asset(id: "1") {
            noSuchField
          }
        }
      `,
    );
    const after = await scrape(local());

    const duration = 'asset360_graphql_operation_duration_seconds_count';
    const ok = { operation_name: 'MetricsProbe', operation_type: 'query', outcome: 'ok' };
    expect(count(after, duration, ok) - count(before, duration, ok)).toBe(3);
    expect(count(after, duration, { operation_name: 'MetricsBad', outcome: 'error' })).toBe(1);
    expect(
      count(after, duration, { operation_name: 'anonymous', outcome: 'ok' }) -
        count(before, duration, { operation_name: 'anonymous', outcome: 'ok' }),
    ).toBe(1);
    // A document that fails validation has no operation to name.
    expect(count(after, duration, { operation_name: 'unknown', outcome: 'error' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'asset360_graphql_operation_duration_seconds_sum', ok)).toBeGreaterThan(0);
    const errors = (samples: Sample[], code: string) => count(samples, 'asset360_graphql_errors_total', { code });
    expect(errors(after, 'BAD_USER_INPUT') - errors(before, 'BAD_USER_INPUT')).toBe(1);
    expect(errors(after, 'GRAPHQL_VALIDATION_FAILED') - errors(before, 'GRAPHQL_VALIDATION_FAILED')).toBe(1);

    // Each MetricsProbe reads the asset, then counts its trades: at least two statements each.
    const statements = (samples: Sample[]) => count(samples, 'asset360_sql_statements_total', {});
    expect(statements(after) - statements(before)).toBeGreaterThanOrEqual(6);
  });

  it('counts HTTP requests by route and status with their sizes', async () => {
    const before = await scrape(local());
    const body = JSON.stringify({ query: '{ asset(id: "1") { id } }' });
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect((await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(400);
    await fetch(new URL('/no/such/path', server.url));
    const after = await scrape(local());
    const requests = (samples: Sample[], labels: Record<string, string>) => count(samples, 'asset360_http_requests_total', labels);
    expect(
      requests(after, { route: '/graphql', method: 'POST', status: '200' }) -
        requests(before, { route: '/graphql', method: 'POST', status: '200' }),
    ).toBe(1);
    expect(
      requests(after, { route: '/graphql', method: 'POST', status: '400' }) -
        requests(before, { route: '/graphql', method: 'POST', status: '400' }),
    ).toBe(1);
    expect(
      requests(after, { route: 'other', method: 'GET', status: '404' }) -
        requests(before, { route: 'other', method: 'GET', status: '404' }),
    ).toBe(1);
    const sum = (samples: Sample[], name: string) => count(samples, name, { route: '/graphql' });
    expect(sum(after, 'asset360_http_request_size_bytes_sum') - sum(before, 'asset360_http_request_size_bytes_sum')).toBe(body.length + 1);
    expect(sum(after, 'asset360_http_response_size_bytes_sum') - sum(before, 'asset360_http_response_size_bytes_sum')).toBeGreaterThan(20);
  });

  it('counts the requests the rate limit refuses', async () => {
    const limited = await startTestServer(db.sql, { METRICS_PORT: '0', RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_PREFIX: `${prefix}:rate` });
    try {
      // Until its Redis client is ready, the limiter counts in memory, where a later request would not see it.
      await until('Redis to be ready', async () => (await fetch(new URL('/readyz', limited.url))).status === 200);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await graphql(limited.url, '{ asset(id: "1") { id } }')).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
      const samples = await scrape(`http://127.0.0.1:${limited.metricsPort}/metrics`);
      expect(valueOf(samples, 'asset360_rate_limit_refusals_total', { transport: 'http' })).toBe(2);
      expect(valueOf(samples, 'asset360_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(2);
      expect(valueOf(samples, 'asset360_http_requests_total', { route: '/graphql', status: '429' })).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('times the builds, counts their rows and outcomes, and the queues and workers', async () => {
    const before = await scrape(local());
    expect(valueOf(before, 'asset360_seconds_since_last_successful_build')).toBe(Number.POSITIVE_INFINITY);
    const requested = await graphql(server.url, 'mutation { rebuildAsset360(asOf: "2025-06-30") { id } }');
    const id = requested.data!.rebuildAsset360.id as string;
    await until('the build', async () => {
      const job = await graphql(server.url, `{ rebuildJob(id: "${id}") { state } }`);
      return job.data?.rebuildJob?.state === 'COMPLETED';
    });
    const after = await scrape(local());
    expect(valueOf(after, 'asset360_builds_total', { outcome: 'succeeded' })).toBe(1);
    expect(valueOf(after, 'asset360_build_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(valueOf(after, 'asset360_build_duration_seconds_sum', { outcome: 'succeeded' })).toBeGreaterThan(0);
    const [{ assets }] = await db.sql<[{ assets: number }]>`select count(*)::int as assets from asset_master`;
    expect(valueOf(after, 'asset360_build_rows')).toBe(assets);
    const since = valueOf(after, 'asset360_seconds_since_last_successful_build')!;
    expect(since).toBeGreaterThanOrEqual(0);
    expect(since).toBeLessThan(120);
    for (const queue of ['asset360-rebuild', 'asset360-rebuild-risk', 'asset360-rebuild-rebalance']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(valueOf(after, 'asset360_queue_jobs', { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
      }
    }
    expect(valueOf(after, 'asset360_queue_workers', { queue: 'asset360-rebuild' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'asset360_queue_workers', { queue: 'asset360-rebuild-rebalance' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'asset360_worker_up')).toBe(1);
  });

  it("reads the pool's sessions from PostgreSQL, and Node's default metrics", async () => {
    const samples = await scrape(local());
    expect(valueOf(samples, 'asset360_pg_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'asset360_pg_pool_lock_waits')).toBe(0);
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.labels.component === 'server')).toBe(true);
  });
});

describe('operation names as labels', () => {
  it('are a bounded set: unnamed ones are "anonymous", unresolved ones "unknown", names past the limit "other"', () => {
    const label = operationNames(2);
    expect([label('A', true), label('B', true), label('C', true), label('A', true)]).toEqual(['A', 'B', 'other', 'A']);
    expect(label(undefined, true)).toBe('anonymous');
    expect(label('A', false)).toBe('unknown');
  });

  it('the registry text parses', () => {
    expect(parseMetrics('# HELP x y\nx{a="b"} 1\ny 2\n')).toEqual([
      { name: 'x', labels: { a: 'b' }, value: 1 },
      { name: 'y', labels: {}, value: 2 },
    ]);
  });
});
