import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULER_ID } from '../../src/jobs/rebuild.queue.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { loadBook, spawnWorker, type Spawned } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('two-workers');
const RUN_MS = 10_000;

let redis: Redis;
let queue: Queue;

beforeAll(async () => {
  // Builds of a few hundred milliseconds: long enough that two at once would show.
  await loadBook(db.sql, 2_000);
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue('asset360-rebuild', { connection: redis, prefix });
});

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
});

describe('two worker processes on a one-second schedule', () => {
  it('build once per tick, one at a time, for ten seconds', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, REBUILD_CRON: '* * * * * *' };
    const workers: Spawned[] = [spawnWorker(env), spawnWorker(env)];
    let scheduledAt = 0;
    let stoppedAt = 0;
    try {
      await workers[0]!.waitFor(/rebuild schedule created|rebuild worker ready/);
      scheduledAt = Date.now();
      await Promise.all(workers.map((worker) => worker.waitFor(/rebuild worker ready/)));
      await sleep(RUN_MS - (Date.now() - scheduledAt));
      stoppedAt = Date.now();
      for (const worker of workers) worker.kill('SIGTERM');
      expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
    } finally {
      for (const worker of workers) if (worker.child.exitCode === null) worker.kill('SIGKILL');
    }

    const builds = await db.sql<{ build_id: string; status: string; started_at: Date; finished_at: Date }[]>`
      select build_id, status, started_at, finished_at from asset_360_builds order by started_at`;
    const ticks = (await queue.getJobs(['completed', 'failed', 'active']))
      .filter((job) => job.repeatJobKey === SCHEDULER_ID)
      .sort((a, b) => a.timestamp - b.timestamp);
    const tickTimes = ticks.map((job) => Number(job.id!.split(':').pop()));
    const perWorker = new Map<string, number>();
    for (const job of ticks) perWorker.set(job.processedBy ?? '?', (perWorker.get(job.processedBy ?? '?') ?? 0) + 1);
    const expectedTicks = (stoppedAt - scheduledAt) / 1000;
    console.info(
      `two workers: ${builds.length} builds for ${ticks.length} ticks in ${expectedTicks.toFixed(1)} s ` +
        `(per worker ${[...perWorker.values()].join(' + ')}); builds took ${builds.map((b) => b.finished_at.getTime() - b.started_at.getTime()).join(', ')} ms`,
    );

    expect(Math.abs(ticks.length - expectedTicks)).toBeLessThanOrEqual(1.5);
    expect(ticks.every((job) => job.finishedOn !== undefined && job.returnvalue?.buildId)).toBe(true);
    // No tick lost and none doubled: one job per second.
    for (let i = 1; i < tickTimes.length; i++) expect(tickTimes[i]! - tickTimes[i - 1]!).toBe(1_000);
    // Each tick made exactly one build, and every build succeeded.
    expect(builds).toHaveLength(ticks.length);
    expect(new Set(ticks.map((job) => job.returnvalue.buildId))).toEqual(new Set(builds.map((build) => build.build_id)));
    expect(builds.every((build) => build.status === 'succeeded')).toBe(true);
    // Never two at once: each build started after the previous one finished.
    for (let i = 1; i < builds.length; i++)
      expect(builds[i]!.started_at.getTime()).toBeGreaterThanOrEqual(builds[i - 1]!.finished_at.getTime());
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });
});
