import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AS_OF, seedBook } from '../graph/book.js';
import { AUTH_ON, bearer } from '../security/support.js';

const db = useTestDatabase();
let server: TestServer;
let admin: Record<string, string>;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 30, days: 140, portfolios: 3, seed: 14 });
  server = await startTestServer(db.sql, AUTH_ON);
  admin = await bearer('ADMIN');
});
afterAll(() => server?.close());

const PORTFOLIO_RISK = `query($id: ID!, $window: RiskWindowInput, $benchmarkId: ID, $riskFreeRate: Float, $confidence: Float, $limit: Int) {
  portfolio(id: $id) { risk(window: $window, benchmarkId: $benchmarkId, riskFreeRate: $riskFreeRate, confidence: $confidence) {
    asOf baseCurrency
    portfolio { from to returns firstDate lastDate volatility sharpeRatio sortinoRatio downsideRisk valueAtRisk parametricValueAtRisk
      expectedShortfall maxDrawdown maxDrawdownPeak maxDrawdownTrough beta alpha trackingError informationRatio benchmark { id } }
    positions { asset { id } weight marketValueBase volatility valueAtRisk marginalValueAtRisk componentValueAtRisk }
    correlations(limit: $limit) { assets { id } matrix }
  } } }`;

const ASSET_RISK = `query($id: ID!, $window: RiskWindowInput, $benchmarkId: ID, $confidence: Float, $riskFreeRate: Float) {
  asset(id: $id) { risk(window: $window, benchmarkId: $benchmarkId, confidence: $confidence, riskFreeRate: $riskFreeRate) {
    returns firstDate lastDate volatility sharpeRatio valueAtRisk parametricValueAtRisk expectedShortfall beta alpha trackingError maxDrawdown
  } } }`;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const cov = (xs: number[], ys: number[]) => {
  const mx = mean(xs);
  const my = mean(ys);
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / (xs.length - 1);
};
function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
}
function near(actual: number | null, expected: number, tolerance = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

/** The returns of one asset in base currency, straight from the rows, keyed by date. */
async function baseReturns(assetId: string, from: string, to: string): Promise<Map<string, number>> {
  const closes = await db.sql<{ d: string; close: number; currency: string }[]>`
    select m.price_date as d, m.closing_price::float8 as close, a.currency
    from market_data m join asset_master a using (asset_id)
    where m.asset_id = ${assetId} and m.price_date between ${from} and ${to} order by m.price_date`;
  const [{ base }] = await db.sql<[{ base: string }]>`select base_currency as base from asset_360_settings`;
  const rates = await db.sql<{ d: string; rate: number }[]>`
    select rate_date as d, rate_to_base::float8 as rate from fx_rates where currency = ${closes[0]?.currency ?? base} order by rate_date`;
  const fx = (day: string) => (closes[0]?.currency === base ? 1 : ([...rates].reverse().find((r) => r.d <= day)?.rate ?? NaN));
  const returns = new Map<string, number>();
  for (let i = 1; i < closes.length; i++) {
    const value = (closes[i]!.close * fx(closes[i]!.d)) / (closes[i - 1]!.close * fx(closes[i - 1]!.d)) - 1;
    if (Number.isFinite(value)) returns.set(closes[i]!.d, value);
  }
  return returns;
}

describe('Portfolio.risk', () => {
  it('matches a computation straight from the rows, and its component VaRs add up to its parametric VaR', async () => {
    const response = await graphql(
      server.url,
      PORTFOLIO_RISK,
      { id: '1', window: { span: 'THREE_MONTHS' }, benchmarkId: '1', riskFreeRate: 0.02 },
      admin,
    );
    expect(response.errors).toBeUndefined();
    const risk = response.data!.portfolio.risk;
    expect(risk.asOf).toBe(AS_OF);
    const { from, to } = risk.portfolio;
    expect(to).toBe(AS_OF);

    // Holdings at asOf and their values in base currency.
    const held = await db.sql<{ asset_id: string; quantity: number }[]>`
      select asset_id::text, sum(case transaction_type when 'BUY' then quantity else -quantity end)::float8 as quantity
      from transactions where portfolio_id = 1 and transaction_date <= ${AS_OF} group by asset_id
      having sum(case transaction_type when 'BUY' then quantity else -quantity end) <> 0`;
    const values = new Map<string, number>();
    for (const { asset_id, quantity } of held) {
      const [last] = await db.sql<[{ close: number; rate: number | null }?]>`
        select m.closing_price::float8 as close,
          case when a.currency = (select base_currency from asset_360_settings) then 1 else
            (select rate_to_base::float8 from fx_rates f where f.currency = a.currency and f.rate_date <= ${AS_OF} order by rate_date desc limit 1) end as rate
        from market_data m join asset_master a using (asset_id)
        where m.asset_id = ${asset_id} and m.price_date <= ${AS_OF} order by m.price_date desc limit 1`;
      if (last && last.rate !== null) values.set(asset_id, quantity * last.close * last.rate);
    }
    const total = [...values.values()].reduce((s, v) => s + v, 0);
    expect(risk.positions.map((p: { asset: { id: string } }) => p.asset.id).sort()).toEqual([...values.keys()].sort());

    const series = new Map<string, Map<string, number>>();
    for (const id of values.keys()) series.set(id, await baseReturns(id, from, to));
    const dates = [...series.values()].reduce<string[]>(
      (common, returns) => common.filter((d) => returns.has(d)),
      [...series.values().next().value!.keys()],
    );
    const portfolio = dates.map((d) => [...values].reduce((s, [id, v]) => s + (v / total) * series.get(id)!.get(d)!, 0));
    expect(risk.portfolio.returns).toBe(dates.length);
    expect(risk.portfolio.firstDate).toBe(dates[0]);
    expect(risk.portfolio.lastDate).toBe(dates[dates.length - 1]);

    // scipy.special.ndtri(0.95), independent of the code under test.
    const z = 1.6448536269514722;
    const rf = 0.02 / 252;
    near(risk.portfolio.volatility, std(portfolio) * Math.sqrt(252));
    near(risk.portfolio.sharpeRatio, (mean(portfolio.map((r) => r - rf)) / std(portfolio)) * Math.sqrt(252));
    near(risk.portfolio.parametricValueAtRisk, z * std(portfolio) - mean(portfolio));
    near(risk.portfolio.valueAtRisk, -percentile(portfolio, 1 - 0.95));
    const benchmark = await baseReturns('1', from, to);
    const paired = dates.filter((d) => benchmark.has(d));
    const b = paired.map((d) => benchmark.get(d)!);
    const p = paired.map((d) => portfolio[dates.indexOf(d)]!);
    near(risk.portfolio.beta, cov(p, b) / std(b) ** 2);
    near(risk.portfolio.trackingError, std(p.map((x, i) => x - b[i]!)) * Math.sqrt(252));
    expect(risk.portfolio.benchmark).toEqual({ id: '1' });

    let components = 0;
    for (const position of risk.positions) {
      const returns = dates.map((d) => series.get(position.asset.id)!.get(d)!);
      near(position.weight, values.get(position.asset.id)! / total);
      near(position.volatility, std(returns) * Math.sqrt(252));
      near(position.valueAtRisk, z * std(returns) - mean(returns));
      near(position.marginalValueAtRisk, -mean(returns) + (z * cov(returns, portfolio)) / std(portfolio));
      near(position.componentValueAtRisk, position.weight * position.marginalValueAtRisk);
      components += position.componentValueAtRisk;
    }
    near(components, risk.portfolio.parametricValueAtRisk, 1e-12);
    const weights = risk.positions.map((position: { weight: number }) => position.weight);
    expect(weights).toEqual([...weights].sort((x, y) => y - x));

    const { assets, matrix } = risk.correlations;
    expect(assets.map((a: { id: string }) => a.id)).toEqual(risk.positions.slice(0, 100).map((p: { asset: { id: string } }) => p.asset.id));
    const [first, second] = assets.map((a: { id: string }) => dates.map((d) => series.get(a.id)!.get(d)!));
    near(matrix[0][1], cov(first!, second!) / (std(first!) * std(second!)));
    expect(matrix[0][0]).toBe(1);
    expect(matrix[1][0]).toBe(matrix[0][1]);
  });

  it('caps the correlations', async () => {
    const response = await graphql(server.url, PORTFOLIO_RISK, { id: '1', limit: 2 }, admin);
    expect(response.data!.portfolio.risk.correlations.matrix).toHaveLength(2);
    const refused = await graphql(server.url, PORTFOLIO_RISK, { id: '1', limit: 101 }, admin);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'limit' });
  });

  it('is null for a portfolio that held nothing at asOf', async () => {
    const response = await graphql(
      server.url,
      `
        {
          portfolio(id: "1") {
            risk(asOf: "1990-01-02", window: { span: ONE_MONTH }) {
              asOf
            }
          }
        }
      `,
      {},
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.portfolio.risk).toBeNull();
  });

  it('follows VIEWER scoping: a viewer of portfolio 1 reads its risk, not portfolio 2', async () => {
    const viewer = await bearer('VIEWER', ['1']);
    const own = await graphql(
      server.url,
      `
        {
          portfolio(id: "1") {
            risk {
              portfolio {
                returns
              }
            }
          }
        }
      `,
      {},
      viewer,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.portfolio.risk.portfolio.returns).toBeGreaterThan(1);
    const other = await graphql(
      server.url,
      `
        {
          portfolio(id: "2") {
            risk {
              portfolio {
                returns
              }
            }
          }
        }
      `,
      {},
      viewer,
    );
    expect(other.data!.portfolio).toBeNull();
  });
});

describe('Asset.risk', () => {
  it('matches the rows in its own currency', async () => {
    const response = await graphql(server.url, ASSET_RISK, { id: '2', window: { from: '2025-03-01', to: AS_OF }, benchmarkId: '1' }, admin);
    expect(response.errors).toBeUndefined();
    const risk = response.data!.asset.risk;
    const rows = await db.sql<{ d: string; close: number }[]>`
      select price_date as d, closing_price::float8 as close from market_data where asset_id = 2 and price_date between '2025-03-01' and ${AS_OF} order by price_date`;
    const returns = rows.slice(1).map((row, i) => row.close / rows[i]!.close - 1);
    expect(risk.returns).toBe(returns.length);
    expect(risk.firstDate).toBe(rows[1]!.d);
    near(risk.volatility, std(returns) * Math.sqrt(252));
    near(risk.valueAtRisk, -percentile(returns, 0.05));
    const sorted = [...returns].sort((a, b) => a - b);
    near(risk.expectedShortfall, -mean(sorted.slice(0, Math.floor((returns.length - 1) * (1 - 0.95)) + 1)));
    expect(risk.maxDrawdown).toBeLessThanOrEqual(0);
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ confidence: 1 }, 'confidence'],
      [{ confidence: 0.5 }, 'confidence'],
      [{ riskFreeRate: 5 }, 'riskFreeRate'],
      [{ benchmarkId: '999999' }, 'benchmarkId'],
      [{ benchmarkId: 'x' }, 'benchmarkId'],
      [{ window: { from: '2025-06-01', to: '2025-05-01' } }, 'window.from'],
      [{ window: { from: '2025-06-01', span: 'ONE_YEAR' } }, 'window.span'],
      [{ window: { from: '2025-06-27', to: '2025-06-27' } }, 'window'],
      [{ window: { from: '1990-01-01', to: '1990-02-01' } }, 'window'],
    ];
    for (const [variables, argument] of cases) {
      const response = await graphql(server.url, ASSET_RISK, { id: '2', ...variables }, admin);
      expect(response.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});
