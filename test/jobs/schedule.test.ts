import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createSql, type Sql } from '../../src/infra/db.js';
import { createRebuildQueue, ensureSchedule, SCHEDULER_ID, upsertSchedule, type RebuildQueue } from '../../src/jobs/rebuild.queue.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS } from '../../src/jobs/rebuild.worker.js';
import { nextRun, scheduleProblem } from '../../src/lib/schedule.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { memoryLogger } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('schedule');
const names = { queueName: 'asset360-rebuild', queuePrefix: prefix };
const DAILY = { pattern: '0 3 * * *', tz: 'UTC' };

let redis: Redis;
let queue: RebuildQueue;
let sql: Sql;

beforeAll(() => {
  redis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
  queue = createRebuildQueue(redis, names, (error) => {
    throw error;
  });
  sql = createSql(db.url, WORKER_SQL_OPTIONS);
});

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await sql?.end();
});

describe('cron validation', () => {
  it('accepts what BullMQ can schedule and names the field at fault otherwise', () => {
    expect(scheduleProblem({ pattern: '*/15 * * * *', tz: 'UTC' })).toBeUndefined();
    expect(scheduleProblem({ pattern: '*/10 * * * * *', tz: 'America/New_York' })).toBeUndefined();
    expect(scheduleProblem({ pattern: '0 6 * * MON-FRI', tz: 'Asia/Kolkata' })).toBeUndefined();
    expect(scheduleProblem({ pattern: '61 * * * *', tz: 'UTC' })).toEqual({ field: 'pattern', reason: expect.stringMatching(/61/) });
    expect(scheduleProblem({ pattern: '0 0 30 2 *', tz: 'UTC' })?.field).toBe('pattern');
    expect(scheduleProblem({ pattern: '* * * * * * *', tz: 'UTC' })?.field).toBe('pattern');
    expect(scheduleProblem({ pattern: '  ', tz: 'UTC' })).toEqual({ field: 'pattern', reason: 'the pattern is empty' });
    expect(scheduleProblem({ pattern: '0 3 * * *', tz: 'Europe/Atlantis' })).toEqual({ field: 'tz', reason: 'unknown time zone' });
  });

  it('computes the next run in the schedule time zone', () => {
    const from = Date.parse('2026-03-27T12:00:00Z');
    expect(nextRun({ pattern: '0 3 * * *', tz: 'UTC' }, from)?.toISOString()).toBe('2026-03-28T03:00:00.000Z');
    // Oslo moves to summer time on 29 March 2026: 03:00 local is 01:00 UTC after that, 02:00 UTC before.
    expect(nextRun({ pattern: '0 3 * * *', tz: 'Europe/Oslo' }, from)?.toISOString()).toBe('2026-03-28T02:00:00.000Z');
    expect(nextRun({ pattern: '0 3 * * *', tz: 'Europe/Oslo' }, Date.parse('2026-03-30T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-31T01:00:00.000Z',
    );
  });
});

describe('the schedule a worker installs', () => {
  it('is upserted once: starting again, or starting more workers, never adds a scheduler or a job', async () => {
    expect(await ensureSchedule(queue, DAILY)).toBe('created');
    expect(await ensureSchedule(queue, DAILY)).toBe('unchanged');
    const connections = [1, 2, 3].map(() => createWorkerRedis(TEST_REDIS_URL, memoryLogger().log));
    const workers = connections.map((connection) =>
      startRebuildWorker({ sql, connection, names, schedule: DAILY, shutdownTimeoutMs: 1_000, log: memoryLogger().log }),
    );
    try {
      expect(await Promise.all(workers.map((worker) => worker.scheduled))).toEqual(['unchanged', 'unchanged', 'unchanged']);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      for (const connection of connections) connection.disconnect();
    }
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect(await queue.getDelayedCount()).toBe(1);
    expect(await queue.getGlobalConcurrency()).toBe(1);
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({
      key: SCHEDULER_ID,
      pattern: '0 3 * * *',
      tz: 'UTC',
      template: { data: { scheduleSetBy: 'config' } },
    });
  });

  it('stays one scheduler when several workers start at once on an empty queue', async () => {
    const race = { queueName: 'asset360-rebuild-race', queuePrefix: prefix };
    const connections = [1, 2, 3].map(() => createWorkerRedis(TEST_REDIS_URL, memoryLogger().log));
    const workers = connections.map((connection) =>
      startRebuildWorker({ sql, connection, names: race, schedule: DAILY, shutdownTimeoutMs: 1_000, log: memoryLogger().log }),
    );
    const raceQueue = createRebuildQueue(redis, race, (error) => {
      throw error;
    });
    try {
      const outcomes = await Promise.all(workers.map((worker) => worker.scheduled));
      expect(outcomes.every((outcome) => outcome === 'created' || outcome === 'unchanged')).toBe(true);
      expect(await raceQueue.getJobSchedulersCount()).toBe(1);
      expect(await raceQueue.getDelayedCount()).toBe(1);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      for (const connection of connections) connection.disconnect();
      await raceQueue.close();
    }
  });

  it('follows a changed REBUILD_CRON, replacing the pending run rather than adding one', async () => {
    expect(await ensureSchedule(queue, { pattern: '30 4 * * *', tz: 'Europe/Oslo' })).toBe('updated');
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect(await queue.getDelayedCount()).toBe(1);
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ pattern: '30 4 * * *', tz: 'Europe/Oslo' });
    expect(scheduler!.next).toBe(nextRun({ pattern: '30 4 * * *', tz: 'Europe/Oslo' })!.getTime());
  });

  it('keeps a schedule an operator set, whatever REBUILD_CRON says', async () => {
    await upsertSchedule(queue, { pattern: '0 22 * * SUN', tz: 'UTC' }, 'operator');
    expect(await ensureSchedule(queue, DAILY)).toBe('kept-operator-schedule');
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ pattern: '0 22 * * SUN', tz: 'UTC' });
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect(await queue.getDelayedCount()).toBe(1);
  });
});
