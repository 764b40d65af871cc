import { Redis } from 'ioredis';
import { redactUrl } from '../lib/redact.js';
import { within } from '../lib/timeout.js';
import type { Logger } from './logger.js';

const RECONNECT = { connectTimeout: 2_000, retryStrategy: (attempt: number) => Math.min(attempt * 250, 5_000) };

/** Says once that Redis went away and once that it came back, however many retries lie between. */
function reportAvailability(redis: Redis, say: { down(error: Error): void; back(): void }): Redis {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    say.down(error);
  });
  redis.on('ready', () => {
    if (down) say.back();
    down = false;
  });
  return redis;
}

/**
 * Commands fail fast while Redis is down (no offline queue) so that reads never wait on it;
 * the client keeps reconnecting in the background and says so once each way.
 */
export function createRedis(url: string, log: Logger, name = 'redis'): Redis {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, ...RECONNECT });
  reportAvailability(redis, {
    down: (error) => log.warn(`${name} is unreachable at ${redactUrl(url)}; retrying in the background`, { error: error.message }),
    back: () => log.info(`${name} is reachable again`),
  });
  redis.connect().catch(() => {});
  return redis;
}

/**
 * Unlike the server's fail-fast client, a worker's commands wait for Redis to come back
 * (BullMQ requires maxRetriesPerRequest: null for workers): a worker has nobody to answer quickly.
 * `announce` is false for a worker inside the server, whose own client already says Redis is down.
 */
export function createWorkerRedis(url: string, log: Logger, announce = true): Redis {
  const say = announce ? log.warn.bind(log) : log.debug.bind(log);
  return reportAvailability(new Redis(url, { maxRetriesPerRequest: null, ...RECONNECT }), {
    down: (error) => say(`rebuild worker: Redis is unreachable at ${redactUrl(url)}; waiting for it`, { error: error.message }),
    back: () => log.info('rebuild worker: Redis is reachable again'),
  });
}

/** An error of ioredis or of a socket that means the connection, not the command, failed. */
export function isRedisConnectionError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /connection is closed|enableOfflineQueue|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|getaddrinfo|Stream isn't writeable/i.test(
    message,
  );
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
