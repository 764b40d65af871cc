import path from 'node:path';
import { redactUrl } from './lib/redact.js';
import { PATTERN_HINT, scheduleProblem, TZ_HINT } from './lib/schedule.js';

export type NodeEnv = 'development' | 'production' | 'test';
export type AuthMode = 'on' | 'off';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type WorkerMode = 'inline' | 'off';

export interface RebuildConfig {
  /** The schedule a worker installs when Redis has none, or has one it installed itself from config. */
  cron: string;
  tz: string;
  queueName: string;
  queuePrefix: string;
  /** inline: the server process also runs a rebuild worker; off: only `npm run worker` processes build. */
  worker: WorkerMode;
  workerShutdownTimeoutMs: number;
  /** The risk engine's schedule (RISK_CRON, RISK_TZ), installed by workers like the rebuild's. */
  riskCron: string;
  riskTz: string;
}

/** What one request may cost; each is refused before any SQL runs, except the statement timeout. */
export interface LimitsConfig {
  maxDepth: number;
  maxComplexity: number;
  maxTokens: number;
  maxBodyBytes: number;
  /** Per statement of the API pool only: builds and migrations take longer. */
  statementTimeoutMs: number;
  /**
   * How long a statement of the API pool waits for a connection (a new one included) before the
   * field fails with UNAVAILABLE; builds and migrations wait as long as they need.
   */
  databaseWaitTimeoutMs: number;
}

export interface RateLimitConfig {
  /** Requests per token (or per IP address without one) in each window. */
  requests: number;
  windowSeconds: number;
  /** Redis key prefix of the counters. */
  keyPrefix: string;
}

/** What operators scrape: Prometheus metrics on the main port (with a token) and on a local port. */
export interface MetricsConfig {
  /** GET /metrics on the main port needs it as a Bearer token; unset: no /metrics there. */
  token: string | undefined;
  /** A port bound to 127.0.0.1 serving /metrics without a token; unset: none. 0 picks a free one. */
  port: number | undefined;
}

/** The response cache of queries (docs/cache.md). */
export interface ResponseCacheConfig {
  enabled: boolean;
  /** Redis key prefix of the entries; the database's identity follows it. */
  keyPrefix: string;
  /** A response larger than this (its JSON, in bytes) is not cached. */
  maxEntryBytes: number;
  /** What the in-process LRU in front of Redis may hold, in bytes of JSON. */
  memoryBytes: number;
  /** How long Redis keeps an entry nobody reads; entries never go stale, this only frees Redis. */
  ttlSeconds: number;
}

/** Live subscriptions over graphql-ws, per server process. */
export interface SubscriptionsConfig {
  maxConnections: number;
  perConnection: number;
}

export interface Config {
  /** Absent when the server should run on an embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  redisUrl: string;
  port: number;
  logLevel: LogLevel;
  nodeEnv: NodeEnv;
  dataDir: string;
  authMode: AuthMode;
  jwtSecret: string | undefined;
  demo: { assets: number; days: number; portfolios: number; seed: number };
  rebuild: RebuildConfig;
  /** Off by default in production, where the schema is not advertised. */
  introspection: boolean;
  limits: LimitsConfig;
  rateLimit: RateLimitConfig;
  metrics: MetricsConfig;
  subscriptions: SubscriptionsConfig;
  responseCache: ResponseCacheConfig;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(`${variable} must be ${expected}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

function integer(env: Env, name: string, min: number, max: number, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, value);
  }
  return parsed;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, redactUrl(value));
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, redactUrl(value));
  }
  return value;
}

function matching(env: Env, name: string, shape: RegExp, expected: string, fallback: string): string {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!shape.test(value)) throw new ConfigError(name, expected, value);
  return value;
}

function rebuild(env: Env, embedded: boolean): RebuildConfig {
  const cron = read(env, 'REBUILD_CRON') ?? '*/15 * * * *';
  const tz = read(env, 'REBUILD_TZ') ?? 'UTC';
  const problem = scheduleProblem({ pattern: cron, tz });
  if (problem?.field === 'tz') throw new ConfigError('REBUILD_TZ', TZ_HINT, tz);
  if (problem) throw new ConfigError('REBUILD_CRON', `${PATTERN_HINT}: ${problem.reason}`, cron);
  const riskCron = read(env, 'RISK_CRON') ?? '0 22 * * 1-5';
  const riskTz = read(env, 'RISK_TZ') ?? 'UTC';
  const riskProblem = scheduleProblem({ pattern: riskCron, tz: riskTz });
  if (riskProblem?.field === 'tz') throw new ConfigError('RISK_TZ', TZ_HINT, riskTz);
  if (riskProblem) throw new ConfigError('RISK_CRON', `${PATTERN_HINT}: ${riskProblem.reason}`, riskCron);
  return {
    cron,
    tz,
    riskCron,
    riskTz,
    // BullMQ refuses ':' in a queue name; the prefix may hold it (it is a Redis key prefix).
    queueName: matching(env, 'QUEUE_NAME', /^[\w.-]{1,64}$/, '1 to 64 letters, digits, _ . or -', 'asset360-rebuild'),
    queuePrefix: matching(env, 'QUEUE_PREFIX', /^[\w.:-]{1,100}$/, '1 to 100 letters, digits, _ . : or -', 'asset360'),
    worker: oneOf(env, 'WORKER', ['inline', 'off'], embedded ? 'inline' : 'off'),
    workerShutdownTimeoutMs: integer(env, 'WORKER_SHUTDOWN_TIMEOUT_MS', 0, 600_000, 8_000),
  };
}

function limits(env: Env): LimitsConfig {
  return {
    maxDepth: integer(env, 'MAX_QUERY_DEPTH', 2, 100, 12),
    maxComplexity: integer(env, 'MAX_QUERY_COMPLEXITY', 10, 10_000_000, 10_000),
    maxTokens: integer(env, 'MAX_QUERY_TOKENS', 100, 1_000_000, 5_000),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1_024, 100 * 1024 * 1024, 1024 * 1024),
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 1, 3_600_000, 5_000),
    databaseWaitTimeoutMs: integer(env, 'DATABASE_WAIT_TIMEOUT_MS', 50, 60_000, 1_000),
  };
}

function rateLimit(env: Env): RateLimitConfig {
  return {
    requests: integer(env, 'RATE_LIMIT_REQUESTS', 1, 1_000_000, 600),
    windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 1, 86_400, 60),
    keyPrefix: matching(env, 'RATE_LIMIT_PREFIX', /^[\w.:-]{1,100}$/, '1 to 100 letters, digits, _ . : or -', 'asset360:rate-limit'),
  };
}

function metrics(env: Env): MetricsConfig {
  const token = read(env, 'METRICS_TOKEN');
  if (token !== undefined && Buffer.byteLength(token) < 16)
    throw new ConfigError('METRICS_TOKEN', 'a token of at least 16 bytes', '<hidden>');
  const port = read(env, 'METRICS_PORT') === undefined ? undefined : integer(env, 'METRICS_PORT', 0, 65535, 0);
  return { token, port };
}

function subscriptions(env: Env): SubscriptionsConfig {
  return {
    maxConnections: integer(env, 'SUBSCRIPTIONS_MAX_CONNECTIONS', 1, 100_000, 1_000),
    perConnection: integer(env, 'SUBSCRIPTIONS_PER_CONNECTION', 1, 1_000, 20),
  };
}

function responseCache(env: Env): ResponseCacheConfig {
  return {
    enabled: oneOf(env, 'RESPONSE_CACHE', ['on', 'off'], 'on') === 'on',
    keyPrefix: matching(env, 'RESPONSE_CACHE_PREFIX', /^[\w.:-]{1,100}$/, '1 to 100 letters, digits, _ . : or -', 'asset360:response'),
    maxEntryBytes: integer(env, 'RESPONSE_CACHE_MAX_ENTRY_BYTES', 1_024, 64 * 1024 * 1024, 1024 * 1024),
    memoryBytes: integer(env, 'RESPONSE_CACHE_MEMORY_BYTES', 0, 16 * 1024 * 1024 * 1024, 64 * 1024 * 1024),
    ttlSeconds: integer(env, 'RESPONSE_CACHE_TTL_SECONDS', 1, 30 * 86_400, 86_400),
  };
}

/** A URL safe to print: any password is replaced by ***. */
export function loadConfig(env: Env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const embedded = databaseUrl === undefined;
  const authMode = oneOf(env, 'AUTH_MODE', ['on', 'off'], embedded && nodeEnv !== 'production' ? 'off' : 'on');
  const jwtSecret = read(env, 'JWT_SECRET');

  if (nodeEnv === 'production' && authMode === 'off') {
    throw new ConfigError('AUTH_MODE', 'on when NODE_ENV=production (a production server never runs without auth)', 'off');
  }
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('JWT_SECRET', 'a secret of at least 32 bytes', '<hidden>');
  }

  return {
    databaseUrl,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? 'redis://127.0.0.1:6379',
    port: integer(env, 'PORT', 0, 65535, 4000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'info', 'debug'], nodeEnv === 'test' ? 'warn' : 'info'),
    nodeEnv,
    dataDir: path.resolve(read(env, 'DATA_DIR') ?? './.data'),
    authMode,
    jwtSecret,
    demo: {
      assets: integer(env, 'DEMO_ASSETS', 1, 1_000_000, 500),
      days: integer(env, 'DEMO_DAYS', 2, 5_000, 504),
      portfolios: integer(env, 'DEMO_PORTFOLIOS', 1, 1_000, 8),
      seed: integer(env, 'DEMO_SEED', 0, 2 ** 31 - 1, 360),
    },
    rebuild: rebuild(env, embedded),
    introspection: oneOf(env, 'INTROSPECTION', ['on', 'off'], nodeEnv === 'production' ? 'off' : 'on') === 'on',
    limits: limits(env),
    rateLimit: rateLimit(env),
    metrics: metrics(env),
    subscriptions: subscriptions(env),
    responseCache: responseCache(env),
  };
}

/** What only a serving process needs: scripts such as migrate and seed run without a JWT secret. */
export function checkServerConfig(config: Config): Config {
  if (config.authMode === 'on' && config.jwtSecret === undefined) {
    throw new ConfigError(
      'JWT_SECRET',
      'set (at least 32 bytes) when AUTH_MODE=on; AUTH_MODE=off is allowed outside production',
      undefined,
    );
  }
  return config;
}
