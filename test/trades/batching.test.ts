import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortfoliosPositionsDocument } from '../generated/graphql.js';
import { dataOf, graphqlClient, type Execute } from '../support/graphql-client.js';
import { countingSql, type CountingSql } from '../support/counting-sql.js';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { seedBook } from '../graph/book.js';
import { exact } from './support.js';

// The bound is the resolvers': with the response cache on, a request also reads the data versions
// once (test/cache covers that), so these servers run without it.
const UNCACHED = { RESPONSE_CACHE: 'off' };
const db = useTestDatabase();
let counted: CountingSql;
let server: TestServer;
let execute: Execute;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 120, days: 120, portfolios: 6, seed: 5 });
  counted = await countingSql(db.url);
  server = await startTestServer(counted.sql, UNCACHED);
  execute = graphqlClient(server.url);
});

afterAll(async () => {
  await server?.close();
  await counted?.sql.end();
});

describe('positions of the seeded book', () => {
  it('load every portfolio with its positions, lots, P&L and realized trades in a fixed number of statements', async () => {
    const {
      result: { portfolios },
      statements: used,
      sent,
    } = await counted.count(async () => dataOf(await execute(PortfoliosPositionsDocument, { first: 6 })));
    console.info(`6 portfolios with positions, lots, P&L and realized trades: ${used} SQL statements`);
    expect(used, sent.join('\n')).toBeLessThanOrEqual(7);
    expect(portfolios.edges).toHaveLength(6);

    const nodes = portfolios.edges.map((edge) => edge.node);
    expect(nodes.flatMap((node) => node.positions).length).toBeGreaterThan(20);
    expect(nodes.flatMap((node) => node.trades.edges).some((edge) => edge.node.realizedGainLoss !== null)).toBe(true);
  });

  it('has lots for every position the seed traded, adding up to what the trades leave', async () => {
    const mismatches = await db.sql`
      select t.portfolio_id, t.asset_id
      from transactions t
      group by t.portfolio_id, t.asset_id
      having sum(case t.transaction_type when 'BUY' then t.quantity else -t.quantity end)
        is distinct from coalesce((select sum(l.remaining_quantity) from position_lots l where l.portfolio_id = t.portfolio_id and l.asset_id = t.asset_id), 0)`;
    expect(mismatches).toEqual([]);
    const [sales] = await db.sql<[{ missing: number }]>`
      select count(*)::int as missing from transactions t
      where t.transaction_type = 'SELL' and not exists (select from trade_realizations r where r.transaction_id = t.transaction_id)`;
    expect(sales.missing).toBe(0);

    const { portfolios } = dataOf(await execute(PortfoliosPositionsDocument, { first: 6 }));
    for (const { node } of portfolios.edges) {
      const lots = node.positions.reduce((sum, position) => sum + position.lots.length, 0);
      const stored = await db.sql<[{ lots: number }]>`select count(*)::int as lots from position_lots where portfolio_id = ${node.id}`;
      expect(lots).toBe(stored[0].lots);
      for (const position of node.positions) expect(exact(position.quantity) > 0n).toBe(true);
    }
  });
});
