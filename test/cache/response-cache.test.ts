import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/infra/db.js';
import { createTestDatabase, useTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { countingSql } from '../support/counting-sql.js';
import { AUTH_ON, bearer } from '../security/support.js';
import { seedBook } from '../graph/book.js';

const db = useTestDatabase();
const PREFIX = `asset360-test:response:shared-${process.pid}-${Date.now()}`;
const ENV = { ...AUTH_ON, RESPONSE_CACHE_PREFIX: PREFIX };
let server: TestServer;

const TRADES = `query Trades { trades(first: 500) { totalCount edges { node { id portfolio { id } } } } }`;
const ASSET = `query Asset($id: ID!) { asset(id: $id) { id name sector } }`;

function cacheOf(response: GraphQLResponse & { extensions?: { cache?: string } }): string | undefined {
  return response.extensions?.cache;
}

async function ask(query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}, url = server.url) {
  const response = (await graphql<Record<string, any>>(url, query, variables, headers)) as GraphQLResponse<Record<string, any>> & {
    extensions?: { cache?: string };
  };
  return { response, cache: cacheOf(response) };
}

beforeAll(async () => {
  await seedBook(db.sql, { assets: 12, days: 30, portfolios: 3, seed: 11 });
  server = await startTestServer(db.sql, ENV);
});
afterAll(() => server?.close());

describe('the response cache', () => {
  it('answers a repeated query from the cache with the same data, and says so in extensions.cache', async () => {
    const analyst = await bearer('ANALYST');
    const first = await ask(ASSET, analyst, { id: '3' });
    const second = await ask(ASSET, analyst, { id: '3' });
    expect(first.response.errors).toBeUndefined();
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(second.response.data).toEqual(first.response.data);
    // Other variables, another entry.
    expect((await ask(ASSET, analyst, { id: '4' })).cache).toBe('MISS');
  });

  it('never serves one VIEWER’s entry to a VIEWER of other portfolios, nor an ANALYST’s to a VIEWER', async () => {
    const viewerOne = await bearer('VIEWER', ['1']);
    const viewerTwo = await bearer('VIEWER', ['2']);
    const analyst = await bearer('ANALYST');
    const portfoliosOf = (response: GraphQLResponse<Record<string, any>>) =>
      new Set((response.data!.trades.edges as Array<{ node: { portfolio: { id: string } } }>).map((edge) => edge.node.portfolio.id));

    const one = await ask(TRADES, viewerOne);
    expect(one.cache).toBe('MISS');
    expect([...portfoliosOf(one.response)]).toEqual(['1']);
    const two = await ask(TRADES, viewerTwo);
    expect(two.cache).toBe('MISS');
    expect([...portfoliosOf(two.response)]).toEqual(['2']);
    const all = await ask(TRADES, analyst);
    expect(all.cache).toBe('MISS');
    expect(portfoliosOf(all.response).size).toBe(3);

    // An ANALYST's entry exists now; a VIEWER still gets only its own portfolio.
    const oneAgain = await ask(TRADES, viewerOne);
    expect(oneAgain.cache).toBe('HIT');
    expect(oneAgain.response.data).toEqual(one.response.data);
    expect((await ask(TRADES, analyst)).response.data).toEqual(all.response.data);
    // The same portfolios in another order are the same scope.
    const both = await ask(TRADES, await bearer('VIEWER', ['2', '1']));
    const bothReordered = await ask(TRADES, await bearer('VIEWER', ['1', '2']));
    expect([both.cache, bothReordered.cache]).toEqual(['MISS', 'HIT']);
    expect([...portfoliosOf(both.response)].sort()).toEqual(['1', '2']);
  });

  it('still authenticates and refuses what the role may not read on a query whose answer is cached', async () => {
    expect((await ask(ASSET, await bearer('ANALYST'), { id: '3' })).cache).toBe('HIT');
    const anonymous = await ask(ASSET, {}, { id: '3' });
    expect(anonymous.response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.response.data ?? null).toBeNull();
  });

  it('never caches a response with errors', async () => {
    const viewer = await bearer('VIEWER', ['1']);
    const query = `{ portfolioOverview { totalAssets totalValue } }`;
    const first = await ask(query, viewer);
    expect(first.response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const second = await ask(query, viewer);
    expect([first.cache, second.cache]).toEqual(['MISS', 'MISS']);
  });

  it('bypasses mutations and the operator fields that read the live queue', async () => {
    const operator = await bearer('OPERATOR');
    const mutation = await ask(`mutation { setCostMethod(portfolioId: "3", method: AVERAGE) { id costMethod } }`, operator);
    expect(mutation.response.errors).toBeUndefined();
    expect(mutation.cache).toBe('BYPASS');
    const schedule = await ask(`{ riskSchedule { paused } }`, operator);
    expect(schedule.cache).toBe('BYPASS');
  });

  it('sees a write committed by another connection (a psql session) in the next request', async () => {
    const analyst = await bearer('ANALYST');
    const before = await ask(ASSET, analyst, { id: '5' });
    expect((await ask(ASSET, analyst, { id: '5' })).cache).toBe('HIT');
    const psql = createSql(db.url, { max: 1 });
    try {
      await psql`update asset_master set asset_name = 'Renamed by psql' where asset_id = 5`;
    } finally {
      await psql.end();
    }
    const after = await ask(ASSET, analyst, { id: '5' });
    expect(after.cache).toBe('MISS');
    expect(after.response.data!.asset.name).toBe('Renamed by psql');
    expect(before.response.data!.asset.name).not.toBe('Renamed by psql');
    // A write to a source the query does not read keeps its entry.
    await db.sql`insert into fx_rates (currency, rate_date, rate_to_base) values ('JPY', '2025-01-02', 0.0065)`;
    expect((await ask(ASSET, analyst, { id: '5' })).cache).toBe('HIT');
  });

  it('shares entries between server processes through Redis, and never between databases', async () => {
    const analyst = await bearer('ANALYST');
    expect((await ask(ASSET, analyst, { id: '6' })).cache).toBe('MISS');
    const twin = await startTestServer(db.sql, ENV);
    let other: TestDatabase | undefined;
    let elsewhere: TestServer | undefined;
    try {
      expect((await ask(ASSET, analyst, { id: '6' }, twin.url)).cache).toBe('HIT');
      // A second database with the same rows, the same '#instance' (both are clones of one template) and the same prefix.
      other = await createTestDatabase();
      await seedBook(other.sql, { assets: 12, days: 30, portfolios: 3, seed: 11 });
      await other.sql`update asset_master set asset_name = 'Only in the other database' where asset_id = 6`;
      elsewhere = await startTestServer(other.sql, ENV);
      const answer = await ask(ASSET, analyst, { id: '6' }, elsewhere.url);
      expect(answer.cache).toBe('MISS');
      expect(answer.response.data!.asset.name).toBe('Only in the other database');
    } finally {
      await twin.close();
      await elsewhere?.close();
      await other?.drop();
    }
  });

  it('applies the rate limit to hits', async () => {
    const limited = await startTestServer(db.sql, { ...ENV, RATE_LIMIT_REQUESTS: '3' });
    try {
      const analyst = await bearer('ANALYST');
      const outcomes = [];
      for (let i = 0; i < 4; i++) {
        const { response, cache } = await ask(ASSET, analyst, { id: '3' }, limited.url);
        outcomes.push(response.errors?.[0]?.extensions?.code ?? cache);
      }
      // The first may miss (earlier tests wrote what the asset reads), and the next may too while its store to Redis is on
      // its way; the limit counts hits all the same.
      expect(outcomes.slice(0, 3).every((outcome) => outcome === 'HIT' || outcome === 'MISS')).toBe(true);
      expect(outcomes.slice(0, 3)).toContain('HIT');
      expect(outcomes[3]).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('answers a hit before the GraphQL pipeline with the bytes and headers the pipeline gives it', async () => {
    const analyst = await bearer('ANALYST');
    const raw = async (url: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...analyst },
        body: JSON.stringify({ query: ASSET, variables: { id: '7' } }),
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        id: response.headers.get('x-request-id'),
        text: await response.text(),
      };
    };
    expect((await ask(ASSET, analyst, { id: '7' })).cache).toBe('MISS');
    // A second process has not seen the request pass its pipeline: its first hit goes through Apollo, the next ones do not.
    const twin = await startTestServer(db.sql, ENV);
    try {
      const throughApollo = await raw(twin.url);
      const beforeApollo = await raw(twin.url);
      expect(JSON.parse(throughApollo.text).extensions).toEqual({ cache: 'HIT' });
      expect(beforeApollo).toEqual({ ...throughApollo, id: beforeApollo.id });
      expect(beforeApollo.id).toMatch(/^[\w-]+$/);
      expect(beforeApollo.id).not.toBe(throughApollo.id);
    } finally {
      await twin.close();
    }
  });

  it('counts a request once in the rate limit when the hit path hands it on to the pipeline', async () => {
    const limited = await startTestServer(db.sql, { ...ENV, RATE_LIMIT_REQUESTS: '3' });
    try {
      const analyst = await bearer('ANALYST');
      const outcomes: unknown[] = [(await ask(ASSET, analyst, { id: '8' }, limited.url)).cache];
      // The request is known to the hit path now; a write makes its next answer a miss, which the pipeline computes.
      await db.sql`update asset_master set asset_name = asset_name || '.' where asset_id = 8`;
      for (let i = 0; i < 3; i++) {
        const { response, cache } = await ask(ASSET, analyst, { id: '8' }, limited.url);
        outcomes.push(response.errors?.[0]?.extensions?.code ?? cache);
      }
      expect(outcomes).toEqual(['MISS', 'MISS', 'HIT', 'RATE_LIMITED']);
    } finally {
      await limited.close();
    }
  });

  it('reads the versions once for a request the hit path hands on as a miss, and none but them for a hit', async () => {
    const counted = await countingSql(db.url);
    const own = await startTestServer(counted.sql, ENV);
    try {
      const analyst = await bearer('ANALYST');
      const versionReads = (sent: string[]) => sent.filter((statement) => statement.includes('from data_versions')).length;
      await ask(ASSET, analyst, { id: '9' }, own.url);
      await db.sql`update asset_master set asset_name = asset_name || '!' where asset_id = 9`;
      const miss = await counted.count(() => ask(ASSET, analyst, { id: '9' }, own.url));
      expect(miss.result.cache).toBe('MISS');
      expect(versionReads(miss.sent)).toBe(1);
      const hit = await counted.count(() => ask(ASSET, analyst, { id: '9' }, own.url));
      expect(hit.result.cache).toBe('HIT');
      expect([hit.statements, versionReads(hit.sent)]).toEqual([1, 1]);
    } finally {
      await own.close();
      await counted.sql.end();
    }
  });

  it('keeps no entry larger than RESPONSE_CACHE_MAX_ENTRY_BYTES', async () => {
    const small = await startTestServer(db.sql, {
      ...ENV,
      RESPONSE_CACHE_PREFIX: `${PREFIX}-small`,
      RESPONSE_CACHE_MAX_ENTRY_BYTES: '1024',
    });
    try {
      const analyst = await bearer('ANALYST');
      const big = [await ask(TRADES, analyst, {}, small.url), await ask(TRADES, analyst, {}, small.url)];
      expect(JSON.stringify(big[0]!.response.data).length).toBeGreaterThan(1024);
      expect(big.map((answer) => answer.cache)).toEqual(['MISS', 'MISS']);
      const tiny = [await ask(ASSET, analyst, { id: '2' }, small.url), await ask(ASSET, analyst, { id: '2' }, small.url)];
      expect(tiny.map((answer) => answer.cache)).toEqual(['MISS', 'HIT']);
    } finally {
      await small.close();
    }
  });

  it('is off with RESPONSE_CACHE=off', async () => {
    const off = await startTestServer(db.sql, { ...ENV, RESPONSE_CACHE: 'off' });
    try {
      const analyst = await bearer('ANALYST');
      const answers = [await ask(ASSET, analyst, { id: '3' }, off.url), await ask(ASSET, analyst, { id: '3' }, off.url)];
      expect(answers.map((answer) => answer.cache)).toEqual([undefined, undefined]);
      expect(answers[0]!.response.data).toEqual(answers[1]!.response.data);
    } finally {
      await off.close();
    }
  });
});

describe('the response cache while Redis is down', () => {
  let proxy: TcpProxy;
  let behind: TestServer;
  const target = new URL(TEST_REDIS_URL);

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    // No in-process tier: every hit comes from Redis, so the outage shows on each request.
    behind = await startTestServer(db.sql, {
      ...ENV,
      RESPONSE_CACHE_PREFIX: `${PREFIX}-outage`,
      RESPONSE_CACHE_MEMORY_BYTES: '0',
      REDIS_URL: proxy.url(TEST_REDIS_URL),
    });
  });
  afterAll(async () => {
    if (proxy.isCut) await proxy.restore();
    await behind?.close();
    await proxy?.close();
  });

  it('runs every request uncached without failing, and caches again by itself once Redis is back', async () => {
    const analyst = await bearer('OPERATOR');
    const query = `query Counterparties { counterparties(first: 5) { edges { node { id name } } } }`;
    const expected = (await ask(query, analyst, {}, behind.url)).response.data;
    await until('a hit from Redis', async () => (await ask(query, analyst, {}, behind.url)).cache === 'HIT');

    await proxy.cut();
    for (let i = 0; i < 3; i++) {
      const { response, cache } = await ask(query, analyst, {}, behind.url);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual(expected);
      expect(cache).toBe('MISS');
    }

    await proxy.restore();
    await until('a hit from Redis again', async () => (await ask(query, analyst, {}, behind.url)).cache === 'HIT', 30_000);
  });
});

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
