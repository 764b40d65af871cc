import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../src/config.js';
import type { Sql } from '../../src/infra/db.js';
import { createLogger, type Logger } from '../../src/infra/logger.js';
import { createRedis } from '../../src/infra/redis.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { TEST_REDIS_URL } from './redis.js';

export interface TestServer extends RunningServer {
  close(): Promise<void>;
}

/**
 * Rate-limit counters of the server's own, and a limit no functional test reaches: tests share
 * Redis and an IP address. The security tests set their own limit.
 */
export function isolatedRateLimit(): Record<string, string> {
  return { RATE_LIMIT_PREFIX: `asset360-test:rate:${randomBytes(4).toString('hex')}`, RATE_LIMIT_REQUESTS: '1000000' };
}

export async function startTestServer(sql: Sql, env: Record<string, string> = {}, logger?: Logger): Promise<TestServer> {
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    AUTH_MODE: 'off',
    REDIS_URL: TEST_REDIS_URL,
    ...isolatedRateLimit(),
    RESPONSE_CACHE_PREFIX: `asset360-test:response:${randomBytes(4).toString('hex')}`,
    ...env,
  });
  const log = logger ?? createLogger(config);
  const redis = createRedis(config.redisUrl, log);
  // Until Redis is ready the rate limit counts in memory, apart from what it counts in Redis later; a test
  // that starts with Redis unreachable goes on after a while.
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const server = await startServer({ config, sql, redis, log });
  return {
    ...server,
    async close() {
      await server.stop();
      await forgetResponses(redis, config.responseCache.keyPrefix);
      redis.disconnect();
    },
  };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The response cache's entries of one test server: they would only expire otherwise. */
async function forgetResponses(redis: Redis, prefix: string): Promise<void> {
  if (redis.status !== 'ready') return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
