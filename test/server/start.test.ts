import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer } from '../support/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const db = useTestDatabase();

describe('a start with bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /^asset360: PORT must be an integer from 0 to 65535 \(got "eighty"\)\n$/],
    [{ DATABASE_URL: 'postgres://u:topsecret@127.0.0.1:1/x', AUTH_MODE: 'on' }, /^asset360: JWT_SECRET must be set/],
    [{ NODE_ENV: 'production', AUTH_MODE: 'off' }, /^asset360: AUTH_MODE must be on when NODE_ENV=production/],
    [{ NODE_ENV: 'production', AUTH_MODE: 'off', JWT_SECRET: 'x'.repeat(32) }, /^asset360: AUTH_MODE must be on when NODE_ENV=production/],
    [{ NODE_ENV: 'production' }, /^asset360: JWT_SECRET must be set \(at least 32 bytes\) when AUTH_MODE=on/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'topsecret' }, /^asset360: JWT_SECRET must be a secret of at least 32 bytes/],
    [{ MAX_QUERY_DEPTH: 'deep' }, /^asset360: MAX_QUERY_DEPTH must be an integer from 2 to 100 \(got "deep"\)\n$/],
  ])('stops with one line naming the variable: %j', (env, message) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr + result.stdout).not.toContain('topsecret');
  });
});

describe('operation log', () => {
  it('logs every operation once with request id, operation name, duration and outcome', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = winston.createLogger({
      level: 'info',
      format: winston.format.json(),
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write(chunk, _encoding, done) {
              lines.push(JSON.parse(String(chunk)));
              done();
            },
          }),
        }),
      ],
    });
    const server = await startTestServer(db.sql, {}, log);
    try {
      await graphql(
        server.url,
        `
          query FindAsset {
            asset(id: "1") {
              id
            }
          }
        `,
        {},
        { 'x-request-id': 'req-42' },
      );
      await graphql(
        server.url,
        `
          query Broken {
            asset(id: "nope") {
              id
            }
          }
        `,
      );
      const operations = lines.filter((line) => line.message === 'graphql operation');
      expect(operations).toHaveLength(2);
      expect(operations[0]).toMatchObject({ requestId: 'req-42', operationName: 'FindAsset', outcome: 'ok' });
      expect(operations[0]!.durationMs).toEqual(expect.any(Number));
      expect(operations[1]).toMatchObject({ operationName: 'Broken', outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
      expect(operations[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.close();
    }
  });
});
