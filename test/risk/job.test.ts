import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { memoryLogger, startRebuildServer, until, type RebuildServer } from '../jobs/support.js';
import { AS_OF, seedBook } from '../graph/book.js';
import { AUTH_ON, bearer } from '../security/support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('risk-job');
const names = { queueName: 'asset360-rebuild', queuePrefix: prefix };

let server: RebuildServer;
let workerSql: Sql;
let workerRedis: Redis;
let worker: RebuildWorker;
let operator: Record<string, string>;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 12, days: 90, portfolios: 2, seed: 3 });
  await db.sql`delete from risk_metrics`;
  server = await startRebuildServer(db.sql, { ...AUTH_ON, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, RISK_CRON: '0 21 * * 1-5' });
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  workerRedis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
  worker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names,
    schedule: { pattern: '0 3 * * *', tz: 'UTC' },
    riskSchedule: { pattern: '0 21 * * 1-5', tz: 'UTC' },
    shutdownTimeoutMs: 5_000,
    log: memoryLogger().log,
  });
  operator = await bearer('OPERATOR');
});

afterAll(async () => {
  await worker?.close();
  workerRedis?.disconnect();
  await workerSql?.end();
  await server?.close();
});

const SCHEDULE = '{ riskSchedule { pattern tz nextRun paused setBy } }';

describe('the risk job', () => {
  it('has its own schedule, installed by the worker and set by operators', async () => {
    await until(
      'the worker installs the risk schedule',
      async () => (await graphql(server.url, SCHEDULE, {}, operator)).data?.riskSchedule?.setBy === 'CONFIG',
    );
    const installed = await graphql(server.url, SCHEDULE, {}, operator);
    expect(installed.data!.riskSchedule).toMatchObject({ pattern: '0 21 * * 1-5', tz: 'UTC', paused: false, setBy: 'CONFIG' });

    const refused = await graphql(server.url, 'mutation { setRiskSchedule(pattern: "61 * * * *") { pattern } }', {}, operator);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'pattern' });
    const set = await graphql(
      server.url,
      'mutation { setRiskSchedule(pattern: "30 22 * * MON-FRI", tz: "Europe/Oslo") { pattern tz setBy } }',
      {},
      operator,
    );
    expect(set.data!.setRiskSchedule).toEqual({ pattern: '30 22 * * MON-FRI', tz: 'Europe/Oslo', setBy: 'OPERATOR' });
    // The rebuild schedule is another one, untouched.
    const rebuild = await graphql(server.url, '{ rebuildSchedule { pattern } }', {}, operator);
    expect(rebuild.data!.rebuildSchedule.pattern).toBe('0 3 * * *');

    const viewer = await graphql(server.url, SCHEDULE, {}, await bearer('VIEWER', ['1']));
    expect(viewer.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('runs the engine when an operator asks', async () => {
    const run = await graphql(server.url, `mutation { runRiskEngine(asOf: "${AS_OF}") { id state asOf } }`, {}, operator);
    expect(run.errors).toBeUndefined();
    expect(run.data!.runRiskEngine.asOf).toBe(AS_OF);
    await until('the risk job writes risk_metrics', async () => {
      const [{ n }] = await db.sql<[{ n: number }]>`select count(*)::int as n from risk_metrics where calculation_date = ${AS_OF}`;
      return n > 0;
    });
  });
});
