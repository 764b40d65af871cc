import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/infra/db.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer, expectNoLeak } from './support.js';

const db = useTestDatabase();
const PRODUCTION = { ...AUTH_ON, NODE_ENV: 'production', LOG_LEVEL: 'error' };

let server: TestServer;
let headers: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer(db.sql, PRODUCTION);
  headers = await bearer('ADMIN');
});

afterAll(() => server?.close());

describe('a production server', () => {
  it('refuses introspection', async () => {
    const response = await graphql(server.url, getIntrospectionQuery(), {}, headers);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    expect((await graphql(server.url, '{ __type(name: "Asset") { name } }', {}, headers)).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('suggests no field, argument or enum value of the schema', async () => {
    for (const query of [
      '{ assetz(id: "1") { id } }',
      '{ asset(id: "1") { nam } }',
      '{ asset(ids: "1") { id } }',
      '{ assetAllocation(by: SECTR) { key } }',
    ]) {
      const response = await graphql(server.url, query, {}, headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(response), query).not.toMatch(/did you mean|assets|name"|ASSET_TYPE/i);
    }
    const badVariable = await graphql(
      server.url,
      'query($by: AllocationDimension) { assetAllocation(by: $by) { key } }',
      { by: 'SECTR' },
      headers,
    );
    expect(badVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(badVariable)).not.toMatch(/did you mean|SECTOR/i);
  });

  it('serves no landing page, where a development server serves GraphiQL', async () => {
    const landing = async (url: string) => {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      return `${response.headers.get('content-type')} ${await response.text()}`;
    };
    expect(await landing(server.url)).not.toMatch(/text\/html|<html/i);
    const development = await startTestServer(db.sql, { ...AUTH_ON, NODE_ENV: 'development', LOG_LEVEL: 'error' });
    try {
      expect(await landing(development.url)).toMatch(/text\/html.*<html/is);
    } finally {
      await development.close();
    }
  });

  it('prevents cross-site requests: a GET query without a preflight header is refused', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ portfolios { totalCount } }')}`, { headers });
    expect(response.status).toBe(400);
    const preflighted = await fetch(`${server.url}?query=${encodeURIComponent('{ portfolios { totalCount } }')}`, {
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it('answers an unexpected failure with neither its message, nor SQL, nor a stack', async () => {
    // A session that finds none of the tables: a fault of the server, neither the caller's nor the network's.
    const lost = createSql(db.url, { max: 1, connection: { search_path: 'nowhere' } });
    const broken = await startTestServer(lost, PRODUCTION);
    try {
      const response = await graphql(broken.url, '{ portfolios { totalCount } }', {}, headers);
      expect(response.errors).toEqual([
        { message: 'Internal server error', path: ['portfolios'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expectNoLeak(response);
    } finally {
      await broken.close();
      await lost.end();
    }
  });

  it('answers an unreachable database with UNAVAILABLE, and nothing of the connection', async () => {
    const dead = createSql('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    const broken = await startTestServer(dead, PRODUCTION);
    try {
      const response = await graphql(broken.url, '{ portfolios { totalCount } }', {}, headers);
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: 'the database is unavailable: try again shortly',
          path: ['portfolios'],
          extensions: { code: 'UNAVAILABLE' },
        }),
      ]);
      expectNoLeak(response);
      expect(JSON.stringify(response)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await broken.close();
      await dead.end();
    }
  });
});

describe('INTROSPECTION=on', () => {
  it('lets a production server answer introspection, still without suggestions', async () => {
    const open = await startTestServer(db.sql, { ...PRODUCTION, INTROSPECTION: 'on' });
    try {
      const response = await graphql(open.url, getIntrospectionQuery(), {}, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data?.__schema.queryType.name).toBe('Query');
      expect(JSON.stringify(await graphql(open.url, '{ asset(id: "1") { nam } }', {}, headers))).not.toMatch(/did you mean/i);
    } finally {
      await open.close();
    }
  });
});
