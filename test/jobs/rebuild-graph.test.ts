import 'reflect-metadata';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { BuildEvents, subscribeToBuilds, type BuildSubscription } from '../../src/jobs/build-events.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { holdBuildLock, memoryLogger, startRebuildServer, until, type RebuildServer } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('rebuild-graph');
const SECRET = 'rebuild-graph-test-secret-of-32-bytes!!';
const QUEUE_NAME = 'asset360-rebuild';

const JOB_FIELDS =
  'id state asOf progress scheduled attemptsMade queuedAt startedAt finishedAt failedReason result { buildId asOf rows seconds }';
const REBUILD = `mutation Rebuild($asOf: Date) { rebuildAsset360(asOf: $asOf) { ${JOB_FIELDS} } }`;
const JOB = `query Job($id: ID!) { rebuildJob(id: $id) { ${JOB_FIELDS} } }`;
const SCHEDULE_FIELDS = 'pattern tz nextRun paused setBy';

let server: RebuildServer;
let workerSql: Sql;
let workerRedis: Redis;
let worker: RebuildWorker | undefined;
let queue: Queue;
let subscription: BuildSubscription;
const published: Array<string | null> = [];

function token(role: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ role, ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`test-${role}`)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
}

async function ask<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
  return graphql<T>(server.url, query, variables, { authorization: `Bearer ${await token('OPERATOR')}` });
}

async function jobState(id: string): Promise<Record<string, any> | null> {
  return (await ask(JOB, { id })).data?.rebuildJob ?? null;
}

function startWorker(sql = workerSql): RebuildWorker {
  return startRebuildWorker({
    sql,
    connection: workerRedis,
    names: { queueName: QUEUE_NAME, queuePrefix: prefix },
    schedule: { pattern: '0 3 * * *', tz: 'UTC' },
    shutdownTimeoutMs: 5_000,
    log: memoryLogger().log,
  });
}

async function succeededBuilds(): Promise<number> {
  const [{ count }] = await db.sql<[{ count: number }]>`select count(*)::int as count from asset_360_builds where status = 'succeeded'`;
  return count;
}

beforeAll(async () => {
  await db.sql`
    insert into asset_master (asset_id, asset_name, asset_type, currency, sector, issuing_country)
    values (1, 'Alpha', 'EQUITY', 'USD', 'Energy', 'US'), (2, 'Beta', 'BOND', 'EUR', 'Utilities', 'DE')`;
  server = await startRebuildServer(db.sql, {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    AUTH_MODE: 'on',
    JWT_SECRET: SECRET,
    REBUILD_CRON: '0 3 * * *',
  });
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  workerRedis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
  queue = new Queue(QUEUE_NAME, { connection: workerRedis, prefix });
  const events = new BuildEvents();
  events.onBuildChanged((buildId) => published.push(buildId));
  subscription = subscribeToBuilds(server.redis, prefix, events, memoryLogger().log);
  await until('the server to reach Redis', async () => server.redis.status === 'ready');
});

afterAll(async () => {
  await worker?.close();
  await subscription?.close();
  await queue?.close();
  await server?.close();
  workerRedis?.disconnect();
  await workerSql?.end();
});

describe('operator roles', () => {
  it('refuses VIEWER and ANALYST with FORBIDDEN and lets OPERATOR and ADMIN read the schedule', async () => {
    const query = `{ rebuildSchedule { pattern } }`;
    for (const [role, extra] of [
      ['VIEWER', { portfolios: ['1'] }],
      ['ANALYST', {}],
    ] as const) {
      const response = await graphql(server.url, query, {}, { authorization: `Bearer ${await token(role, extra)}` });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
    }
    for (const role of ['OPERATOR', 'ADMIN']) {
      const response = await graphql(server.url, query, {}, { authorization: `Bearer ${await token(role)}` });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ rebuildSchedule: { pattern: '0 3 * * *' } });
    }
    const mutation = await graphql(server.url, REBUILD, {}, { authorization: `Bearer ${await token('ANALYST')}` });
    expect(mutation.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await queue.count()).toBe(0);
  });
});

describe('rebuildAsset360', () => {
  it('returns at once, and asking again returns the waiting request instead of a second one', async () => {
    const first = await ask(REBUILD, { asOf: '2026-01-30' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.rebuildAsset360).toMatchObject({
      state: 'WAITING',
      asOf: '2026-01-30',
      progress: 0,
      scheduled: false,
      attemptsMade: 0,
      result: null,
    });
    const again = await ask(REBUILD, { asOf: '2026-01-31' });
    expect(again.data!.rebuildAsset360.id).toBe(first.data!.rebuildAsset360.id);
    expect(again.data!.rebuildAsset360.asOf).toBe('2026-01-30');
    const noDate = await ask(REBUILD);
    expect(noDate.data!.rebuildAsset360.id).toBe(first.data!.rebuildAsset360.id);
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('runs one build at a time: while one runs, requests return it and exactly one more build follows', async () => {
    const lock = await holdBuildLock(db.sql);
    const before = await succeededBuilds();
    const waiting = (await ask(REBUILD)).data!.rebuildAsset360;
    try {
      worker = startWorker();
      const running = await until('the request to start', async () => {
        const job = await jobState(waiting.id);
        return job?.state === 'ACTIVE' && job;
      });
      expect(running.startedAt).toEqual(expect.any(String));
      for (const asOf of ['2026-02-27', '2026-02-28']) {
        const response = await ask(REBUILD, { asOf });
        expect(response.data!.rebuildAsset360).toMatchObject({ id: waiting.id, state: 'ACTIVE' });
      }
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await lock.release();
    }
    const done = await until('the first build to finish', async () => {
      const job = await jobState(waiting.id);
      return job?.state === 'COMPLETED' && job;
    });
    expect(done).toMatchObject({ progress: 100, attemptsMade: 1, failedReason: null, result: { rows: 2 } });
    expect(done.result.seconds).toBeGreaterThan(0);
    expect(done.asOf).toBe(done.result.asOf);

    await until('the follow-up build', async () => (await succeededBuilds()) === before + 2 && (await queue.getCompletedCount()) === 2);
    const completed = await queue.getJobs(['completed']);
    const followUp = completed.find((job) => job.id !== waiting.id)!;
    expect(followUp.data).toEqual({ asOf: '2026-02-28' });
    expect(await jobState(followUp.id!)).toMatchObject({ state: 'COMPLETED', asOf: '2026-02-28', result: { asOf: '2026-02-28', rows: 2 } });
    const [{ build_id }] = await db.sql<[{ build_id: string }]>`select max(build_id)::text as build_id from asset_360`;
    expect(followUp.returnvalue.buildId).toBe(build_id);
    expect(await queue.getWaitingCount()).toBe(0);
    expect(await queue.getActiveCount()).toBe(0);
  });

  it('announces every published build on Redis pub/sub', async () => {
    const [{ ids }] = await db.sql<
      [{ ids: string[] }]
    >`select array_agg(build_id::text order by build_id) as ids from asset_360_builds where status = 'succeeded'`;
    await until('both announcements', async () => published.length >= 2);
    expect(published).toEqual(ids);
  });

  it('retries a build that failed for a transient reason, and does not retry one that failed for its data', async () => {
    // A worker whose sessions give up waiting for a lock after 300 ms: 55P03, a transient failure.
    await worker!.close();
    const impatientSql = createSql(db.url, { ...WORKER_SQL_OPTIONS, connection: { ...WORKER_SQL_OPTIONS.connection, lock_timeout: 300 } });
    worker = startWorker(impatientSql);
    const lock = await holdBuildLock(db.sql);
    const job = (await ask(REBUILD)).data!.rebuildAsset360;
    try {
      await until('the failed attempt', async () => (await jobState(job.id))?.attemptsMade === 1);
      expect(await jobState(job.id)).toMatchObject({ state: 'DELAYED', failedReason: expect.stringMatching(/lock timeout/) });
    } finally {
      await lock.release();
    }
    const retried = await until('the retry to succeed', async () => {
      const state = await jobState(job.id);
      return state?.state === 'COMPLETED' && state;
    });
    expect(retried.attemptsMade).toBe(2);
    const [failedAttempt] =
      await db.sql`select status, error from asset_360_builds where build_id < ${retried.result.buildId} order by build_id desc limit 1`;
    expect(failedAttempt).toEqual({ status: 'failed', error: expect.stringMatching(/^55P03: .*lock timeout/) });
    await worker.close();
    await impatientSql.end();
    worker = startWorker();

    await db.sql`alter table asset_360 add constraint refuse_poison check (asset_name <> 'Poison') not valid`;
    await db.sql`insert into asset_master (asset_id, asset_name, asset_type, currency) values (3, 'Poison', 'EQUITY', 'USD')`;
    try {
      const poisoned = (await ask(REBUILD)).data!.rebuildAsset360;
      const failed = await until('the build to fail', async () => {
        const state = await jobState(poisoned.id);
        return state?.state === 'FAILED' && state;
      });
      expect(failed).toMatchObject({ attemptsMade: 1, result: null, failedReason: expect.stringMatching(/refuse_poison/) });
      const [{ rows }] = await db.sql<[{ rows: number }]>`select count(*)::int as rows from asset_360`;
      expect(rows).toBe(2);
    } finally {
      await db.sql`delete from asset_master where asset_id = 3`;
      await db.sql`alter table asset_360 drop constraint refuse_poison`;
    }
  });
});

describe('rebuildJob', () => {
  it('is null for an id the queue does not know, and BAD_USER_INPUT for one that cannot be an id', async () => {
    expect((await ask(JOB, { id: '987654' })).data).toEqual({ rebuildJob: null });
    const bad = await ask(JOB, { id: 'no spaces allowed' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });
});

describe('schedule controls', () => {
  it('reads the schedule a worker installed from config, with its next run', async () => {
    const response = await ask(`{ rebuildSchedule { ${SCHEDULE_FIELDS} } }`);
    const next = new Date();
    next.setUTCHours(3, 0, 0, 0);
    if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
    expect(response.data).toEqual({
      rebuildSchedule: { pattern: '0 3 * * *', tz: 'UTC', nextRun: next.toISOString(), paused: false, setBy: 'CONFIG' },
    });
  });

  it('sets a new schedule, refuses a bad pattern or time zone naming the argument, and changes nothing then', async () => {
    const set = `mutation Set($pattern: String!, $tz: String) { setRebuildSchedule(pattern: $pattern, tz: $tz) { ${SCHEDULE_FIELDS} } }`;
    const ok = await ask(set, { pattern: '30 6 * * MON-FRI', tz: 'Europe/Oslo' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.setRebuildSchedule).toMatchObject({ pattern: '30 6 * * MON-FRI', tz: 'Europe/Oslo', setBy: 'OPERATOR', paused: false });
    const nextRun = new Date(ok.data!.setRebuildSchedule.nextRun);
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(nextRun),
    ).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 06:30$/);

    const cases = [
      [{ pattern: '61 * * * *' }, 'pattern', /pattern must be a cron pattern.*61/],
      [{ pattern: 'every day' }, 'pattern', /pattern must be a cron pattern/],
      [{ pattern: '' }, 'pattern', /empty/],
      [{ pattern: '0 * * * *', tz: 'Mars/Olympus_Mons' }, 'tz', /tz must be an IANA time zone/],
    ] as const;
    for (const [variables, argument, message] of cases) {
      const response = await ask(set, variables);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(response.errors?.[0]?.message).toMatch(message);
    }
    const keepsTz = await ask(set, { pattern: '45 6 * * MON-FRI' });
    expect(keepsTz.data!.setRebuildSchedule).toMatchObject({ pattern: '45 6 * * MON-FRI', tz: 'Europe/Oslo' });
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('keeps what an operator set when a worker restarts with its REBUILD_CRON', async () => {
    await worker!.close();
    worker = startWorker();
    expect(await worker.scheduled).toBe('kept-operator-schedule');
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ pattern: '45 6 * * MON-FRI', tz: 'Europe/Oslo' });
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('pauses and resumes: a request made while paused waits, then runs', async () => {
    const paused = await ask(`mutation { pauseRebuilds { paused } }`);
    expect(paused.data).toEqual({ pauseRebuilds: { paused: true } });
    const job = (await ask(REBUILD)).data!.rebuildAsset360;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await jobState(job.id)).toMatchObject({ state: 'WAITING' });
    expect((await ask(`{ rebuildSchedule { paused } }`)).data).toEqual({ rebuildSchedule: { paused: true } });
    const resumed = await ask(`mutation { resumeRebuilds { paused } }`);
    expect(resumed.data).toEqual({ resumeRebuilds: { paused: false } });
    await until('the build to run after resume', async () => (await jobState(job.id))?.state === 'COMPLETED');
  });
});
