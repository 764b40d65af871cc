import { describe, expect, it } from 'vitest';
import { checkServerConfig, ConfigError, loadConfig, redactUrl } from '../../src/config.js';

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

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://me:secret@host:5432/db')).toBe('postgres://me:***@host:5432/db');
    expect(redactUrl('postgres://host/db')).toBe('postgres://host/db');
  });
});
