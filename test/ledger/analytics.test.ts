import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { deposit, ledgerBook } from './support.js';

const db = useTestDatabase();
let server: TestServer;

beforeAll(async () => {
  await ledgerBook(db.sql);
  await deposit(db.sql, '1', '1000', '2025-01-06');
  await deposit(db.sql, '7', '300', '2025-01-20');
  await db.sql.begin(async (tx) => {
    await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, category) values
      (1, '2025-01-07', -40, 'USD', 'EXPENSE', 'Groceries'),
      (1, '2025-01-08', -60.5, 'USD', 'EXPENSE', 'Groceries'),
      (1, '2025-01-09', 10, 'USD', 'EXPENSE', 'Groceries'),
      (1, '2025-03-03', -25, 'USD', 'EXPENSE', null),
      (7, '2025-01-21', -99, 'USD', 'EXPENSE', 'Travel')`;
    // Alice's checking to Alice's savings, and Alice's checking to Carol's checking.
    await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group) values
      (1, '2025-01-10', -100, 'USD', 'TRANSFER', '00000000-0000-4000-8000-000000000001'),
      (2, '2025-01-10', 100, 'USD', 'TRANSFER', '00000000-0000-4000-8000-000000000001'),
      (1, '2025-01-13', -50, 'USD', 'TRANSFER', '00000000-0000-4000-8000-000000000002'),
      (7, '2025-01-13', 50, 'USD', 'TRANSFER', '00000000-0000-4000-8000-000000000002')`;
  });
  server = await startTestServer(db.sql);
});

afterAll(() => server?.close());

const query = (text: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<any>> =>
  graphql(server.url, text, variables);

describe('spendingByCategory', () => {
  it('sums EXPENSE legs by category and currency, refunds netted, largest first, within the dates', async () => {
    const response = await query('{ spendingByCategory(from: "2025-01-01", to: "2025-03-31") { category currency amount count } }');
    expect(response.data.spendingByCategory).toEqual([
      { category: 'Travel', currency: 'USD', amount: '99', count: 1 },
      { category: 'Groceries', currency: 'USD', amount: '90.5', count: 3 },
      { category: null, currency: 'USD', amount: '25', count: 1 },
    ]);
    const narrowed = await query('{ spendingByCategory(from: "2025-01-08", to: "2025-01-31", accountIds: ["1"]) { category amount } }');
    expect(narrowed.data.spendingByCategory).toEqual([{ category: 'Groceries', amount: '50.5' }]);
  });

  it('names the argument at fault', async () => {
    const response = await query('{ spendingByCategory(from: "2025-02-01", to: "2025-01-01") { amount } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
  });
});

describe('cashFlow', () => {
  it('gives every month of the range, with transfers inside the covered accounts left out', async () => {
    const response = await query(
      '{ cashFlow(from: "2025-01-11", to: "2025-03-31", accountIds: ["1", "2"]) { start currency inflow outflow net count } }',
    );
    expect(response.data.cashFlow).toEqual([
      // The transfer to savings stays inside accounts 1 and 2; the one to Carol leaves them.
      { start: '2025-01-01', currency: 'USD', inflow: '0', outflow: '50', net: '-50', count: 1 },
      { start: '2025-02-01', currency: 'USD', inflow: '0', outflow: '0', net: '0', count: 0 },
      { start: '2025-03-01', currency: 'USD', inflow: '0', outflow: '25', net: '-25', count: 1 },
    ]);
  });

  it('counts the transfer between covered accounts once the other side is not covered, by ISO week', async () => {
    const response = await query(
      '{ cashFlow(from: "2025-01-06", to: "2025-01-12", interval: WEEK, accountIds: ["1"]) { start inflow outflow net count } }',
    );
    expect(response.data.cashFlow).toEqual([{ start: '2025-01-06', inflow: '1010', outflow: '200.5', net: '809.5', count: 5 }]);
  });

  it('refuses a range of too many periods', async () => {
    const response = await query('{ cashFlow(from: "1900-01-01", to: "2025-01-01", interval: WEEK) { net } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });
});
