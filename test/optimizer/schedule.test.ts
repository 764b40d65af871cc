import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { rebalanceQueueName, type RebalanceJobData, type RebalanceJobResult } from '../../src/jobs/rebalance.queue.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { entriesAfter, headSeq } from '../audit/support.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { memoryLogger, startRebuildServer, until, type RebuildServer } from '../jobs/support.js';
import { AUTH_ON, bearer, expectClientError } from '../security/support.js';
import { seedPyPortfolioOptBook } from './book.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('rebalance-job');
const names = { queueName: 'asset360-rebuild', queuePrefix: prefix };

let server: RebuildServer;
let workerSql: Sql;
let workerRedis: Redis;
let worker: RebuildWorker;
let operator: Record<string, string>;
let portfolioId: string;
let queue: Queue<RebalanceJobData, RebalanceJobResult>;

beforeAll(async () => {
  ({ portfolioId } = await seedPyPortfolioOptBook(db.sql));
  server = await startRebuildServer(db.sql, { ...AUTH_ON, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix });
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  workerRedis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
  worker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names,
    schedule: { pattern: '0 3 * * *', tz: 'UTC' },
    shutdownTimeoutMs: 5_000,
    log: memoryLogger().log,
    rebalances: true,
  });
  queue = new Queue(rebalanceQueueName(names), { connection: server.redis, prefix });
  operator = await bearer('OPERATOR');
});

afterAll(async () => {
  await queue?.close();
  await worker?.close();
  workerRedis?.disconnect();
  await workerSql?.end();
  await server?.close();
});

const FIELDS = 'portfolioId pattern tz nextRun paused lookbackDays settings';
const READ = `query($id: ID!) { rebalanceSchedule(portfolioId: $id) { ${FIELDS} } }`;
const SET = `mutation($id: ID!, $pattern: String!, $settings: OptimizationSettingsInput!, $lookbackDays: Int) {
  setRebalanceSchedule(portfolioId: $id, pattern: $pattern, settings: $settings, lookbackDays: $lookbackDays) { ${FIELDS} } }`;
const PAUSE = `mutation($id: ID!) { pauseRebalanceSchedule(portfolioId: $id) { paused } }`;
const RESUME = `mutation($id: ID!) { resumeRebalanceSchedule(portfolioId: $id) { paused } }`;
const REMOVE = `mutation($id: ID!) { removeRebalanceSchedule(portfolioId: $id) }`;

const decisions = async () =>
  (
    await db.sql<
      { n: number }[]
    >`select count(*)::int as n from rebalance_decisions where source = 'schedule' and proposed_by = 'system:rebalance-schedule'`
  )[0]!.n;

describe('the per-portfolio rebalance schedule', () => {
  it('is set, read, paused, resumed and removed by operators, and its runs store decisions', async () => {
    const head = await headSeq(db.sql);
    expect((await graphql(server.url, READ, { id: portfolioId }, operator)).data!.rebalanceSchedule).toBeNull();
    // Every second, over the last 20 years of prices (the book's end in 2018).
    const set = await graphql(
      server.url,
      SET,
      { id: portfolioId, pattern: '* * * * * *', settings: { objective: 'MIN_VOLATILITY', lotSize: '5' }, lookbackDays: 7300 },
      operator,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setRebalanceSchedule).toMatchObject({
      portfolioId,
      pattern: '* * * * * *',
      tz: 'UTC',
      paused: false,
      lookbackDays: 7300,
      settings: { objective: { kind: 'MIN_VOLATILITY' }, lotSize: '5', riskFreeRate: 0.02 },
    });
    await until('a scheduled run stores a decision', async () => (await decisions()) > 0);
    const [decision] =
      await db.sql`select decision_id::text as id, inputs, status from rebalance_decisions where source = 'schedule' limit 1`;
    expect(decision!.status).toBe('PROPOSED');
    expect(decision!.inputs.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The scheduled proposal is in the audit log under the schedule's system actor.
    const [entry] = await db.sql`
      select actor_subject, actor_role, entity, payload from audit_log where action = 'rebalance.proposed' and entity_id = ${decision!.id}`;
    expect(entry).toMatchObject({ actor_subject: 'system:rebalance-schedule', actor_role: null, entity: 'rebalance_decision' });
    expect(entry!.payload).toMatchObject({
      decision_id: decision!.id,
      portfolio_id: portfolioId,
      source: 'schedule',
      inputs: decision!.inputs,
    });

    const paused = await graphql(server.url, PAUSE, { id: portfolioId }, operator);
    expect(paused.data!.pauseRebalanceSchedule).toEqual({ paused: true });
    expect((await graphql(server.url, READ, { id: portfolioId }, operator)).data!.rebalanceSchedule.paused).toBe(true);
    await until('a run while paused proposes nothing', async () => {
      const completed = await queue.getCompleted(0, 20);
      return completed.some((job) => job.returnvalue?.skipped === 'paused');
    });
    expect((await graphql(server.url, RESUME, { id: portfolioId }, operator)).data!.resumeRebalanceSchedule).toEqual({ paused: false });
    const before = await decisions();
    await until('a run after resuming stores a decision again', async () => (await decisions()) > before);

    expect((await graphql(server.url, REMOVE, { id: portfolioId }, operator)).data!.removeRebalanceSchedule).toBe(true);
    expect((await graphql(server.url, READ, { id: portfolioId }, operator)).data!.rebalanceSchedule).toBeNull();
    expect((await graphql(server.url, REMOVE, { id: portfolioId }, operator)).data!.removeRebalanceSchedule).toBe(false);
    expect((await graphql(server.url, PAUSE, { id: portfolioId }, operator)).data!.pauseRebalanceSchedule).toBeNull();

    // The operator's changes are in the audit log; the calls that found no schedule are not.
    const changes = (await entriesAfter(db.sql, head)).filter((entry) => entry.entity === 'rebalance_schedule');
    expect(changes.map((entry) => entry.action)).toEqual([
      'rebalance_schedule.set',
      'rebalance_schedule.paused',
      'rebalance_schedule.resumed',
      'rebalance_schedule.removed',
    ]);
    for (const entry of changes) {
      expect(entry).toMatchObject({ actorSubject: 'security-OPERATOR-1', actorRole: 'OPERATOR', entityId: portfolioId });
    }
    expect(changes[0]!.payload).toMatchObject({
      portfolio_id: portfolioId,
      pattern: '* * * * * *',
      tz: 'UTC',
      lookback_days: 7300,
      settings: { objective: { kind: 'MIN_VOLATILITY' }, lotSize: '5' },
    });
  });

  it('refuses a bad pattern, lookback or portfolio, and non-operators, recording nothing', async () => {
    const head = await headSeq(db.sql);
    const settings = { objective: 'MIN_VOLATILITY' };
    const cases: [Record<string, unknown>, string][] = [
      [{ id: portfolioId, pattern: '61 * * * *', settings }, 'pattern'],
      [{ id: portfolioId, pattern: '0 6 * * *', settings, lookbackDays: 1 }, 'lookbackDays'],
      [{ id: '999999', pattern: '0 6 * * *', settings }, 'portfolioId'],
      [{ id: portfolioId, pattern: '0 6 * * *', settings: { ...settings, gamma: -1 } }, 'settings.gamma'],
    ];
    for (const [variables, argument] of cases) {
      const response = await graphql(server.url, SET, variables, operator);
      expectClientError(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.extensions!.argument).toBe(argument);
    }
    expectClientError(await graphql(server.url, READ, { id: portfolioId }, await bearer('ANALYST')), 'FORBIDDEN');
    expect(await headSeq(db.sql)).toBe(head);
  });
});
