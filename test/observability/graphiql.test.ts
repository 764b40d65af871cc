import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON } from '../security/support.js';

const db = useTestDatabase();
let development: TestServer;
let production: TestServer;

beforeAll(async () => {
  development = await startTestServer(db.sql, { NODE_ENV: 'development', LOG_LEVEL: 'error' });
  production = await startTestServer(db.sql, { ...AUTH_ON, NODE_ENV: 'production', LOG_LEVEL: 'error' });
});
afterAll(async () => {
  await development?.close();
  await production?.close();
});

const landing = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

/** What would make a browser reach another origin: a CDN, Apollo's Sandbox, web fonts, a CSS import. */
const FOREIGN_LOADS =
  /https?:\/\/(unpkg\.com|cdn\.jsdelivr\.net|esm\.sh|cdnjs\.cloudflare\.com|[\w.-]*apollographql\.com|fonts\.(googleapis|gstatic)\.com)|@import|url\(\s*['"]?(https?:)?\/\//i;
const foreign = (text: string) => FOREIGN_LOADS.exec(text)?.[0] ?? null;

describe('GraphiQL outside production', () => {
  it('is the landing page of /graphql, and loads every asset from this server', async () => {
    const response = await landing(development.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<title>asset360 GraphiQL<\/title>/);
    // Not a single absolute URL: nothing in the page can point at another origin.
    expect(html).not.toMatch(/[a-z]+:\/\//i);
    expect(foreign(html)).toBeNull();

    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.sort()).toEqual(['/graphiql/graphiql.css', '/graphiql/graphiql.js', '/graphiql/react-dom.js', '/graphiql/react.js']);
    for (const asset of assets) {
      const served = await fetch(new URL(asset, development.url));
      expect(served.status, asset).toBe(200);
      expect(served.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      const body = await served.text();
      expect(body.length, asset).toBeGreaterThan(1_000);
      expect(foreign(body), asset).toBeNull();
    }
    const bundle = await (await fetch(new URL('/graphiql/graphiql.js', development.url))).text();
    expect(bundle).toMatch(/\.GraphiQL=/);
    expect(bundle).toMatch(/createFetcher/);
  });

  it('sends the token typed in the page with queries and subscriptions alike', async () => {
    const html = await (await landing(development.url)).text();
    expect(html).toMatch(/<input id="token" type="password"/);
    expect(html).toMatch(/authorization: 'Bearer ' \+ token/);
    expect(html).toMatch(/subscriptionUrl: url\.replace\(\/\^http\/, 'ws'\)/);
  });

  it('answers 404 for anything else under /graphiql', async () => {
    expect((await fetch(new URL('/graphiql/../package.json', development.url))).status).toBe(404);
    expect((await fetch(new URL('/graphiql/index.umd.js.map', development.url))).status).toBe(404);
  });
});

describe('in production', () => {
  it('serves neither the page nor its assets', async () => {
    const response = await landing(production.url);
    expect(`${response.headers.get('content-type')} ${await response.text()}`).not.toMatch(/text\/html|<html/i);
    expect((await fetch(new URL('/graphiql/graphiql.js', production.url))).status).toBe(404);
  });
});
