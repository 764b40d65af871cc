import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';

export interface RateLimiter {
  /** Counts one request of the key: undefined when it may go on, else the seconds until it may. */
  take(key: string): Promise<number | undefined>;
}

/**
 * A fixed window of `requests` per `windowSeconds` for each key, counted in Redis so that every
 * server process shares it. While Redis is down each process counts in memory instead, so that
 * reads neither fail nor go unlimited.
 */
export function createRateLimiter(redis: Redis, config: RateLimitConfig): RateLimiter {
  const window = { points: config.requests, duration: config.windowSeconds };
  const limiter = new RateLimiterRedis({
    ...window,
    storeClient: redis,
    keyPrefix: config.keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...window, keyPrefix: config.keyPrefix }),
  });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    },
  };
}
