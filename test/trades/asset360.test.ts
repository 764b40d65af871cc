import { describe, expect, it } from 'vitest';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { ImportTradesDocument, RecordTradeDocument } from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { useGraphServer } from '../graph/book.js';
import { normal, tradingBook } from './support.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, tradingBook);

describe('trades recorded through the graph', () => {
  it('feed the next asset_360 build', async () => {
    const record = async (type: 'BUY' | 'SELL', date: string, quantity: string, costs = '0') =>
      dataOf(await execute(RecordTradeDocument, { input: { assetId: '1', portfolioId: '1', type, date, quantity, price: '100', costs } }));
    await record('BUY', '2025-01-02', '100', '4');
    await record('SELL', '2025-01-20', '30', '2');
    await record('BUY', '2025-02-03', '12.5');
    expect(
      dataOf(
        await execute(ImportTradesDocument, {
          csv: 'account_ref,trade_time,isin,side,qty,price\nAverage,2025-01-15,US0000000001,BUY,7,100\n',
        }),
      ).importTrades,
    ).toMatchObject({ imported: 1, errors: [] });

    const build = await buildAsset360(db.sql, '2025-01-31');
    expect(build.status).toBe('succeeded');
    const [row] = await db.sql`
      select position_quantity::text, total_transactions, total_purchases, total_sales, avg_transaction_cost::text, current_price::text
      from asset_360 where asset_id = 1`;
    // The February purchase is after as_of.
    expect({ ...row, position_quantity: normal(row!.position_quantity), avg_transaction_cost: normal(row!.avg_transaction_cost) }).toEqual({
      position_quantity: '77',
      total_transactions: 3,
      total_purchases: 2,
      total_sales: 1,
      avg_transaction_cost: '2',
      current_price: '108',
    });

    await buildAsset360(db.sql, '2025-02-28');
    const [later] = await db.sql`select position_quantity::text, total_transactions from asset_360 where asset_id = 1`;
    expect([normal(later!.position_quantity), later!.total_transactions]).toEqual(['89.5', 4]);
  });
});
