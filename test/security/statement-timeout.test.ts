import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSqlOptions, createSql, type Sql } from '../../src/infra/db.js';
import { WORKER_SQL_OPTIONS } from '../../src/jobs/rebuild.worker.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { expectClientError } from './support.js';

const db = useTestDatabase();
let apiSql: Sql;
let server: TestServer;

beforeAll(async () => {
  await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Main')`;
  apiSql = createSql(db.url, apiSqlOptions(50, { max: 2 }));
  server = await startTestServer(apiSql, { STATEMENT_TIMEOUT_MS: '50' });
});

afterAll(async () => {
  await server?.close();
  await apiSql?.end();
});

describe('the statement timeout of the API pool', () => {
  it('stops a statement that waits longer than the timeout and answers UNAVAILABLE, not a hang', async () => {
    // A lock held elsewhere keeps the request's statement waiting, which the timeout bounds as well.
    let response: GraphQLResponse | undefined;
    await db.sql.begin(async (tx) => {
      await tx`lock table portfolios in access exclusive mode`;
      const started = performance.now();
      response = await graphql(server.url, '{ portfolios { totalCount edges { node { id } } } }');
      console.info(`a statement waiting on a lock was stopped after ${(performance.now() - started).toFixed(0)} ms`);
    });
    expectClientError(response!, 'UNAVAILABLE');
    expect(response!.errors![0]!.message).toBe(
      'the query took longer than 50 ms and was stopped: ask for less (smaller pages, fewer fields, narrower filters)',
    );
    expect(response!.data).toBeNull();
  });

  it('serves the same query once nothing holds it up', async () => {
    expect((await graphql(server.url, '{ portfolios { totalCount } }')).data).toEqual({ portfolios: { totalCount: 1 } });
  });

  it("is set on the API pool only, not on the worker's, whose builds take longer", async () => {
    const timeoutOf = async (sql: Sql) =>
      (await sql<[{ timeout: string }]>`select current_setting('statement_timeout') as timeout`)[0].timeout;
    expect(await timeoutOf(apiSql)).toBe('50ms');
    const workerSql = createSql(db.url, WORKER_SQL_OPTIONS);
    try {
      expect(await timeoutOf(workerSql)).toBe('0');
    } finally {
      await workerSql.end();
    }
  });
});
