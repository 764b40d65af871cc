import { describe, expect, it } from 'vitest';
import { PortfolioPositionsDocument, RecordTradeDocument, type TradeInput } from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { useGraphServer } from '../graph/book.js';
import { expectBadInput, normal, tradingBook } from './support.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, tradingBook);

const BUY: TradeInput = { assetId: '1', portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '100', price: '10' };

async function footprint() {
  const [row] = await db.sql<[{ trades: number; lots: number; sales: number; cost: string | null }]>`
    select (select count(*)::int from transactions) as trades, (select count(*)::int from position_lots) as lots,
      (select count(*)::int from trade_realizations) as sales, (select sum(remaining_cost)::text from position_lots) as cost`;
  return row;
}

async function held(portfolioId: string): Promise<string | null> {
  const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: portfolioId }));
  return normal(portfolio!.positions.find((position) => position.asset.id === '1')?.quantity ?? '0');
}

describe('recordTrade', () => {
  it('records a trade, computing totalAmount exactly on the server', async () => {
    const trade = dataOf(
      await execute(RecordTradeDocument, {
        input: { ...BUY, counterpartyId: '1', quantity: '0.3', price: '0.1', costs: '0.01', currency: 'USD' },
      }),
    ).recordTrade;
    expect(trade).toMatchObject({
      type: 'BUY',
      date: '2025-01-02',
      asset: { id: '1' },
      portfolio: { id: '1' },
      counterparty: { id: '1' },
      realizedGainLoss: null,
    });
    expect([normal(trade.quantity), normal(trade.price), normal(trade.totalAmount), normal(trade.costs)]).toEqual([
      '0.3',
      '0.1',
      '0.03',
      '0.01',
    ]);
    const [stored] = await db.sql`select total_amount::text from transactions where transaction_id = ${trade.id}`;
    expect(normal(stored!.total_amount)).toBe('0.03');
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const before = await footprint();
    const cases: Array<[Partial<TradeInput>, string]> = [
      [{ quantity: '0' }, 'input.quantity'],
      [{ quantity: '-1' }, 'input.quantity'],
      [{ price: '-0.01' }, 'input.price'],
      [{ costs: '-1' }, 'input.costs'],
      [{ date: '2999-01-01' }, 'input.date'],
      [{ assetId: '404' }, 'input.assetId'],
      [{ assetId: '3' }, 'input.assetId'],
      [{ assetId: 'x' }, 'input.assetId'],
      [{ portfolioId: '404' }, 'input.portfolioId'],
      [{ portfolioId: '0' }, 'input.portfolioId'],
      [{ counterpartyId: '404' }, 'input.counterpartyId'],
      [{ currency: 'EUR' }, 'input.currency'],
      [{ currency: 'usd' }, 'input.currency'],
      [{ externalId: '' }, 'input.externalId'],
      [{ externalId: 'x'.repeat(101) }, 'input.externalId'],
    ];
    for (const [change, argument] of cases) expectBadInput(await execute(RecordTradeDocument, { input: { ...BUY, ...change } }), argument);
    expect(await footprint()).toEqual(before);
  });

  it('refuses a SELL beyond the holding, and a backdated SELL that leaves a later one short, writing nothing', async () => {
    dataOf(await execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '2', date: '2025-01-02', quantity: '100' } }));
    dataOf(await execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '2', type: 'SELL', date: '2025-01-10', quantity: '80' } }));
    const before = await footprint();

    const oversell = await execute(RecordTradeDocument, {
      input: { ...BUY, portfolioId: '2', type: 'SELL', date: '2025-01-11', quantity: '20.0001' },
    });
    expectBadInput(oversell, 'input.quantity');
    expect(oversell.errors![0]!.message).toContain('exceeds the 20 that portfolio 2 holds of asset 1 on 2025-01-11');
    // On 2025-01-05 the portfolio holds 100, but the sale would leave the SELL of 80 on 2025-01-10 short.
    const backdated = await execute(RecordTradeDocument, {
      input: { ...BUY, portfolioId: '2', type: 'SELL', date: '2025-01-05', quantity: '30' },
    });
    expectBadInput(backdated, 'input.quantity');
    expect(backdated.errors![0]!.message).toMatch(/later SELL \d+ of 80 on 2025-01-10 uncovered/);
    // Selling before the first purchase.
    expectBadInput(
      await execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '2', type: 'SELL', date: '2025-01-01', quantity: '1' } }),
      'input.quantity',
    );
    expect(await footprint()).toEqual(before);

    // What is held may be sold, backdated too: the later sale is recomputed.
    dataOf(await execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '2', type: 'SELL', date: '2025-01-05', quantity: '20' } }));
    expect(await held('2')).toBe('0');
  });

  it('returns the same trade for the same externalId and payload, and refuses another payload', async () => {
    const input: TradeInput = { ...BUY, portfolioId: '3', externalId: 'order-1', counterpartyId: '1', costs: '2.5' };
    const first = dataOf(await execute(RecordTradeDocument, { input })).recordTrade;
    const before = await footprint();
    // The same amounts written otherwise are the same payload.
    const again = dataOf(
      await execute(RecordTradeDocument, { input: { ...input, quantity: '100.00', costs: '2.50', currency: 'USD' } }),
    ).recordTrade;
    expect(again).toEqual(first);
    expect(await footprint()).toEqual(before);

    for (const change of [
      { quantity: '101' },
      { price: '10.01' },
      { costs: '0' },
      { date: '2025-01-03' },
      { type: 'SELL' as const },
      { counterpartyId: null },
      { portfolioId: '4' },
    ]) {
      const result = await execute(RecordTradeDocument, { input: { ...input, ...change } });
      expectBadInput(result, 'input.externalId');
      expect(result.errors![0]!.message).toContain(`already records trade ${first.id}`);
    }
    expect(await footprint()).toEqual(before);
  });

  it('never oversells under concurrent SELLs on one portfolio', async () => {
    dataOf(await execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '4', quantity: '100' } }));
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        execute(RecordTradeDocument, { input: { ...BUY, portfolioId: '4', type: 'SELL', date: '2025-01-03', quantity: '15' } }),
      ),
    );
    const accepted = results.filter((result) => !result.errors);
    const refused = results.filter((result) => result.errors);
    expect(accepted).toHaveLength(6);
    for (const result of refused)
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.quantity' });
    expect(await held('4')).toBe('10');
    const [sold] =
      await db.sql`select sum(quantity)::text as sold, count(*)::int as sales from transactions where portfolio_id = 4 and transaction_type = 'SELL'`;
    expect(sold).toEqual({ sold: '90', sales: 6 });
    const [lots] = await db.sql`select sum(remaining_quantity)::text as remaining from position_lots where portfolio_id = 4`;
    expect(normal(lots!.remaining)).toBe('10');
  });

  it('records the same externalId once under concurrent retries', async () => {
    const input: TradeInput = { ...BUY, portfolioId: '4', externalId: 'retry-1', quantity: '5' };
    const results = await Promise.all(Array.from({ length: 8 }, () => execute(RecordTradeDocument, { input })));
    const ids = new Set(results.map((result) => dataOf(result).recordTrade.id));
    expect(ids.size).toBe(1);
    const [row] = await db.sql`select count(*)::int as count from transactions where external_id = 'retry-1'`;
    expect(row!.count).toBe(1);
  });
});
