import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer, expectClientError } from '../security/support.js';
import { FIRST_DATE, LAST_DATE, seedPyPortfolioOptBook } from './book.js';

const db = useTestDatabase();
let server: TestServer;
let analyst: Record<string, string>;
let book: Awaited<ReturnType<typeof seedPyPortfolioOptBook>>;

beforeAll(async () => {
  book = await seedPyPortfolioOptBook(db.sql);
  server = await startTestServer(db.sql, AUTH_ON);
  analyst = await bearer('ANALYST');
});
afterAll(() => server?.close());

const OPTIMIZE = `query($id: ID!, $input: OptimizationInput!) {
  portfolio(id: $id) { optimize(input: $input) {
    from to observations expectedReturn volatility sharpe riskFreeRate covarianceRepaired shrinkage baseCurrency marketValue lotSize
    weights { assetId weight expectedReturn }
    holdings { assetId currentQuantity currentWeight targetWeight }
    trades { assetId side quantity price currentQuantity targetQuantity }
    priceWindowHash covarianceHash
  } } }`;

async function optimize(input: Record<string, unknown>, headers = analyst) {
  return graphql(server.url, OPTIMIZE, { id: book.portfolioId, input: { from: FIRST_DATE, to: LAST_DATE, ...input } }, headers);
}

const near = (actual: number, expected: number, tolerance = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);

describe('Portfolio.optimize over market_data', () => {
  it('gives PyPortfolioOpt’s min volatility, max Sharpe and Ledoit-Wolf answers from the stored prices', async () => {
    const minimum = await optimize({ objective: 'MIN_VOLATILITY' });
    expect(minimum.errors).toBeUndefined();
    const o = minimum.data!.portfolio.optimize;
    near(o.expectedReturn, 0.15056821399482578);
    near(o.volatility, 0.15915084514118694);
    near(o.sharpe, 0.8204054077060996);
    expect(o.covarianceRepaired).toBe(false);
    expect(o.shrinkage).toBeNull();
    expect(o.observations).toBe(7125);
    expect(o.weights.map((w: { assetId: string }) => w.assetId)).toEqual(book.assetIds);

    const sharpe = (await optimize({ objective: 'MAX_SHARPE', riskFreeRate: 0.02 })).data!.portfolio.optimize;
    near(sharpe.sharpe, 1.2847714127003216);

    const shrunk = (await optimize({ objective: 'EFFICIENT_RETURN', targetReturn: 0.22, riskModel: 'LEDOIT_WOLF_SINGLE_FACTOR' })).data!
      .portfolio.optimize;
    near(shrunk.volatility, 0.08892163937693882);
    near(shrunk.shrinkage, 0.018506888954094497, 1e-12);

    const unbounded = (await optimize({ objective: 'MIN_VOLATILITY', minWeight: null, maxWeight: null })).data!.portfolio.optimize;
    near(unbounded.volatility, 0.1555915367269669);
  });

  it('proposes whole lots that bring every position within half a lot of its target weight', async () => {
    const response = await optimize({ objective: 'MAX_SHARPE', lotSize: '10' });
    expect(response.errors).toBeUndefined();
    const o = response.data!.portfolio.optimize;
    const price = new Map<string, number>(o.trades.map((t: { assetId: string; price: string }) => [t.assetId, Number(t.price)]));
    for (const trade of o.trades) {
      expect(Number(trade.quantity) % 10).toBe(0);
      const signed = trade.side === 'BUY' ? Number(trade.quantity) : -Number(trade.quantity);
      expect(Number(trade.targetQuantity)).toBeCloseTo(Number(trade.currentQuantity) + signed, 9);
      const weight = o.weights.find((w: { assetId: string }) => w.assetId === trade.assetId).weight;
      const lotWeight = (10 * price.get(trade.assetId)!) / o.marketValue;
      expect(Math.abs((Number(trade.targetQuantity) * price.get(trade.assetId)!) / o.marketValue - weight)).toBeLessThanOrEqual(
        lotWeight / 2 + 1e-12,
      );
    }
    // Every asset whose weight is ~0 is sold out: 100 units is 10 lots.
    const zero = o.weights.filter((w: { weight: number }) => w.weight < 1e-9).map((w: { assetId: string }) => w.assetId);
    expect(zero.length).toBeGreaterThan(0);
    for (const id of zero) {
      const trade = o.trades.find((t: { assetId: string }) => t.assetId === id);
      expect(trade).toMatchObject({ side: 'SELL', quantity: '100', targetQuantity: '0' });
    }
    const current = o.holdings.reduce((s: number, h: { currentWeight: number }) => s + h.currentWeight, 0);
    near(current, 1, 1e-12);
  });

  it('the same request gives the same hashes; another window another price hash', async () => {
    const a = (await optimize({ objective: 'MIN_VOLATILITY' })).data!.portfolio.optimize;
    const b = (await optimize({ objective: 'MIN_VOLATILITY' })).data!.portfolio.optimize;
    const c = (await optimize({ objective: 'MIN_VOLATILITY', from: '2015-01-02' })).data!.portfolio.optimize;
    expect(b.priceWindowHash).toBe(a.priceWindowHash);
    expect(b.covarianceHash).toBe(a.covarianceHash);
    expect(c.priceWindowHash).not.toBe(a.priceWindowHash);
    expect(a.priceWindowHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sector caps bind on asset_master.sector', async () => {
    const o = (await optimize({ objective: 'MAX_SHARPE', sectorCaps: [{ sector: 'TECH', max: 0.3 }] })).data!.portfolio.optimize;
    const [tech] = await db.sql<[{ ids: string[] }]>`select array_agg(asset_id::text) as ids from asset_master where sector = 'TECH'`;
    const weight = o.weights
      .filter((w: { assetId: string }) => tech.ids.includes(w.assetId))
      .reduce((s: number, w: { weight: number }) => s + w.weight, 0);
    expect(weight).toBeLessThanOrEqual(0.3 + 1e-9);
    expect(weight).toBeGreaterThan(0.3 - 1e-6);
  });

  it('names the argument of an infeasible or missing input', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ objective: 'EFFICIENT_RETURN', targetReturn: 3 }, 'input.targetReturn'],
      [{ objective: 'EFFICIENT_RETURN' }, 'input.targetReturn'],
      [{ objective: 'EFFICIENT_RISK', targetVolatility: 0.01 }, 'input.targetVolatility'],
      [{ objective: 'MIN_VOLATILITY', maxWeight: 0.01 }, 'input.weightBounds'],
      [{ objective: 'MIN_VOLATILITY', sectorCaps: [{ sector: 'OTHER', max: 0.1 }], maxWeight: 0.1 }, 'input.sectorCaps'],
      [{ objective: 'MAX_SHARPE', riskFreeRate: 9 }, 'input.riskFreeRate'],
      [{ objective: 'MIN_VOLATILITY', from: LAST_DATE, to: FIRST_DATE }, 'input.from'],
      [{ objective: 'MIN_VOLATILITY', assetIds: ['999999'] }, 'input.assetIds'],
      [{ objective: 'MIN_VOLATILITY', lotSize: '0' }, 'input.lotSize'],
    ];
    for (const [input, argument] of cases) {
      const response = await optimize(input);
      expectClientError(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.extensions!.argument, JSON.stringify(input)).toBe(argument);
    }
  });

  it('a viewer of another portfolio sees no portfolio to optimize', async () => {
    const response = await optimize({ objective: 'MIN_VOLATILITY' }, await bearer('VIEWER', ['999']));
    expect(response.data?.portfolio ?? null).toBeNull();
  });
});
