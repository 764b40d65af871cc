import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';

// How the page's files are served, over plain HTTP: in production too, under a policy that lets
// nothing inline or foreign run; only the named vendor files of node_modules are reachable.

const db = useTestDatabase();
const SECRET = 'web-serving-test-secret-of-32-bytes!!!';
let production: TestServer;
let development: TestServer;

beforeAll(async () => {
  production = await startTestServer(db.sql, { NODE_ENV: 'production', AUTH_MODE: 'on', JWT_SECRET: SECRET });
  development = await startTestServer(db.sql, { NODE_ENV: 'development' });
});

afterAll(async () => {
  await production?.close();
  await development?.close();
});

const get = (server: TestServer, path: string, headers: Record<string, string> = {}) =>
  fetch(`http://localhost:${server.port}${path}`, { headers, redirect: 'manual' });

describe('serving the dashboard', () => {
  it('serves the page at / in production, with a Content-Security-Policy that allows no inline script and no other origin', async () => {
    const response = await get(production, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/web/js/main.js"></script>');
    // No inline script or style in the page itself.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    const policy = response.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(policy.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'", `ws://localhost:${production.port}`, `wss://localhost:${production.port}`]);
    expect(policy).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves the modules, the stylesheet and the vendored uPlot and graphql-ws, and nothing else of node_modules', async () => {
    for (const [path, type] of [
      ['/web/js/main.js', /javascript/],
      ['/web/app.css', /text\/css/],
      ['/vendor/uplot/uPlot.esm.js', /javascript/],
      ['/vendor/uplot/uPlot.min.css', /text\/css/],
      ['/vendor/graphql-ws/client.js', /javascript/],
    ] as const) {
      const response = await get(production, path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
      expect(response.headers.get('content-security-policy'), path).toContain("script-src 'self'");
    }
    // The client's chunk, by the name its import gives.
    const client = await (await get(production, '/vendor/graphql-ws/client.js')).text();
    const chunk = client.match(/from '\.\/(common-[\w-]+\.js)'/)![1];
    expect((await get(production, `/vendor/graphql-ws/${chunk}`)).status).toBe(200);
    for (const path of [
      '/vendor/graphql-ws/server-zBhvXJ_Z.js',
      '/vendor/uplot/package.json',
      '/vendor/graphql/index.js',
      '/web/../package.json',
      '/web/%2e%2e/package.json',
    ]) {
      expect((await get(production, path)).status, path).toBe(404);
    }
  });

  it('keeps GraphiQL at /graphql outside production, without the dashboard policy, and neither in production', async () => {
    const graphiql = await get(development, '/graphql', { accept: 'text/html' });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('asset360 GraphiQL');
    expect(graphiql.headers.get('content-security-policy')).toBeNull();
    expect((await get(development, '/')).headers.get('content-security-policy')).toContain("default-src 'self'");
    const hidden = await get(production, '/graphql', { accept: 'text/html' });
    expect(await hidden.text()).not.toContain('GraphiQL');
  });
});
