import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { mintToken } from '../../src/auth/token.js';
import { ImportTradesDocument, PortfolioPositionsDocument, RecordTradeDocument, SetCostMethodDocument } from '../generated/graphql.js';
import { dataOf, graphqlClient, type Execute } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { tradingBook } from './support.js';

const SECRET = 'trades-roles-test-secret-of-32-bytes-or-more';
const db = useTestDatabase();
let server: TestServer;

beforeAll(async () => {
  await tradingBook(db.sql);
  server = await startTestServer(db.sql, { AUTH_MODE: 'on', JWT_SECRET: SECRET });
});
afterAll(() => server?.close());

async function as(role: Role): Promise<Execute> {
  const token = await mintToken(SECRET, { role, portfolios: role === 'VIEWER' ? ['1'] : undefined, ttl: '10m' });
  return graphqlClient(server.url, { authorization: `Bearer ${token}` });
}

const BUY = { assetId: '1', portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '10', price: '10' } as const;

describe('trade mutations', () => {
  it('need ANALYST: a VIEWER is refused with FORBIDDEN and writes nothing', async () => {
    const viewer = await as('VIEWER');
    for (const result of [
      await viewer(RecordTradeDocument, { input: BUY }),
      await viewer(ImportTradesDocument, { csv: 'account_ref,trade_time,isin,side,qty,price\nFifo,2025-01-02,US0000000001,BUY,1,1\n' }),
      await viewer(SetCostMethodDocument, { portfolioId: '1', method: 'AVERAGE' }),
    ]) {
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const [row] =
      await db.sql`select (select count(*)::int from transactions) as trades, (select cost_method from portfolios where portfolio_id = 1) as method`;
    expect(row).toEqual({ trades: 0, method: 'FIFO' });
  });

  it('let an ANALYST record, and a VIEWER read the positions of its portfolio', async () => {
    dataOf(await (await as('ANALYST'))(RecordTradeDocument, { input: BUY }));
    const viewer = await as('VIEWER');
    const { portfolio } = dataOf(await viewer(PortfolioPositionsDocument, { id: '1' }));
    expect(portfolio!.positions.map((position) => position.quantity)).toEqual(['10']);
    expect(dataOf(await viewer(PortfolioPositionsDocument, { id: '2' })).portfolio).toBeNull();
  });
});
