import type { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { createSql, type Sql } from '../../src/infra/db.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS, type RebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { memoryLogger, startRebuildServer, until, type RebuildServer } from '../jobs/support.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { graphql } from '../support/server.js';

export const SECRET = 'web-dashboard-test-secret-of-32-bytes!';

export function token(role: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ role, ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`web-${role.toLowerCase()}`)
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(SECRET));
}

export interface Stack {
  server: RebuildServer;
  /** The graph as a role sees it: what the page must show. */
  ask<T = Record<string, any>>(tokenValue: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** A server as main.ts composes it, with auth on and a rebuild worker, over the test's database. */
export async function startStack(db: { sql: Sql; url: string }, prefix: string): Promise<Stack> {
  const server = await startRebuildServer(db.sql, {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    AUTH_MODE: 'on',
    JWT_SECRET: SECRET,
    REBUILD_CRON: '0 3 * * *',
  });
  const workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
  const workerRedis: Redis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
  const worker: RebuildWorker = startRebuildWorker({
    sql: workerSql,
    connection: workerRedis,
    names: { queueName: 'asset360-rebuild', queuePrefix: prefix },
    schedule: { pattern: '0 3 * * *', tz: 'UTC' },
    shutdownTimeoutMs: 5_000,
    log: memoryLogger().log,
  });
  await until('the server to reach Redis', async () => server.redis.status === 'ready');
  return {
    server,
    async ask(tokenValue, query, variables = {}) {
      const response = await graphql(server.url, query, variables, { authorization: `Bearer ${tokenValue}` });
      if (response.errors || !response.data) throw new Error(`the graph refused: ${JSON.stringify(response.errors)}`);
      return response.data as any;
    },
    async close() {
      await worker.close();
      await server.close();
      workerRedis.disconnect();
      await workerSql.end();
    },
  };
}
