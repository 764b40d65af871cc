import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useRedisPrefix } from '../support/redis.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer, expectClientError } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('rate-limit');
const QUERY = '{ portfolios { totalCount } }';
const LIMIT = { RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' };

let server: TestServer;

/** Until Redis answers the server: before that, requests are counted by the in-memory fallback. */
async function redisReady(url: string): Promise<void> {
  const readyz = url.replace(/\/graphql$/, '/readyz');
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await fetch(readyz)).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Redis did not become reachable from the server');
}

beforeAll(async () => {
  server = await startTestServer(db.sql, { ...AUTH_ON, ...LIMIT, RATE_LIMIT_PREFIX: `${prefix}:limit` });
  await redisReady(server.url);
});

afterAll(() => server?.close());

async function send(headers: Record<string, string>): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
}

describe('the rate limit per token', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a token has used its requests, and spares other tokens', async () => {
    const analyst = await bearer('ANALYST');
    for (let request = 0; request < 3; request++) expect((await graphql(server.url, QUERY, {}, analyst)).errors).toBeUndefined();
    const raw = await send(analyst);
    expect(raw.status).toBe(429);
    const retryAfter = Number(raw.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = { status: raw.status, ...((await raw.json()) as object) };
    expectClientError(body, 'RATE_LIMITED', 429);
    expect(body).toMatchObject({
      errors: [{ message: `too many requests: try again in ${retryAfter} s`, extensions: { retryAfterSeconds: retryAfter } }],
    });

    expect((await graphql(server.url, QUERY, {}, await bearer('OPERATOR'))).errors).toBeUndefined();
  });

  it('counts requests without a valid token by address, and refuses them 401 until the limit, then 429', async () => {
    const codes: unknown[] = [];
    for (let request = 0; request < 4; request++) {
      codes.push((await graphql(server.url, QUERY, {}, { authorization: 'Bearer nonsense' })).errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });

  it('shares the counters between servers through Redis', async () => {
    const other = await startTestServer(db.sql, { ...AUTH_ON, ...LIMIT, RATE_LIMIT_PREFIX: `${prefix}:limit` });
    try {
      await redisReady(other.url);
      const admin = await bearer('ADMIN');
      await graphql(server.url, QUERY, {}, admin);
      await graphql(server.url, QUERY, {}, admin);
      await graphql(other.url, QUERY, {}, admin);
      expectClientError(await graphql(other.url, QUERY, {}, admin), 'RATE_LIMITED', 429);
    } finally {
      await other.close();
    }
  });
});

describe('the rate limit while Redis is down', () => {
  it('keeps serving reads and keeps counting, in memory', async () => {
    const offline = await startTestServer(db.sql, { ...AUTH_ON, ...LIMIT, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const viewer = await bearer('VIEWER');
      for (let request = 0; request < 3; request++) {
        const response = await graphql(offline.url, QUERY, {}, viewer);
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ portfolios: { totalCount: 0 } });
      }
      expectClientError(await graphql(offline.url, QUERY, {}, viewer), 'RATE_LIMITED', 429);
    } finally {
      await offline.close();
    }
  });
});
