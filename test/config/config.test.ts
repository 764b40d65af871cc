import { describe, expect, it } from 'vitest';
import { checkServerConfig, ConfigError, loadConfig } from '../../src/config.js';
import { redactUrl } from '../../src/lib/redact.js';

const SECRET = 'x'.repeat(32);

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for the embedded demo', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      port: 4000,
      nodeEnv: 'development',
      logLevel: 'info',
      authMode: 'off',
    });
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('turns auth on by default when a DATABASE_URL is given', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', JWT_SECRET: SECRET }).authMode).toBe('on');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, 'PORT', /PORT must be an integer/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /LOG_LEVEL must be one of error, warn, info, debug/],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', /NODE_ENV must be one of development, production, test/],
    [{ AUTH_MODE: 'maybe' }, 'AUTH_MODE', /AUTH_MODE must be one of on, off/],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL', /DATABASE_URL must be a URL starting with postgres: or postgresql:/],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL', /REDIS_URL must be a URL starting with redis:/],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET', /at least 32 bytes/],
    [{ NODE_ENV: 'production', AUTH_MODE: 'off', DATABASE_URL: 'postgres://db/x' }, 'AUTH_MODE', /on when NODE_ENV=production/],
    [
      { REBUILD_CRON: 'every day' },
      'REBUILD_CRON',
      /^REBUILD_CRON must be a cron pattern such as "\*\/15 \* \* \* \*".*\(got "every day"\)$/,
    ],
    [{ REBUILD_CRON: '61 * * * *' }, 'REBUILD_CRON', /REBUILD_CRON must be a cron pattern.*got value 61 expected range 0-59/],
    [{ REBUILD_CRON: '0 0 30 2 *' }, 'REBUILD_CRON', /REBUILD_CRON must be a cron pattern.*day of month.*\(got "0 0 30 2 \*"\)/],
    [{ REBUILD_CRON: '* * * * * * *' }, 'REBUILD_CRON', /too many fields/],
    [
      { REBUILD_TZ: 'Mars/Olympus_Mons' },
      'REBUILD_TZ',
      /^REBUILD_TZ must be an IANA time zone such as UTC or Europe\/Oslo \(got "Mars\/Olympus_Mons"\)$/,
    ],
    [{ QUEUE_NAME: 'a:b' }, 'QUEUE_NAME', /QUEUE_NAME must be 1 to 64 letters, digits, _ \. or -/],
    [{ QUEUE_PREFIX: 'has space' }, 'QUEUE_PREFIX', /QUEUE_PREFIX must be 1 to 100 letters/],
    [{ WORKER: 'both' }, 'WORKER', /WORKER must be one of inline, off/],
    [{ WORKER_SHUTDOWN_TIMEOUT_MS: '-1' }, 'WORKER_SHUTDOWN_TIMEOUT_MS', /an integer from 0 to 600000/],
    [{ NODE_ENV: 'production', AUTH_MODE: 'off', JWT_SECRET: SECRET }, 'AUTH_MODE', /on when NODE_ENV=production/],
    [{ JWT_SECRET: 'é'.repeat(15) }, 'JWT_SECRET', /at least 32 bytes/],
    [{ INTROSPECTION: 'yes' }, 'INTROSPECTION', /INTROSPECTION must be one of on, off/],
    [{ MAX_QUERY_DEPTH: '1' }, 'MAX_QUERY_DEPTH', /an integer from 2 to 100/],
    [{ MAX_QUERY_COMPLEXITY: '1e4' }, 'MAX_QUERY_COMPLEXITY', /an integer from 10 to 10000000/],
    [{ MAX_QUERY_TOKENS: '50' }, 'MAX_QUERY_TOKENS', /an integer from 100 to 1000000/],
    [{ MAX_BODY_BYTES: '1mb' }, 'MAX_BODY_BYTES', /an integer from 1024 to 104857600/],
    [{ STATEMENT_TIMEOUT_MS: '0' }, 'STATEMENT_TIMEOUT_MS', /an integer from 1 to 3600000/],
    [{ RATE_LIMIT_REQUESTS: '0' }, 'RATE_LIMIT_REQUESTS', /an integer from 1 to 1000000/],
    [{ RATE_LIMIT_WINDOW_SECONDS: '-5' }, 'RATE_LIMIT_WINDOW_SECONDS', /an integer from 1 to 86400/],
    [{ RATE_LIMIT_PREFIX: 'a b' }, 'RATE_LIMIT_PREFIX', /RATE_LIMIT_PREFIX must be 1 to 100 letters/],
  ])('rejects %j naming %s', (env, variable, message) => {
    const error = errorOf(() => loadConfig(env));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes a secret or a password in its message', () => {
    expect(errorOf(() => loadConfig({ JWT_SECRET: 'hunter2' })).message).not.toContain('hunter2');
    expect(errorOf(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).message).not.toContain('hunter2');
  });

  it('refuses to serve with auth on and no secret, but lets scripts run', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/x' });
    expect(config.authMode).toBe('on');
    expect(errorOf(() => checkServerConfig(config)).variable).toBe('JWT_SECRET');
    expect(checkServerConfig(loadConfig({ DATABASE_URL: 'postgres://db/x', AUTH_MODE: 'off' })).authMode).toBe('off');
  });

  it('schedules rebuilds every 15 minutes in UTC, with an inline worker only for the embedded start', () => {
    expect(loadConfig({}).rebuild).toEqual({
      cron: '*/15 * * * *',
      tz: 'UTC',
      queueName: 'asset360-rebuild',
      queuePrefix: 'asset360',
      worker: 'inline',
      workerShutdownTimeoutMs: 8_000,
      riskCron: '0 22 * * 1-5',
      riskTz: 'UTC',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).rebuild.worker).toBe('off');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', WORKER: 'inline' }).rebuild.worker).toBe('inline');
  });

  it('reads the risk schedule and names the variable at fault', () => {
    expect(loadConfig({ RISK_CRON: '30 21 * * MON-FRI', RISK_TZ: 'Europe/Oslo' }).rebuild).toMatchObject({
      riskCron: '30 21 * * MON-FRI',
      riskTz: 'Europe/Oslo',
    });
    expect(() => loadConfig({ RISK_CRON: '61 * * * *' })).toThrow(/^RISK_CRON must be a cron pattern/);
    expect(() => loadConfig({ RISK_TZ: 'Mars/Olympus' })).toThrow(/^RISK_TZ must be an IANA time zone/);
  });

  it('accepts cron patterns with seconds, names and time zones BullMQ can schedule', () => {
    const config = loadConfig({ REBUILD_CRON: '*/5 * * * * *', REBUILD_TZ: 'Europe/Oslo', QUEUE_PREFIX: 'asset360-test:jobs:1a2b' });
    expect(config.rebuild).toMatchObject({ cron: '*/5 * * * * *', tz: 'Europe/Oslo', queuePrefix: 'asset360-test:jobs:1a2b' });
    expect(loadConfig({ REBUILD_CRON: '0 6 * * MON-FRI' }).rebuild.cron).toBe('0 6 * * MON-FRI');
  });

  it('limits every request by default, and rate-limits each token to 600 requests a minute', () => {
    expect(loadConfig({}).limits).toEqual({
      maxDepth: 12,
      maxComplexity: 10_000,
      maxTokens: 5_000,
      maxBodyBytes: 1_048_576,
      statementTimeoutMs: 5_000,
      databaseWaitTimeoutMs: 1_000,
    });
    expect(loadConfig({}).rateLimit).toEqual({ requests: 600, windowSeconds: 60, keyPrefix: 'asset360:rate-limit' });
    const tuned = loadConfig({ MAX_QUERY_DEPTH: '8', MAX_QUERY_COMPLEXITY: '2000', STATEMENT_TIMEOUT_MS: '250', RATE_LIMIT_REQUESTS: '5' });
    expect(tuned.limits).toMatchObject({ maxDepth: 8, maxComplexity: 2_000, statementTimeoutMs: 250 });
    expect(tuned.rateLimit.requests).toBe(5);
  });

  it('turns introspection off in production unless INTROSPECTION=on', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET };
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: 'on' }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'off' }).introspection).toBe(false);
  });

  it('serves production only with auth on and a secret of 32 bytes or more', () => {
    expect(errorOf(() => checkServerConfig(loadConfig({ NODE_ENV: 'production' }))).variable).toBe('JWT_SECRET');
    expect(checkServerConfig(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET })).authMode).toBe('on');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://me:secret@host:5432/db')).toBe('postgres://me:***@host:5432/db');
    expect(redactUrl('postgres://host/db')).toBe('postgres://host/db');
  });
});
