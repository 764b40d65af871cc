import { Redis } from 'ioredis';
import { redactUrl } from '../lib/redact.js';
import { within } from '../lib/timeout.js';
import type { Logger } from './logger.js';

/**
 * Commands fail fast while Redis is down (no offline queue) so that reads never wait on it;
 * the client keeps reconnecting in the background and says so once each way.
 */
export function createRedis(url: string, log: Logger, name = 'redis'): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn(`${name} is unreachable at ${redactUrl(url)}; retrying in the background`, { error: error.message });
  });
  redis.on('ready', () => {
    if (down) log.info(`${name} is reachable again`);
    down = false;
  });
  redis.connect().catch(() => {});
  return redis;
}

export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return await within(
      redis.ping().then((answer) => answer === 'PONG'),
      timeoutMs,
      () => false,
    );
  } catch {
    return false;
  }
}
