import 'reflect-metadata';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { BuildEvents, subscribeToBuilds, type BuildSubscription } from '../../src/jobs/build-events.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { useTestDatabase } from '../support/database.js';
import { useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { freePort, memoryLogger, startOwnRedis, startRebuildServer, until, type RebuildServer, type Spawned } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('redis-outage');
const REBUILD = `mutation { rebuildAsset360 { id state } }`;
const JOB = `query Job($id: ID!) { rebuildJob(id: $id) { state result { buildId } } }`;

let port: number;
let ownRedis: Spawned;
let server: RebuildServer;
let workerSql: Sql;
let workerRedis: Redis;
let worker: RebuildWorker;
let subscription: BuildSubscription;
const announced: Array<string | null> = [];
const { log, lines } = memoryLogger();

async function rebuildAndWait(): Promise<string> {
  const response = await graphql(server.url, REBUILD);
  expect(response.errors).toBeUndefined();
  const id = response.data!.rebuildAsset360.id as string;
  return until(`job ${id}`, async () => {
    const job = (await graphql(server.url, JOB, { id })).data?.rebuildJob;
    return job?.state === 'COMPLETED' && (job.result.buildId as string);
  });
}

beforeAll(async () => {
  await db.sql`insert into asset_master (asset_id, asset_name, asset_type, currency) values (1, 'Alpha', 'EQUITY', 'USD')`;
  port = await freePort();
  ownRedis = await startOwnRedis(port);
  const url = `redis://127.0.0.1:${port}`;
  server = await startRebuildServer(db.sql, { REDIS_URL: url, QUEUE_PREFIX: prefix }, log);
  // As main.ts composes WORKER=inline: the worker's connection waits for Redis and stays quiet.
  workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  workerRedis = createWorkerRedis(url, log, false);
  worker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names: server.config.rebuild,
    schedule: { pattern: '0 3 * * *', tz: 'UTC' },
    shutdownTimeoutMs: 2_000,
    log,
  });
  const events = new BuildEvents();
  events.onBuildChanged((buildId) => announced.push(buildId));
  subscription = subscribeToBuilds(server.redis, prefix, events, log);
  await worker.scheduled;
  await until('the server to reach Redis', async () => server.redis.status === 'ready');
});

afterAll(async () => {
  await worker?.close();
  await subscription?.close();
  await server?.close();
  workerRedis?.disconnect();
  await workerSql?.end();
  ownRedis?.kill('SIGKILL');
});

describe('Redis stopped, then started again', () => {
  it('keeps serving reads, answers UNAVAILABLE at once for operator calls, says so once, and resumes by itself', async () => {
    const firstBuild = await rebuildAndWait();
    await until('the first announcement', async () => announced.includes(firstBuild));

    ownRedis.kill('SIGTERM');
    await ownRedis.exited;
    await until('the server to notice', async () => server.redis.status !== 'ready');
    const warningsBefore = lines.filter((line) => line.level === 'warn').length;

    for (const query of [REBUILD, `{ rebuildSchedule { pattern } }`, `mutation { pauseRebuilds { paused } }`]) {
      const started = performance.now();
      const response = await graphql(server.url, query);
      expect(performance.now() - started).toBeLessThan(500);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(response.errors?.[0]?.message).toMatch(/Redis cannot be reached/);
    }
    const read = await graphql(
      server.url,
      `
        {
          asset(id: "1") {
            id
            name
          }
        }
      `,
    );
    expect(read).toMatchObject({ data: { asset: { id: '1', name: 'Alpha' } } });
    const ready = await fetch(new URL('/readyz', server.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { postgres: 'up', redis: 'down' } });

    // Several reconnect attempts later, still one warning and no error or stack trace.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/redis is unreachable/);
    expect(warningsBefore).toBeLessThanOrEqual(1);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /);

    ownRedis = await startOwnRedis(port);
    const secondBuild = await until(
      'an operator call to work again',
      async () => {
        const response = await graphql(server.url, REBUILD);
        return response.data?.rebuildAsset360 ? (response.data.rebuildAsset360.id as string) : undefined;
      },
      20_000,
      250,
    );
    const buildId = await until(
      `job ${secondBuild} to run`,
      async () => {
        const job = (await graphql(server.url, JOB, { id: secondBuild })).data?.rebuildJob;
        return job?.state === 'COMPLETED' && (job.result.buildId as string);
      },
      20_000,
    );
    expect(BigInt(buildId)).toBeGreaterThan(BigInt(firstBuild));
    // The restarted Redis was empty: the worker put its schedule back by itself.
    expect(
      (
        await graphql(
          server.url,
          `
            {
              rebuildSchedule {
                pattern
                setBy
              }
            }
          `,
        )
      ).data,
    ).toEqual({ rebuildSchedule: { pattern: '0 3 * * *', setBy: 'CONFIG' } });
    await until('the announcements after the outage', async () => announced.includes(buildId));
    expect(announced).toEqual([firstBuild, null, buildId]);
    expect(lines.some((line) => /redis is reachable again/.test(line.message))).toBe(true);
  });
});
