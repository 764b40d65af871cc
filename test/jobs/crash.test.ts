import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/infra/redis.js';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { RebuildControl, type RebuildJobView } from '../../src/jobs/rebuild.control.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { loadBook, memoryLogger, spawnWorker, until, type Spawned } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('crash');
const names = { queueName: 'asset360-rebuild', queuePrefix: prefix };
/** Once a year: no scheduled build gets in the way. */
const YEARLY = '0 0 1 1 *';

let redis: Redis;
let rebuilds: RebuildControl;
let queue: Queue;
let env: Record<string, string>;
let buildSeconds = 0;
const spawned: Spawned[] = [];

function worker(extra: Record<string, string> = {}): Spawned {
  const child = spawnWorker({ ...env, ...extra });
  spawned.push(child);
  return child;
}

async function runningBuild(): Promise<{ build_id: string; backend_pid: number }> {
  return until(
    'a build to start',
    async () =>
      (
        await db.sql<
          { build_id: string; backend_pid: number }[]
        >`select build_id, backend_pid from asset_360_builds where status = 'running'`
      )[0],
    30_000,
    20,
  );
}

async function publishedBuild(): Promise<string[]> {
  return (await db.sql<{ build_id: string }[]>`select distinct build_id::text from asset_360`).map((row) => row.build_id);
}

async function finished(id: string, timeoutMs = 30_000): Promise<RebuildJobView> {
  return until(
    `job ${id} to finish`,
    async () => {
      const job = await rebuilds.job(id);
      return (job?.state === 'completed' || job?.state === 'failed') && job;
    },
    timeoutMs,
    50,
  );
}

beforeAll(async () => {
  // About a second per build here (more under a loaded test run): time to kill a worker mid-build.
  await loadBook(db.sql, 12_000);
  buildSeconds = (await buildAsset360(db.sql)).seconds;
  env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, REBUILD_CRON: YEARLY };
  const { log } = memoryLogger();
  redis = createRedis(TEST_REDIS_URL, log);
  rebuilds = new RebuildControl(redis, names, { pattern: YEARLY, tz: 'UTC' }, log);
  queue = new Queue(names.queueName, { connection: redis, prefix });
  await until('Redis', async () => redis.status === 'ready');
});

afterAll(async () => {
  for (const child of spawned) if (child.child.exitCode === null && child.child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  await rebuilds?.close();
  redis?.disconnect();
});

describe('a worker killed with SIGKILL in the middle of a build', () => {
  it('leaves the previous build in place; another worker takes the job over and the dead run is marked failed', async () => {
    const before = await publishedBuild();
    const doomed = worker();
    await doomed.waitFor(/rebuild worker ready/);
    const job = await rebuilds.request(undefined);
    const running = await runningBuild();
    const killedAt = Date.now();
    doomed.kill('SIGKILL');
    await doomed.exited;
    const rescuer = worker();

    // The killed worker's session notices within 100 ms and rolls back its build.
    await until(
      'the killed session to end',
      async () => {
        const [alive] = await db.sql`select 1 from pg_stat_activity where pid = ${running.backend_pid}`;
        return !alive;
      },
      5_000,
      20,
    );
    const sessionEndedMs = Date.now() - killedAt;
    expect(await publishedBuild()).toEqual(before);
    const [dead] = await db.sql`select status from asset_360_builds where build_id = ${running.build_id}`;
    expect(dead).toEqual({ status: 'running' });

    const done = await finished(job.id);
    const recoveredMs = done.startedAt!.getTime() - killedAt;
    console.info(
      `kill test: build of ~${buildSeconds.toFixed(2)} s killed; session gone after ${sessionEndedMs} ms; ` +
        `job restarted after ${recoveredMs} ms and finished after ${done.finishedAt!.getTime() - killedAt} ms`,
    );
    expect(done).toMatchObject({ state: 'completed', failedReason: null });
    expect(recoveredMs).toBeLessThan(15_000);
    const raw = await queue.getJob(job.id);
    expect(raw).toMatchObject({ stalledCounter: 1, attemptsStarted: 2 });
    expect(BigInt(done.result!.buildId)).toBeGreaterThan(BigInt(running.build_id));
    expect(await publishedBuild()).toEqual([done.result!.buildId]);
    const [abandoned] =
      await db.sql`select status, error, finished_at is not null as finished from asset_360_builds where build_id = ${running.build_id}`;
    expect(abandoned).toEqual({ status: 'failed', error: 'abandoned: the session running it ended', finished: true });
    expect(rescuer.output.join('\n')).toMatch(new RegExp(`rebuild job ${job.id} stalled`));

    rescuer.kill('SIGTERM');
    expect(await rescuer.exited).toBe(0);
  });
});

describe('a worker stopped with SIGTERM during a build', () => {
  it('finishes the build within its shutdown timeout, then exits', async () => {
    const stopping = worker({ WORKER_SHUTDOWN_TIMEOUT_MS: '30000' });
    await stopping.waitFor(/rebuild worker ready/);
    const job = await rebuilds.request(undefined);
    const running = await runningBuild();
    stopping.kill('SIGTERM');
    expect(await stopping.exited).toBe(0);
    const exitedAt = new Date();
    const [build] = await db.sql<
      { status: string; finished_at: Date }[]
    >`select status, finished_at from asset_360_builds where build_id = ${running.build_id}`;
    expect(build!.status).toBe('succeeded');
    expect(build!.finished_at.getTime()).toBeLessThanOrEqual(exitedAt.getTime());
    expect(await rebuilds.job(job.id)).toMatchObject({ state: 'completed', result: { buildId: running.build_id } });
    expect(await publishedBuild()).toEqual([running.build_id]);
    expect(stopping.output.join('\n')).toMatch(/stopped \(no build left running\)/);
  });

  it('leaves a build that outlasts the timeout to another worker, without publishing it', async () => {
    const before = await publishedBuild();
    const hasty = worker({ WORKER_SHUTDOWN_TIMEOUT_MS: '50' });
    await hasty.waitFor(/rebuild worker ready/);
    const job = await rebuilds.request(undefined);
    const running = await runningBuild();
    hasty.kill('SIGTERM');
    expect(await hasty.exited).toBe(0);
    expect(hasty.output.join('\n')).toMatch(/a running build was left to another worker/);
    await until(
      'the abandoned session to end',
      async () => {
        const [alive] = await db.sql`select 1 from pg_stat_activity where pid = ${running.backend_pid}`;
        return !alive;
      },
      5_000,
      20,
    );
    expect(await publishedBuild()).toEqual(before);

    worker();
    const done = await finished(job.id);
    expect(done.state).toBe('completed');
    expect(await publishedBuild()).toEqual([done.result!.buildId]);
    const [abandoned] = await db.sql`select status from asset_360_builds where build_id = ${running.build_id}`;
    expect(abandoned).toEqual({ status: 'failed' });
  });
});
