import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer, countingSql, expectClientError, SECRET, signedToken } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const db = useTestDatabase();
const QUERY = '{ portfolios { totalCount } }';

let server: TestServer;
let counted: Awaited<ReturnType<typeof countingSql>>;

beforeAll(async () => {
  await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Mine'), (2, 'Theirs')`;
  counted = await countingSql(db.url);
  server = await startTestServer(counted.sql, AUTH_ON);
});

afterAll(async () => {
  await server?.close();
  await counted?.sql.end();
});

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const BAD_TOKENS: Array<[string, () => Promise<string | undefined>]> = [
  ['no Authorization header', async () => undefined],
  ['another scheme', async () => 'Basic dXNlcjpwYXNz'],
  ['Bearer without a token', async () => 'Bearer '],
  ['a malformed token', async () => 'Bearer not.a.jwt'],
  ['a token of garbage', async () => `Bearer ${'x'.repeat(400)}`],
  ['an expired token', async () => `Bearer ${await signedToken({ role: 'ADMIN' }, Math.floor(Date.now() / 1000) - 60)}`],
  [
    'a token signed with another secret',
    async () => `Bearer ${await signedToken({ role: 'ADMIN' }, '10m', 'another-secret-of-at-least-32-bytes!!')}`,
  ],
  [
    'an unsigned token (alg none)',
    async () => `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 600 })}.`,
  ],
  [
    'a token signed with HS512',
    async () => {
      const { SignJWT } = await import('jose');
      return `Bearer ${await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS512' }).setExpirationTime('10m').sign(new TextEncoder().encode(SECRET))}`;
    },
  ],
  [
    'a token without an expiry',
    async () => {
      const { SignJWT } = await import('jose');
      return `Bearer ${await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET))}`;
    },
  ],
  [
    'a token whose signature was tampered with',
    async () => `Bearer ${(await signedToken({ role: 'VIEWER', portfolios: ['1'] })).slice(0, -2)}xx`,
  ],
  [
    'a token whose payload was swapped',
    async () => {
      const [header, , signature] = (await signedToken({ role: 'VIEWER', portfolios: ['1'] })).split('.');
      return `Bearer ${header}.${encode({ role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
    },
  ],
  ['no role', async () => `Bearer ${await signedToken({ portfolios: ['1'] })}`],
  ['an unknown role', async () => `Bearer ${await signedToken({ role: 'SUPERUSER' })}`],
  ['a role in lower case', async () => `Bearer ${await signedToken({ role: 'admin' })}`],
  ['a VIEWER without portfolios', async () => `Bearer ${await signedToken({ role: 'VIEWER' })}`],
  ['a VIEWER with an empty portfolio list', async () => `Bearer ${await signedToken({ role: 'VIEWER', portfolios: [] })}`],
  ['a VIEWER with a portfolio that is no id', async () => `Bearer ${await signedToken({ role: 'VIEWER', portfolios: ['1', '2 or 1=1'] })}`],
  ['a VIEWER with portfolios that are no list', async () => `Bearer ${await signedToken({ role: 'VIEWER', portfolios: '1,2' })}`],
];

describe('a request without a valid token', () => {
  it.each(BAD_TOKENS)('is refused with 401 UNAUTHENTICATED before any SQL: %s', async (_kind, authorization) => {
    const header = await authorization();
    const before = counted.statements.length;
    const response = await graphql(server.url, QUERY, {}, header === undefined ? {} : { authorization: header });
    expectClientError(response, 'UNAUTHENTICATED', 401);
    expect(response.data).toBeUndefined();
    expect(counted.statements.length).toBe(before);
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { authorization: header }) },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(raw.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('says why, without echoing the token', async () => {
    const expired = await signedToken({ role: 'ADMIN' }, Math.floor(Date.now() / 1000) - 60);
    const response = await graphql(server.url, QUERY, {}, { authorization: `Bearer ${expired}` });
    expect(response.errors?.[0]?.message).toBe('the token has expired');
    expect(JSON.stringify(response)).not.toContain(expired);
  });
});

describe('a token that expires between two requests', () => {
  it('is served before and refused after, although the server remembers tokens it has verified', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = `Bearer ${await signedToken({ role: 'ADMIN' }, expiresAt)}`;
    expect((await graphql(server.url, QUERY, {}, { authorization: token })).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    const late = await graphql(server.url, QUERY, {}, { authorization: token });
    expect(late.status).toBe(401);
    expect(late.errors?.[0]?.message).toBe('the token has expired');
  });
});

describe('a valid token', () => {
  it('is served, whatever its role', async () => {
    for (const role of ['VIEWER', 'ANALYST', 'OPERATOR', 'ADMIN'] as const) {
      const response = await graphql(server.url, QUERY, {}, await bearer(role));
      expect(response.errors, role).toBeUndefined();
      expect(response.data).toEqual({ portfolios: { totalCount: role === 'VIEWER' ? 1 : 2 } });
    }
  });
});

describe('npm run token', () => {
  function token(args: string[], env: Record<string, string> = { JWT_SECRET: SECRET, DATABASE_URL: db.url }) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('mints tokens the server accepts, a VIEWER one scoped to its portfolios, each recorded in the audit log', async () => {
    const [{ before }] = await db.sql<[{ before: string }]>`select coalesce(max(seq), 0)::text as before from audit_log`;
    const viewer = token(['--role', 'VIEWER', '--portfolios', '2', '--ttl', '5m', '--sub', 'alice']);
    expect(viewer.status, viewer.stderr).toBe(0);
    const entries = await db.sql`
      select actor_subject, actor_role, action, entity, entity_id, payload from audit_log where seq > ${before}::bigint order by seq`;
    expect(entries).toEqual([
      {
        actor_subject: 'system:token-cli',
        actor_role: null,
        action: 'token.minted',
        entity: 'token',
        entity_id: 'alice',
        payload: expect.objectContaining({
          subject: 'alice',
          role: 'VIEWER',
          portfolios: ['2'],
          token_sha256: createHash('sha256').update(viewer.stdout.trim()).digest('hex'),
        }),
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain(viewer.stdout.trim());
    expect(viewer.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const seen = await graphql(
      server.url,
      '{ portfolios { edges { node { id } } } }',
      {},
      { authorization: `Bearer ${viewer.stdout.trim()}` },
    );
    expect(seen.data).toEqual({ portfolios: { edges: [{ node: { id: '2' } }] } });

    const analyst = token(['--role', 'ANALYST']);
    expect(analyst.status, analyst.stderr).toBe(0);
    expect((await graphql(server.url, QUERY, {}, { authorization: `Bearer ${analyst.stdout.trim()}` })).data).toEqual({
      portfolios: { totalCount: 2 },
    });
  });

  it.each([
    [['--role', 'ROOT'], 2, /--role must be one of VIEWER, ANALYST, OPERATOR, ADMIN/],
    [['--role', 'VIEWER'], 2, /a VIEWER token needs --portfolios/],
    [['--role', 'VIEWER', '--portfolios', '1,x'], 2, /a VIEWER token needs --portfolios/],
    [['--role', 'ANALYST', '--portfolios', '1'], 2, /--portfolios is for VIEWER tokens only/],
    [['--role', 'ADMIN', '--ttl', 'forever'], 2, /--ttl must be a number followed by s, m, h or d/],
    [['--role', 'ADMIN', '--what'], 2, /Unknown option '--what'/],
  ])('refuses %j with exit code %i', (args, status, message) => {
    const result = token(args);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('prints no token it could not record: without DATABASE_URL, or with the database unreachable', async () => {
    const [{ before }] = await db.sql<[{ before: number }]>`select count(*)::int as before from audit_log`;
    const unset = token(['--role', 'ADMIN'], { JWT_SECRET: SECRET });
    expect(unset).toMatchObject({ status: 1, stdout: '', stderr: expect.stringMatching(/^token: DATABASE_URL is not set/) });
    const down = token(['--role', 'ADMIN'], { JWT_SECRET: SECRET, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(down).toMatchObject({ status: 1, stdout: '', stderr: expect.stringContaining('could not be recorded in the audit log') });
    const [{ after }] = await db.sql<[{ after: number }]>`select count(*)::int as after from audit_log`;
    expect(after).toBe(before);
  });

  it('refuses to run without a JWT_SECRET, or with one too short', () => {
    expect(token(['--role', 'ADMIN'], {}).stderr).toMatch(/^token: JWT_SECRET is not set/);
    const short = token(['--role', 'ADMIN'], { JWT_SECRET: 'short' });
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/JWT_SECRET must be a secret of at least 32 bytes/);
    expect(short.stderr).not.toContain('short"');
  });
});
