import { describe, expect, it } from 'vitest';
import {
  PortfolioPositionsDocument,
  PortfolioRealizationsDocument,
  RecordTradeDocument,
  SetCostMethodDocument,
  type TradeInput,
} from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { useGraphServer } from '../graph/book.js';
import { normal, tradingBook } from './support.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, tradingBook);

/** The reference case: no costs, the last close 108 (100 on 2025-01-06). */
const REFERENCE: Array<Pick<TradeInput, 'date' | 'type' | 'quantity' | 'price'>> = [
  { date: '2025-01-02', type: 'BUY', quantity: '100', price: '95' },
  { date: '2025-01-03', type: 'BUY', quantity: '200', price: '105' },
  { date: '2025-01-06', type: 'BUY', quantity: '100', price: '107' },
  { date: '2025-01-06', type: 'SELL', quantity: '150', price: '110' },
  { date: '2025-01-07', type: 'BUY', quantity: '50', price: '100' },
  { date: '2025-01-08', type: 'BUY', quantity: '300', price: '107.5' },
  { date: '2025-01-09', type: 'SELL', quantity: '200', price: '108' },
];

async function recordReference(portfolioId: string): Promise<void> {
  for (const trade of REFERENCE) dataOf(await execute(RecordTradeDocument, { input: { ...trade, assetId: '1', portfolioId } }));
}

async function pnl(id: string, period: { from?: string; to?: string } = {}) {
  const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id, ...period }));
  return { realized: normal(portfolio!.pnl.realized), unrealized: normal(portfolio!.pnl.unrealized), currency: portfolio!.pnl.currency };
}

async function realizations(id: string): Promise<Array<string | null>> {
  const { portfolio } = dataOf(await execute(PortfolioRealizationsDocument, { id }));
  return portfolio!.trades.edges.map((edge) => normal(edge.node.realizedGainLoss)).reverse();
}

describe('the reference case', () => {
  it('comes out exactly under FIFO: realized 2250, unrealized 600', async () => {
    await recordReference('1');
    expect(await pnl('1')).toEqual({ realized: '2250', unrealized: '600', currency: 'USD' });
    expect(await realizations('1')).toEqual([null, null, null, '1750', null, null, '500']);

    const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: '1' }));
    expect(portfolio!.costMethod).toBe('FIFO');
    expect(portfolio!.positions).toHaveLength(1);
    const [position] = portfolio!.positions;
    expect({
      quantity: normal(position!.quantity),
      costBasis: normal(position!.costBasis),
      averageCost: normal(position!.averageCost),
      price: normal(position!.price),
      marketValue: normal(position!.marketValue),
      unrealized: normal(position!.unrealizedGainLoss),
    }).toEqual({ quantity: '400', costBasis: '42600', averageCost: '106.5', price: '108', marketValue: '43200', unrealized: '600' });
    expect(position).toMatchObject({ asset: { id: '1' }, currency: 'USD', priceDate: '2025-01-31', weight: 1 });
    expect(
      position!.lots.map((lot) => [lot.openDate, normal(lot.quantity), normal(lot.remainingQuantity), normal(lot.remainingCost)]),
    ).toEqual([
      ['2025-01-06', '100', '50', '5350'],
      ['2025-01-07', '50', '50', '5000'],
      ['2025-01-08', '300', '300', '32250'],
    ]);
  });

  it('comes out exactly under AVERAGE: realized 1650, unrealized 1200', async () => {
    expect(dataOf(await execute(SetCostMethodDocument, { portfolioId: '2', method: 'AVERAGE' })).setCostMethod).toEqual({
      id: '2',
      costMethod: 'AVERAGE',
    });
    await recordReference('2');
    expect(await pnl('2')).toEqual({ realized: '1650', unrealized: '1200', currency: 'USD' });
    expect(await realizations('2')).toEqual([null, null, null, '1050', null, null, '600']);

    const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: '2' }));
    const [position] = portfolio!.positions;
    expect([normal(position!.quantity), normal(position!.costBasis), normal(position!.averageCost)]).toEqual(['400', '42000', '105']);
    // The lots keep which purchases are held; their cost is the average.
    expect(position!.lots.map((lot) => [lot.openDate, normal(lot.remainingQuantity), normal(lot.remainingCost)])).toEqual([
      ['2025-01-06', '50', '5250'],
      ['2025-01-07', '50', '5250'],
      ['2025-01-08', '300', '31500'],
    ]);
  });

  it('values a past period at the prices of its last day', async () => {
    expect(await pnl('1', { to: '2025-01-06' })).toMatchObject({ realized: '1750', unrealized: '-1450' });
    expect(await pnl('2', { to: '2025-01-06' })).toMatchObject({ realized: '1050', unrealized: '-750' });
    expect(await pnl('1', { from: '2025-01-07' })).toMatchObject({ realized: '500', unrealized: '600' });
    expect(await pnl('2', { from: '2025-01-07', to: '2025-01-08' })).toMatchObject({ realized: '0' });
    expect(await pnl('1', { to: '2025-01-01' })).toMatchObject({ realized: '0', unrealized: '0' });
  });

  it('recomputes realized and unrealized P&L when the cost method changes, and back', async () => {
    expect(dataOf(await execute(SetCostMethodDocument, { portfolioId: '1', method: 'AVERAGE' })).setCostMethod.costMethod).toBe('AVERAGE');
    expect(await pnl('1')).toMatchObject({ realized: '1650', unrealized: '1200' });
    expect(await realizations('1')).toEqual([null, null, null, '1050', null, null, '600']);
    expect(dataOf(await execute(SetCostMethodDocument, { portfolioId: '1', method: 'FIFO' })).setCostMethod.costMethod).toBe('FIFO');
    expect(await pnl('1')).toMatchObject({ realized: '2250', unrealized: '600' });
    expect(await realizations('1')).toEqual([null, null, null, '1750', null, null, '500']);
  });

  it('puts buy costs into the lots and takes sell costs off the proceeds', async () => {
    dataOf(
      await execute(RecordTradeDocument, {
        input: { assetId: '1', portfolioId: '3', type: 'BUY', date: '2025-01-02', quantity: '3', price: '10', costs: '1' },
      }),
    );
    const sale = dataOf(
      await execute(RecordTradeDocument, {
        input: { assetId: '1', portfolioId: '3', type: 'SELL', date: '2025-01-03', quantity: '1', price: '20', costs: '0.5' },
      }),
    ).recordTrade;
    // The lot cost 31; one unit of three costs 10.3333333333 (half up at 10 places): 20 - 0.5 - 10.3333333333.
    expect(normal(sale.realizedGainLoss)).toBe('9.1666666667');
    expect(normal(sale.totalAmount)).toBe('20');
    const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: '3' }));
    expect(portfolio!.positions[0]!.lots.map((lot) => [normal(lot.remainingQuantity), normal(lot.remainingCost)])).toEqual([
      ['2', '20.6666666667'],
    ]);
    expect(normal(portfolio!.positions[0]!.averageCost)).toBe('10.3333333334');
  });

  it('weighs positions by their value in base currency', async () => {
    await execute(RecordTradeDocument, {
      input: { assetId: '1', portfolioId: '4', type: 'BUY', date: '2025-01-02', quantity: '10', price: '100' },
    });
    await execute(RecordTradeDocument, {
      input: { assetId: '2', portfolioId: '4', type: 'BUY', date: '2025-01-02', quantity: '30', price: '40', currency: 'EUR' },
    });
    const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: '4' }));
    // 30 × 50 EUR at 1.2 = 1800 USD, then 10 × 108 = 1080 USD.
    expect(portfolio!.positions.map((p) => [p.asset.id, p.currency, normal(p.marketValue), normal(p.marketValueBase), p.weight])).toEqual([
      ['2', 'EUR', '1500', '1800', 1800 / 2880],
      ['1', 'USD', '1080', '1080', 1080 / 2880],
    ]);
    // Unrealized 300 EUR at 1.2 plus 80 USD.
    expect(await pnl('4')).toMatchObject({ unrealized: '440', realized: '0' });
  });
});
