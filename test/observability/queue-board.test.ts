import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useRedisPrefix } from '../support/redis.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, signedToken, tokenFor } from '../security/support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('board');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(db.sql, { ...AUTH_ON, QUEUE_PREFIX: prefix });
});
afterAll(() => server?.close());

const board = (path = '') => new URL(`/admin/queues${path}`, server.url).href;
const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

describe('the queue board at /admin/queues', () => {
  it('answers 401 without a token, or with one that expired or is forged', async () => {
    expect((await fetch(board('/api/queues'), { headers: { accept: 'application/json' } })).status).toBe(401);
    const expired = await signedToken({ role: 'ADMIN' }, Math.floor(Date.now() / 1000) - 60);
    expect((await fetch(board('/api/queues'), withToken(expired))).status).toBe(401);
    const forged = await signedToken({ role: 'ADMIN' }, '10m', 'another-secret-of-at-least-32-bytes!!');
    expect((await fetch(board('/api/queues'), withToken(forged))).status).toBe(401);
  });

  it('answers 403 to a VIEWER and an ANALYST', async () => {
    for (const role of ['VIEWER', 'ANALYST'] as const) {
      const response = await fetch(board(), withToken(await tokenFor(role)));
      expect(response.status, role).toBe(403);
      expect(await response.text()).toMatch(new RegExp(`needs the OPERATOR role or above; your token has ${role}`));
    }
  });

  it('shows OPERATOR and ADMIN every queue asset360 runs', async () => {
    for (const role of ['OPERATOR', 'ADMIN'] as const) {
      const page = await fetch(board(), { headers: { authorization: `Bearer ${await tokenFor(role)}` } });
      expect(page.status, role).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      const api = await fetch(board('/api/queues'), withToken(await tokenFor(role)));
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: Array<{ name: string }> };
      expect(queues.map((queue) => queue.name).sort()).toEqual(['asset360-rebuild', 'asset360-rebuild-rebalance', 'asset360-rebuild-risk']);
    }
  });

  it('lets a browser sign in once: a short-lived HttpOnly cookie for OPERATOR and above only', async () => {
    const page = await fetch(board(), { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/queues/login');
    const form = await fetch(board('/login'));
    expect(await form.text()).toMatch(/<form method="post" action="\/admin\/queues\/login">/);

    const login = (token: string) =>
      fetch(board('/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
        redirect: 'manual',
      });
    const refused = await login(await tokenFor('VIEWER'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await login('not-a-token')).status).toBe(401);

    const accepted = await login(await tokenFor('OPERATOR'));
    expect(accepted.status).toBe(303);
    const cookie = accepted.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^asset360_board=[^;]+; Max-Age=(\d+); Path=\/admin\/queues; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeLessThanOrEqual(15 * 60);
    const api = await fetch(board('/api/queues'), { headers: { cookie: cookie.split(';')[0]!, accept: 'application/json' } });
    expect(api.status).toBe(200);
  });
});
