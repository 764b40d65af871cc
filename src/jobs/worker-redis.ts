import { Redis } from 'ioredis';
import { redactUrl } from '../lib/redact.js';
import type { Logger } from '../infra/logger.js';

/**
 * Unlike the server's fail-fast client, a worker's commands wait for Redis to come back
 * (BullMQ requires maxRetriesPerRequest: null for workers): a worker has nobody to answer quickly.
 * `announce` is false for a worker inside the server, whose own client already says Redis is down.
 */
export function createWorkerRedis(url: string, log: Logger, announce = true): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
  const say = announce ? log.warn.bind(log) : log.debug.bind(log);
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    say(`rebuild worker: Redis is unreachable at ${redactUrl(url)}; waiting for it`, { error: error.message });
  });
  redis.on('ready', () => {
    if (down) log.info('rebuild worker: Redis is reachable again');
    down = false;
  });
  return redis;
}
