import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/infra/db.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';

const db = useTestDatabase();

describe('HTTP surface', () => {
  let server: TestServer;
  beforeAll(async () => {
    await db.sql`
      insert into asset_master (asset_id, asset_name, asset_type, isin, currency, issue_date, par_value, sector, issuing_country)
      values (7, 'Nordic Power 2031', 'BOND', 'NO0010000007', 'NOK', '2021-03-15', 1000.00, 'Utilities', 'NO')`;
    server = await startTestServer(db.sql);
  });
  afterAll(() => server?.close());

  it('answers /healthz while the process is alive', async () => {
    const response = await fetch(new URL('/healthz', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when PostgreSQL and Redis answer', async () => {
    let body: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await fetch(new URL('/readyz', server.url));
      body = await response.json();
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });

  it('serves an asset end to end, exact amounts as strings and dates as YYYY-MM-DD', async () => {
    const response = await graphql(
      server.url,
      `
        query One($id: ID!) {
          asset(id: $id) {
            id
            name
            assetType
            isin
            currency
            issueDate
            parValue
            country
            status
          }
        }
      `,
      { id: '7' },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      asset: {
        id: '7',
        name: 'Nordic Power 2031',
        assetType: 'BOND',
        isin: 'NO0010000007',
        currency: 'NOK',
        issueDate: '2021-03-15',
        parValue: '1000.00',
        country: 'NO',
        status: 'ACTIVE',
      },
    });
  });

  it('answers null for a missing id and BAD_USER_INPUT naming the argument for a malformed one', async () => {
    expect(
      (
        await graphql(
          server.url,
          `
            {
              asset(id: "999") {
                id
              }
            }
          `,
        )
      ).data,
    ).toEqual({ asset: null });
    const bad = await graphql(
      server.url,
      `
        {
          asset(id: "1 OR 1=1") {
            id
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect(JSON.stringify(bad)).not.toMatch(/stacktrace|from asset|bigint/i);
  });

  it('refuses a cross-site form post (CSRF prevention)', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ asset(id: "7") { id } }')}`);
    expect(response.status).toBe(400);
  });
});

describe('readiness with a dead dependency', () => {
  it('says Redis is down with 503', async () => {
    const server = await startTestServer(db.sql, { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await fetch(new URL('/readyz', server.url));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', checks: { postgres: 'up', redis: 'down' } });
      expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('says PostgreSQL is down with 503', async () => {
    const deadSql = createSql('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    const server = await startTestServer(deadSql);
    try {
      let response = await fetch(new URL('/readyz', server.url));
      for (
        let attempt = 0;
        attempt < 50 && ((await response.clone().json()) as { checks: { redis: string } }).checks.redis !== 'up';
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await fetch(new URL('/readyz', server.url));
      }
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', checks: { postgres: 'down', redis: 'up' } });
    } finally {
      await server.close();
      await deadSql.end();
    }
  });
});
