import { statementsSent } from './statements.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Which process exposes the metrics: every series carries it, so one dashboard can tell them apart. */
export type Component = 'server' | 'worker';

export type QueueState = 'waiting' | 'active' | 'delayed' | 'failed';
export const QUEUE_STATES: readonly QueueState[] = ['waiting', 'active', 'delayed', 'failed'];

/** A queue's job counts, read when Prometheus scrapes. */
export interface QueueCounts {
  queue: string;
  counts: Record<QueueState, number>;
  /** Workers connected to the queue, as Redis lists its clients. */
  workers?: number;
}

export interface PoolStats {
  /** Sessions of this pool's application name on this database, by pg_stat_activity's state. */
  connections: Record<string, number>;
  /** Of those, the sessions waiting for a lock. */
  lockWaits: number;
}

/** Readers called at scrape time; each is set by the layer that owns what it reads. */
interface Readers {
  queues?: () => Promise<QueueCounts[]>;
  secondsSinceLastBuild?: () => Promise<number | null>;
  pool?: () => Promise<PoolStats | null>;
  /** Callers waiting for a connection of the API pool now, and those refused after DATABASE_WAIT_TIMEOUT_MS so far. */
  poolQueue?: () => { queued: number; refused: number };
  workerUp?: () => boolean;
  /** Bytes of JSON the response cache's in-process LRU holds. */
  responseCacheBytes?: () => number;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SIZE_BUCKETS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
const BUILD_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Every series asset360 exposes, on a registry of its own per process (several servers may share
 * a process in tests; prom-client's global registry would refuse the second).
 */
export function createMetrics(component: Component) {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  const readers: Readers = {};
  const registers = [registry];

  const metrics = {
    registry,
    readers,
    graphqlDuration: new Histogram({
      name: 'asset360_graphql_operation_duration_seconds',
      help: 'GraphQL operations by name (at most a bounded set; the rest are "other", unnamed ones "anonymous"), type and outcome.',
      labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'asset360_graphql_errors_total',
      help: 'Errors in GraphQL responses, by extensions.code.',
      labelNames: ['code'] as const,
      registers,
    }),
    sqlStatements: new Counter({
      name: 'asset360_sql_statements_total',
      help: 'SQL statements the API pool sent to PostgreSQL; over asset360_graphql_operation_duration_seconds_count, the statements per operation.',
      registers,
      collect() {
        this.reset();
        this.inc(statementsSent());
      },
    }),
    httpRequests: new Counter({
      name: 'asset360_http_requests_total',
      help: 'HTTP requests by route, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpRequestSize: new Histogram({
      name: 'asset360_http_request_size_bytes',
      help: 'HTTP request bodies by route (Content-Length).',
      labelNames: ['route'] as const,
      buckets: SIZE_BUCKETS,
      registers,
    }),
    httpResponseSize: new Histogram({
      name: 'asset360_http_response_size_bytes',
      help: 'HTTP response bodies by route.',
      labelNames: ['route'] as const,
      buckets: SIZE_BUCKETS,
      registers,
    }),
    rateLimited: new Counter({
      name: 'asset360_rate_limit_refusals_total',
      help: 'Requests and subscription connections refused by the rate limit.',
      labelNames: ['transport'] as const,
      registers,
    }),
    subscriptionConnections: new Gauge({
      name: 'asset360_subscription_connections',
      help: 'Open graphql-ws connections on this process.',
      registers,
    }),
    subscriptionsActive: new Gauge({
      name: 'asset360_subscriptions_active',
      help: 'Running subscriptions on this process.',
      registers,
    }),
    subscriptionEvents: new Counter({
      name: 'asset360_subscription_events_total',
      help: 'Events received from Redis for subscribers, by event.',
      labelNames: ['event'] as const,
      registers,
    }),
    buildDuration: new Histogram({
      name: 'asset360_build_duration_seconds',
      help: 'asset_360 builds run by this process, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: BUILD_BUCKETS,
      registers,
    }),
    builds: new Counter({
      name: 'asset360_builds_total',
      help: 'asset_360 builds run by this process, by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    poolMax: new Gauge({
      name: 'asset360_pg_pool_max',
      help: "The API pool's maximum number of connections.",
      registers,
    }),
    responseCache: new Counter({
      name: 'asset360_response_cache_total',
      help: 'Queries by what the response cache did: HIT (from memory or redis), MISS (run, then stored), BYPASS (never cached).',
      labelNames: ['outcome', 'tier'] as const,
      registers,
    }),
    buildRows: new Gauge({
      name: 'asset360_build_rows',
      help: 'Rows the last successful build of this process published.',
      registers,
    }),
  };

  new Gauge({
    name: 'asset360_seconds_since_last_successful_build',
    help: 'Seconds since the newest succeeded build in asset_360_builds finished (whoever ran it); +Inf before the first.',
    registers,
    async collect() {
      // A failed read keeps the last value: it says nothing about the builds.
      const seconds = await readers.secondsSinceLastBuild?.().catch(() => undefined);
      if (seconds !== undefined) this.set(seconds ?? Number.POSITIVE_INFINITY);
    },
  });
  new Gauge({
    name: 'asset360_queue_jobs',
    help: 'Jobs of each queue by state; absent while Redis cannot be reached.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { queue, counts } of (await readers.queues?.().catch(() => [])) ?? []) {
        for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state]);
      }
    },
  });
  new Gauge({
    name: 'asset360_queue_workers',
    help: 'Workers connected to each queue.',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { queue, workers } of (await readers.queues?.().catch(() => [])) ?? []) {
        if (workers !== undefined) this.set({ queue }, workers);
      }
    },
  });
  new Gauge({
    name: 'asset360_response_cache_memory_bytes',
    help: "Bytes of JSON the response cache's in-process LRU holds (at most RESPONSE_CACHE_MEMORY_BYTES).",
    registers,
    collect() {
      this.set(readers.responseCacheBytes?.() ?? 0);
    },
  });
  new Gauge({
    name: 'asset360_worker_up',
    help: 'In a worker process: 1 while its worker runs and reaches Redis, else 0.',
    registers,
    collect() {
      if (readers.workerUp) this.set(readers.workerUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'asset360_pg_pool_connections',
    help: "Sessions of this process's pool's application name on its database, by state (pg_stat_activity).",
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      const stats = await readers.pool?.().catch(() => null);
      for (const [state, count] of Object.entries(stats?.connections ?? {})) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'asset360_pg_pool_queued',
    help: 'Statements waiting for a connection of the API pool (its gate, DATABASE_WAIT_TIMEOUT_MS).',
    registers,
    collect() {
      this.set(readers.poolQueue?.().queued ?? 0);
    },
  });
  new Counter({
    name: 'asset360_pg_pool_wait_timeouts_total',
    help: 'Statements refused UNAVAILABLE after waiting DATABASE_WAIT_TIMEOUT_MS for a connection of the API pool.',
    registers,
    collect() {
      this.reset();
      this.inc(readers.poolQueue?.().refused ?? 0);
    },
  });
  new Gauge({
    name: 'asset360_pg_pool_lock_waits',
    help: "Sessions of the pool's application name waiting for a lock.",
    registers,
    async collect() {
      const stats = await readers.pool?.().catch(() => null);
      if (stats) this.set(stats.lockWaits);
      else this.reset();
    },
  });
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
