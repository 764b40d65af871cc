import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { aliasFlood, COMPLEXITY_BOMB, depthBomb, fragmentFanOut, tokenFlood } from './bombs.js';
import { countingSql, expectClientError } from './support.js';

// The bound is the resolvers': with the response cache on, a request also reads the data versions
// once (test/cache covers that), so these servers run without it.
const UNCACHED = { RESPONSE_CACHE: 'off' };
const db = useTestDatabase();
let server: TestServer;
let counted: Awaited<ReturnType<typeof countingSql>>;

beforeAll(async () => {
  await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Main')`;
  await db.sql`insert into asset_master (asset_id, asset_name, asset_type, currency) values (1, 'One', 'EQUITY', 'USD')`;
  await db.sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
    values (1, '2025-01-02', 'BUY', 1, 1, 1, 1)`;
  counted = await countingSql(db.url);
  server = await startTestServer(counted.sql, UNCACHED);
});

afterAll(async () => {
  await server?.close();
  await counted?.sql.end();
});

/** Sends the query and reports how long the refusal took and how many statements it sent. */
async function refused(name: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  const before = counted.statements.length;
  const started = performance.now();
  const response = await graphql(server.url, query, variables);
  console.info(`${name}: answered ${response.status} in ${(performance.now() - started).toFixed(1)} ms, ${query.length} characters`);
  expect(counted.statements.length - before, counted.statements.slice(before).join('\n')).toBe(0);
  return response;
}

describe('limits that refuse a query before any SQL runs', () => {
  it('refuses a query nested deeper than 12 levels, and serves one of 12', async () => {
    expectClientError(await refused('depth bomb', depthBomb(8)), 'QUERY_TOO_COMPLEX', 400);
    const twelve =
      '{ asset(id: "1") { trades(first: 2) { edges { node { asset { trades(first: 2) { edges { node { asset { trades(first: 2) { edges { cursor } } } } } } } } } } } }';
    const response = await graphql(server.url, twelve);
    expect(response.errors).toBeUndefined();
  });

  it('counts depth through fragments and inline fragments', async () => {
    const query = `
      { asset(id: "1") { ...A } }
      fragment A on Asset { trades { edges { node { ... on Trade { asset { ...B } } } } } }
      fragment B on Asset { trades { edges { node { asset { trades { edges { node { asset { id } } } } } } } } }`;
    const response = await refused('depth through fragments', query);
    expectClientError(response, 'QUERY_TOO_COMPLEX', 400);
    expect(response.errors![0]!.message).toMatch(/nests 14 levels deep; at most 12/);
  });

  it('refuses nested pages whose rows multiply past the complexity limit', async () => {
    const response = await refused('complexity bomb', COMPLEXITY_BOMB);
    expectClientError(response, 'QUERY_TOO_COMPLEX', 400);
    expect(response.errors![0]!.message).toMatch(/estimated cost is \d+, above the limit of 10000/);
  });

  it('weighs pages by first, whether literal or a variable', async () => {
    const query = 'query($n: Int) { assets(first: 100) { edges { node { trades(first: $n) { edges { node { id } } } } } } }';
    expectClientError(await refused('complexity by variable', query, { n: 200 }), 'QUERY_TOO_COMPLEX', 400);
    expect((await graphql(server.url, query, { n: 10 })).errors).toBeUndefined();
    // The cost of a document is remembered per set of variables, never across them.
    expectClientError(await refused('complexity by variable, again', query, { n: 200 }), 'QUERY_TOO_COMPLEX', 400);
    expect((await graphql(server.url, query, { n: 10 })).errors).toBeUndefined();
  });

  it('refuses an alias flood of costly fields', async () => {
    expectClientError(await refused('alias flood of pages', aliasFlood(60)), 'QUERY_TOO_COMPLEX', 400);
    const dashboards = Array.from({ length: 120 }, (_, index) => `o${index}: portfolioOverview { totalAssets }`);
    expectClientError(await refused('alias flood of aggregates', `{ ${dashboards.join(' ')} }`), 'QUERY_TOO_COMPLEX', 400);
  });

  it('refuses a fragment fan-out that expands into too many fields', async () => {
    const response = await refused('fragment fan-out', fragmentFanOut(16));
    expectClientError(response, 'QUERY_TOO_COMPLEX', 400);
    expect(response.errors![0]!.message).toBe('the query expands into too many fields');
  });

  it('refuses a document of more than 5,000 tokens while parsing', async () => {
    const response = await refused('token flood', tokenFlood(1500));
    expectClientError(response, 'GRAPHQL_PARSE_FAILED', 400);
    expect(response.errors![0]!.message).toMatch(/5000 tokens/);
  });

  it('refuses a page of more than 500 before any SQL', async () => {
    const response = await refused('first: 501', '{ trades(first: 501) { edges { node { id } } } }');
    expectClientError(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.extensions).toMatchObject({ argument: 'first' });
  });

  it('refuses batched requests', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ asset(id: "1") { id } }' }, { query: '{ asset(id: "1") { id } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('serves an ordinary dashboard-sized query', async () => {
    const response = await graphql(
      server.url,
      '{ assets(first: 500) { totalCount edges { node { id name trades(first: 5) { edges { node { id } } } } } } }',
    );
    expect(response.errors).toBeUndefined();
  });
});

describe('the request body', () => {
  it('answers 413 with a GraphQL error, not an HTML page, beyond MAX_BODY_BYTES', async () => {
    const small = await startTestServer(counted.sql, { ...UNCACHED, MAX_BODY_BYTES: '2048' });
    try {
      const padding = 'x'.repeat(3000);
      const response = await fetch(small.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ asset(id: "1") { id } }`, variables: { padding } }),
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        errors: [{ message: 'the request body is larger than 2048 bytes', extensions: { code: 'BAD_REQUEST' } }],
      });
      expect((await graphql(small.url, '{ asset(id: "1") { id } }')).data).toEqual({ asset: { id: '1' } });
    } finally {
      await small.close();
    }
  });

  it('answers 400 with a GraphQL error for malformed JSON', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(body)).not.toMatch(/stack|node_modules/);
  });
});
