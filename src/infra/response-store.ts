import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { within } from '../lib/timeout.js';

export interface ResponseStoreOptions {
  keyPrefix: string;
  maxEntryBytes: number;
  memoryBytes: number;
  ttlSeconds: number;
}

/** Where a hit came from: this process's memory, or Redis (shared by every process). */
export type Tier = 'memory' | 'redis';

/** A response's data as JSON text: what a hit writes out as it is, and what Redis holds. */
interface Entry {
  json: string;
  bytes: number;
}

/** How long a hit may wait for Redis before the request runs uncached instead. */
const REDIS_WAIT_MS = 100;

/**
 * The cached responses: a bounded LRU in this process in front of Redis. Keys are final (they carry
 * the data versions), so entries are never updated or invalidated, only evicted. Redis being down
 * or slow makes a lookup miss and a store a no-op: nothing waits on it for long, nothing fails.
 */
export class ResponseStore {
  private readonly memory: LRUCache<string, Entry> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: ResponseStoreOptions,
  ) {
    this.memory =
      options.memoryBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: options.memoryBytes,
            maxEntrySize: Math.min(options.maxEntryBytes, options.memoryBytes),
            sizeCalculation: (entry) => Math.max(1, entry.bytes),
          })
        : undefined;
  }

  /** Bytes of JSON the LRU holds now. */
  get memoryBytes(): number {
    return this.memory?.calculatedSize ?? 0;
  }

  async get(key: string): Promise<{ json: string; tier: Tier } | undefined> {
    const local = this.memory?.get(key);
    if (local) return { json: local.json, tier: 'memory' };
    if (this.redis.status !== 'ready') return undefined;
    let json: string | null | undefined;
    try {
      json = await within(this.redis.get(this.redisKey(key)), REDIS_WAIT_MS, () => undefined);
    } catch {
      return undefined;
    }
    if (!json) return undefined;
    this.memory?.set(key, { json, bytes: Buffer.byteLength(json) });
    return { json, tier: 'redis' };
  }

  /** False when the entry is too large to keep. */
  set(key: string, json: string): boolean {
    const bytes = Buffer.byteLength(json);
    if (bytes > this.options.maxEntryBytes) return false;
    this.memory?.set(key, { json, bytes });
    if (this.redis.status === 'ready') {
      // Fire and forget: the response is on its way already, and a lost store only costs a miss.
      this.redis.set(this.redisKey(key), json, 'EX', this.options.ttlSeconds).catch(() => {});
    }
    return true;
  }

  private redisKey(key: string): string {
    return `${this.options.keyPrefix}:${key}`;
  }
}
