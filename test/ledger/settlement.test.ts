import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/actor.js';
import { BadUserInputError } from '../../src/lib/errors.js';
import { importTrades } from '../../src/trades/import/import-trades.js';
import { recordTrade, type TradeRequest } from '../../src/trades/record-trade.js';
import { useTestDatabase } from '../support/database.js';
import { tradingBook } from '../trades/support.js';
import { deposit, ledgerBook } from './support.js';

const db = useTestDatabase();
const ACTOR = systemActor('ledger-test');

// Portfolio 1 (Fifo) settles in Alice Brokerage (USD), portfolio 2 (Average) in Acme Brokerage (EUR),
// portfolio 3 in none.
beforeAll(async () => {
  await tradingBook(db.sql);
  await ledgerBook(db.sql);
  await deposit(db.sql, '3', '2000', '2025-01-02');
  await deposit(db.sql, '5', '1000', '2025-01-02');
});

const BUY: TradeRequest = {
  assetId: '1',
  portfolioId: '1',
  counterpartyId: '1',
  type: 'BUY',
  date: '2025-01-06',
  quantity: '10',
  price: '100.25',
  costs: '5',
  currency: null,
  externalId: null,
};

async function legOf(tradeId: string) {
  const rows = await db.sql<
    { account: string; amount: string; currency: string; section: string; rate: string | null; counterparty: string }[]
  >`
    select account_id::text as account, amount::text, currency, section, fx_rate::text as rate, counterparty_name as counterparty
    from cash_movements where trade_id = ${tradeId}::bigint`;
  return rows;
}

async function counts() {
  const [row] = await db.sql<[{ trades: number; legs: number }]>`
    select (select count(*)::int from transactions) as trades, (select count(*)::int from cash_movements where trade_id is not null) as legs`;
  return row;
}

describe('a recorded trade', () => {
  it('debits a BUY at quantity × price + costs, in the same transaction, against the broker', async () => {
    const id = await recordTrade(db.sql, BUY, ACTOR);
    expect(await legOf(id)).toEqual([
      { account: '3', amount: '-1007.50', currency: 'USD', section: 'TRANSFER', rate: null, counterparty: 'Broker' },
    ]);
  });

  it('credits a SELL at quantity × price − costs', async () => {
    const id = await recordTrade(db.sql, { ...BUY, type: 'SELL', date: '2025-01-31', quantity: '4', price: '108', costs: '2.5' }, ACTOR);
    expect((await legOf(id))[0]).toMatchObject({ account: '3', amount: '429.5' });
  });

  it('is refused, with nothing written, when its cash leg would overdraw the account', async () => {
    const before = await counts();
    const attempt = recordTrade(db.sql, { ...BUY, quantity: '100' }, ACTOR);
    await expect(attempt).rejects.toBeInstanceOf(BadUserInputError);
    await expect(attempt).rejects.toMatchObject({
      extensions: { argument: 'input.quantity' },
      message: expect.stringContaining('overdraft'),
    });
    expect(await counts()).toEqual(before);
  });

  it('settles in the account currency at the day’s rates, rounded to the cent, keeping the rate', async () => {
    // 2 × 100 USD + 1 = 201 USD; EUR is 1.2 USD on 2025-01-31, so 201 / 1.2 = 167.50 EUR.
    const id = await recordTrade(db.sql, { ...BUY, portfolioId: '2', date: '2025-01-31', quantity: '2', price: '100', costs: '1' }, ACTOR);
    const [leg] = await legOf(id);
    expect(leg).toMatchObject({ account: '5', amount: '-167.50', currency: 'EUR' });
    expect(Number(leg!.rate)).toBeCloseTo(1 / 1.2, 12);
  });

  it('takes a currency’s first rate for a trade dated before its history', async () => {
    await deposit(db.sql, '5', '500', '2024-11-01');
    // EUR's first rate is 1.1 on 2025-01-02: 201 USD / 1.1 = 182.7272…, 182.73 EUR.
    const id = await recordTrade(db.sql, { ...BUY, portfolioId: '2', date: '2024-12-02', quantity: '2', price: '100', costs: '1' }, ACTOR);
    expect((await legOf(id))[0]).toMatchObject({ account: '5', amount: '-182.73', currency: 'EUR' });
  });

  it('books nothing when the portfolio has no account', async () => {
    const id = await recordTrade(db.sql, { ...BUY, portfolioId: '3' }, ACTOR);
    expect(await legOf(id)).toEqual([]);
  });
});

describe('an imported trades file', () => {
  const header = 'account_ref,trade_time,isin,side,qty,price,fees,external_id';

  it('settles every trade of linked portfolios', async () => {
    const result = await importTrades(
      db.sql,
      Readable.from([`${header}\nFifo,2025-02-03,US0000000001,BUY,1,100,0.5,s-1\nSpare,2025-02-03,US0000000001,BUY,1,100,0,s-2\n`]),
      ACTOR,
    );
    expect(result.errors).toEqual([]);
    const [trade] = await db.sql<[{ id: string }]>`select transaction_id::text as id from transactions where external_id = 's-1'`;
    expect((await legOf(trade.id))[0]).toMatchObject({ account: '3', amount: '-100.5' });
  });

  it('is rejected at the line of the trade that would overdraw, importing nothing', async () => {
    const before = await counts();
    const result = await importTrades(
      db.sql,
      Readable.from([`${header}\nFifo,2025-02-04,US0000000001,BUY,1,100,0,o-1\nFifo,2025-02-05,US0000000001,BUY,100,100,0,o-2\n`]),
      ACTOR,
    );
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([{ line: 3, column: 'qty', message: expect.stringContaining('below its overdraft limit') }]);
    expect(await counts()).toEqual(before);
  });
});
