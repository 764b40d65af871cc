import { loadConfig } from '../src/config.js';
import { createSql } from '../src/infra/db.js';
import { createLogger } from '../src/infra/logger.js';
import { createRedis } from '../src/infra/redis.js';
import { startServer } from '../src/server.js';

export interface BenchTarget {
  url: string;
  stop(): Promise<void>;
}

/**
 * The server to drive: a running one at `url`, or one started in-process over DATABASE_URL. A
 * benchmark is one client far past any per-client rate limit, so the in-process one has none.
 */
export async function benchTarget(url: string | undefined, poolSize: number): Promise<BenchTarget> {
  if (url) return { url, stop: async () => {} };
  const config = loadConfig({
    // Each request runs, as in the peer benchmark; RESPONSE_CACHE=on in the environment measures hits.
    RESPONSE_CACHE: 'off',
    ...process.env,
    NODE_ENV: 'development',
    AUTH_MODE: 'off',
    PORT: '0',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_REQUESTS: '1000000',
  });
  if (!config.databaseUrl) throw new Error('set DATABASE_URL to a seeded and built database, or pass --url of a running server');
  const log = createLogger(config);
  const sql = createSql(config.databaseUrl, { max: poolSize });
  const redis = createRedis(config.redisUrl, log);
  const server = await startServer({ config, sql, redis, log });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      redis.disconnect();
      await sql.end({ timeout: 5 });
    },
  };
}
