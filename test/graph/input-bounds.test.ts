import { describe, expect, it } from 'vitest';
import {
  AssetPricesDocument,
  AssetsPageDocument,
  PortfolioPositionsDocument,
  RecordTradeDocument,
  TradesPageDocument,
} from '../generated/graphql.js';
import type { ExecutionResult } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/server.js';
import { expectBadInput, tradingBook } from '../trades/support.js';
import { useGraphServer } from './book.js';

const db = useTestDatabase();
const { execute, url } = useGraphServer(db, tradingBook);

const TRADE = { assetId: '1', portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '1', price: '10' } as const;

/** A refusal of a variable's value: BAD_USER_INPUT, its message naming the argument's path. */
function expectRefused(result: ExecutionResult<unknown>, path: string): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.errors![0]!.message).toContain(path);
  expect(JSON.stringify(result)).not.toMatch(/stacktrace|select |insert |date\/time field/i);
}

async function transactions(): Promise<number> {
  const [row] = await db.sql<[{ count: number }]>`select count(*)::int as count from transactions`;
  return row.count;
}

describe('dates PostgreSQL cannot store', () => {
  it('are refused in trade input, trade filters, prices and pnl, naming the argument, before any SQL', async () => {
    for (const date of ['0000-01-01', '0000-12-31', '10000-01-01']) {
      expectRefused(await execute(RecordTradeDocument, { input: { ...TRADE, date } }), 'input.date');
      expectRefused(await execute(TradesPageDocument, { filter: { dateFrom: date } }), 'filter.dateFrom');
      expectRefused(await execute(TradesPageDocument, { filter: { dateTo: date } }), 'filter.dateTo');
      expectRefused(await execute(AssetPricesDocument, { id: '1', from: date }), '$from');
      expectRefused(await execute(AssetPricesDocument, { id: '1', to: date }), '$to');
      expectRefused(await execute(PortfolioPositionsDocument, { id: '1', from: date }), '$from');
      expectRefused(await execute(PortfolioPositionsDocument, { id: '1', to: date }), '$to');
    }
    expect(await transactions()).toBe(0);
  });

  it('are BAD_USER_INPUT written as literals too, naming the argument, with the range in the message', async () => {
    const response = await graphql(url(), '{ asset(id: "1") { prices(from: "0000-01-01") { date } } }');
    expect(response.errors).toEqual([
      {
        message: 'from: Date must be a day from 0001-01-01 to 9999-12-31, written YYYY-MM-DD, got "0000-01-01"',
        locations: [{ line: 1, column: 33 }],
        extensions: { code: 'BAD_USER_INPUT', argument: 'from' },
      },
    ]);
    const nested = await graphql(
      url(),
      'mutation { recordTrade(input: { assetId: "1", portfolioId: "1", type: BUY, date: "10000-01-01", quantity: "1", price: "1e400" }) { id } }',
    );
    expect(nested.errors?.map((error) => [error.extensions?.argument, error.extensions?.code])).toEqual([
      ['input.date', 'BAD_USER_INPUT'],
      ['input.price', 'BAD_USER_INPUT'],
    ]);
    expect(await transactions()).toBe(0);
  });

  it('include both ends of the range, which PostgreSQL stores', async () => {
    const result = await execute(TradesPageDocument, { filter: { dateFrom: '0001-01-01', dateTo: '9999-12-31' } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trades.edges).toEqual([]);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('is refused in filters and in recordTrade, naming the argument, and records nothing', async () => {
    for (const text of ['a\u0000b', '\u0000', 'lone \uD800 surrogate']) {
      expectBadInput(await execute(AssetsPageDocument, { filter: { search: text } }), 'filter.search');
      expectBadInput(await execute(AssetsPageDocument, { filter: { sector: ['Tech', text] } }), 'filter.sector');
      expectBadInput(await execute(AssetsPageDocument, { filter: { country: [text] } }), 'filter.country');
      expectBadInput(await execute(AssetsPageDocument, { filter: { assetType: [text] } }), 'filter.assetType');
      expectBadInput(await execute(RecordTradeDocument, { input: { ...TRADE, externalId: text } }), 'input.externalId');
      expectBadInput(await execute(RecordTradeDocument, { input: { ...TRADE, currency: text } }), 'input.currency');
      expectBadInput(await execute(TradesPageDocument, { filter: { assetId: text } }), 'filter.assetId');
    }
    expect(await transactions()).toBe(0);
  });

  it('is bounded in length on every free-text argument', async () => {
    expectBadInput(await execute(AssetsPageDocument, { filter: { sector: ['x'.repeat(201)] } }), 'filter.sector');
    expectBadInput(await execute(RecordTradeDocument, { input: { ...TRADE, currency: 'x'.repeat(201) } }), 'input.currency');
    expectBadInput(await execute(AssetsPageDocument, { after: 'A'.repeat(2_049) }), 'after');
  });

  it('passes control characters PostgreSQL stores, which simply match nothing', async () => {
    const result = await execute(AssetsPageDocument, { filter: { search: '\u0001\u001f' } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.assets.edges).toEqual([]);
  });
});

describe('numbers and ids past what the columns take', () => {
  it('refuses decimals beyond 30 digits on either side of the point, and ids above bigint', async () => {
    expectRefused(await execute(RecordTradeDocument, { input: { ...TRADE, quantity: '9'.repeat(31) } }), 'input.quantity');
    expectRefused(await execute(RecordTradeDocument, { input: { ...TRADE, price: `1.${'1'.repeat(31)}` } }), 'input.price');
    expectBadInput(await execute(RecordTradeDocument, { input: { ...TRADE, assetId: '9223372036854775808' } }), 'input.assetId');
    expectBadInput(await execute(TradesPageDocument, { filter: { portfolioId: '9'.repeat(25) } }), 'filter.portfolioId');
    expect(await transactions()).toBe(0);
  });

  it('records the largest decimals it takes, whose product numeric holds', async () => {
    const big = `${'9'.repeat(30)}.${'9'.repeat(30)}`;
    const result = await execute(RecordTradeDocument, { input: { ...TRADE, quantity: big, price: big, externalId: 'big-1' } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.recordTrade.quantity).toBe(big);
  });
});
