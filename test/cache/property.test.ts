import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer } from '../security/support.js';
import { AS_OF, seedBook } from '../graph/book.js';

/*
 * Never stale, as a property: random writes of every kind (the graph's mutations, builds, and
 * direct SQL as another system would write) interleaved with random reads, each read asked of a
 * server with the cache and of one without it over the same database; after every step their
 * answers must be equal. PROPERTY_SEED=<n> replays a run.
 */

const db = useTestDatabase();
const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = 500;
const ASSETS = 8;
const PORTFOLIOS = 3;

let cached: TestServer;
let uncached: TestServer;
const headers: Record<string, Record<string, string>> = {};

/** The reads, each a query and the scopes that ask it. */
const READS: Array<{
  name: string;
  query: (pick: (n: number) => number, firm: boolean) => [string, Record<string, unknown>];
  as: string[];
}> = [
  {
    name: 'asset with trades, prices, violations and allocations',
    as: ['ADMIN', 'VIEWER'],
    query: (pick, firm) => [
      `query A($id: ID!) { asset(id: $id) { id name sector currentPrice activeViolations ${firm ? 'marketValueBase positionQuantity totalTransactions' : ''}
        trades(first: 5) { totalCount edges { node { id quantity price realizedGainLoss counterparty { name } portfolio { name costMethod } } } }
        prices(from: "2025-06-01") { date close } violations { ruleId details checkDate } allocations { targetPercentage portfolio { id } } } }`,
      { id: String(1 + pick(ASSETS)) },
    ],
  },
  {
    name: 'assets page',
    as: ['ADMIN', 'VIEWER'],
    query: (pick, firm) => [
      `query P($first: Int) { assets(first: $first) { totalCount edges { node { id name fxRate riskCategory ${firm ? 'marketValueBase' : ''} } } } }`,
      { first: 1 + pick(ASSETS) },
    ],
  },
  {
    name: 'trades page',
    as: ['ADMIN', 'VIEWER'],
    query: () => [
      `{ trades(first: 200) { totalCount edges { node { id date type quantity price portfolio { id } asset { name } } } } }`,
      {},
    ],
  },
  {
    name: 'portfolio positions and P&L',
    as: ['ADMIN', 'VIEWER'],
    query: (pick, firm) => [
      `query F($id: ID!) { portfolio(id: $id) { id name costMethod
        positions { quantity costBasis marketValueBase unrealizedGainLoss lots { id remainingQuantity remainingCost } asset { id name } }
        pnl { realized unrealized currency } allocations { targetPercentage asset { id } } } }`,
      // The VIEWER's token lists portfolios 1 and 3.
      { id: firm ? String(1 + pick(PORTFOLIOS)) : String(1 + 2 * pick(2)) },
    ],
  },
  {
    name: 'dashboard',
    as: ['ADMIN'],
    query: () => [
      `{ portfolioOverview { totalAssets totalValue averageReturn riskDistribution { category count } }
        assetAllocation { key marketValue percentage } riskMetrics(top: 3) { id valueAtRisk }
        performanceDashboard(top: 2) { topPerformers { id totalReturn } bottomPerformers { id } }
        complianceSummary { totalActiveViolations assets { id } } transactionAnalysis(months: 3) { month tradeCount totalAmount }
        asset360Build { id asOf rowCount } }`,
      {},
    ],
  },
  {
    name: 'counterparties and aggregates',
    as: ['ADMIN'],
    query: () => [
      `{ counterparties(first: 10) { edges { node { id name rating trades(first: 3) { totalCount } } } }
        assetAggregates(groupBy: [ASSET_TYPE]) { count marketValueBase { sum } }
        tradeAggregates(groupBy: [PORTFOLIO]) { count } }`,
      {},
    ],
  },
];

type Write = (pick: (n: number) => number, step: number) => Promise<string>;

const WRITES: Write[] = [
  async (pick, step) => {
    const result = await graphql(
      cached.url,
      `
        mutation R($input: TradeInput!) {
          recordTrade(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          portfolioId: String(1 + pick(PORTFOLIOS)),
          assetId: String(1 + pick(ASSETS)),
          type: 'BUY',
          quantity: String(1 + pick(50)),
          price: `${10 + pick(90)}.${pick(100)}`,
          date: `2025-06-${String(2 + pick(27)).padStart(2, '0')}`,
          counterpartyId: pick(2) ? String(1 + pick(3)) : null,
          externalId: `property-${SEED}-${step}`,
        },
      },
      headers.ADMIN,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return 'recordTrade';
  },
  async (pick, step) => {
    const [portfolio] = await db.sql<[{ name: string }]>`select name from portfolios where portfolio_id = ${1 + pick(PORTFOLIOS)}`;
    const [asset] = await db.sql<[{ name: string }]>`select asset_name as name from asset_master where asset_id = ${1 + pick(ASSETS)}`;
    const csv = `account_ref,trade_time,symbol,side,qty,price,external_id\n"${portfolio!.name}",2025-06-${String(2 + pick(27)).padStart(2, '0')},"${asset!.name}",BUY,${1 + pick(20)},${5 + pick(50)},import-${SEED}-${step}\n`;
    const result = await graphql(
      cached.url,
      `
        mutation I($csv: String!) {
          importTrades(csv: $csv) {
            imported
            errors {
              message
            }
          }
        }
      `,
      { csv },
      headers.ADMIN,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return 'importTrades';
  },
  async (pick) => {
    const method = pick(2) ? 'FIFO' : 'AVERAGE';
    const result = await graphql(
      cached.url,
      `
        mutation C($id: ID!, $method: CostMethod!) {
          setCostMethod(portfolioId: $id, method: $method) {
            id
          }
        }
      `,
      { id: String(1 + pick(PORTFOLIOS)), method },
      headers.ADMIN,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return 'setCostMethod';
  },
  async (pick) => {
    if (pick(4) !== 0) return 'no build';
    await buildAsset360(db.sql, AS_OF);
    return 'build';
  },
  async (pick) => {
    await db.sql`
      insert into market_data (asset_id, price_date, closing_price) values (${1 + pick(ASSETS)}, ${`2025-06-${String(2 + pick(28)).padStart(2, '0')}`}, ${10 + pick(200)})
      on conflict (asset_id, price_date) do update set closing_price = excluded.closing_price`;
    return 'market_data';
  },
  async (pick) => {
    await db.sql`
      insert into fx_rates (currency, rate_date, rate_to_base) values (${pick(2) ? 'EUR' : 'GBP'}, ${`2025-06-${String(2 + pick(28)).padStart(2, '0')}`}, ${(0.8 + pick(60) / 100).toFixed(2)})
      on conflict (currency, rate_date) do update set rate_to_base = excluded.rate_to_base`;
    return 'fx_rates';
  },
  async (pick) => {
    await db.sql`
      insert into compliance_records (asset_id, check_date, rule_id, status, violation_details)
      values (${1 + pick(ASSETS)}, ${`2025-06-${String(2 + pick(28)).padStart(2, '0')}`}, ${`RULE-${pick(3)}`}, ${pick(2) ? 'VIOLATION' : 'PASS'}, 'property test')`;
    return 'compliance_records';
  },
  async (pick) => {
    const which = pick(3);
    if (which === 0)
      await db.sql`update asset_master set asset_name = ${`Asset ${pick(1000)}`}, sector = ${`Sector ${pick(3)}`} where asset_id = ${1 + pick(ASSETS)}`;
    else if (which === 1) await db.sql`update counterparty_info set name = ${`Party ${pick(1000)}`} where counterparty_id = ${1 + pick(3)}`;
    else await db.sql`update portfolio_allocation set target_percentage = ${pick(100)} where portfolio_id = ${1 + pick(PORTFOLIOS)}`;
    return 'reference data';
  },
];

beforeAll(async () => {
  await seedBook(db.sql, { assets: ASSETS, days: 40, portfolios: PORTFOLIOS, seed: 5 });
  await db.sql`update asset_master set asset_name = 'Asset ' || asset_id, status = 'ACTIVE'`;
  cached = await startTestServer(db.sql, AUTH_ON);
  uncached = await startTestServer(db.sql, { ...AUTH_ON, RESPONSE_CACHE: 'off' });
  headers.ADMIN = await bearer('ADMIN');
  headers.VIEWER = await bearer('VIEWER', ['1', '3']);
});
afterAll(async () => {
  await cached?.close();
  await uncached?.close();
});

describe('the response cache, against the same queries run without it', () => {
  it(`answers exactly as the uncached server after every step of ${STEPS} random writes and reads`, async () => {
    const random = seededRandom(SEED, 'response-cache-property');
    const pick = (n: number) => Math.floor(random() * n);
    const outcomes: Record<string, number> = { HIT: 0, MISS: 0 };
    const history: string[] = [];
    const started = Date.now();
    try {
      for (let step = 0; step < STEPS; step++) {
        if (random() < 0.3) {
          history.push(await WRITES[pick(WRITES.length)]!(pick, step));
          continue;
        }
        const read = READS[pick(READS.length)]!;
        const scope = read.as[pick(read.as.length)]!;
        const [query, variables] = read.query(pick, scope !== 'VIEWER');
        history.push(`${read.name} as ${scope}`);
        const fromCache = (await graphql(cached.url, query, variables, headers[scope])) as {
          data?: unknown;
          errors?: unknown;
          extensions?: { cache?: string };
        };
        const truth = await graphql(uncached.url, query, variables, headers[scope]);
        outcomes[fromCache.extensions?.cache ?? 'none'] = (outcomes[fromCache.extensions?.cache ?? 'none'] ?? 0) + 1;
        expect(truth.errors, JSON.stringify(truth.errors)).toBeUndefined();
        expect(fromCache.data, `${read.name} as ${scope} (${fromCache.extensions?.cache})`).toEqual(truth.data);
        if (fromCache.extensions?.cache === 'MISS' && random() < 0.5) {
          // Nothing was written since: the entry just stored must answer, and answer the same.
          const again = (await graphql(cached.url, query, variables, headers[scope])) as {
            data?: unknown;
            extensions?: { cache?: string };
          };
          expect(again.extensions?.cache).toBe('HIT');
          outcomes.HIT! += 1;
          expect(again.data, `${read.name} as ${scope} (again)`).toEqual(truth.data);
        }
      }
    } catch (error) {
      throw new Error(`PROPERTY_SEED=${SEED} failed after: ${history.slice(-8).join(' → ')}\n${(error as Error).message}`);
    }
    console.log(
      `PROPERTY_SEED=${SEED}: ${STEPS} steps in ${((Date.now() - started) / 1000).toFixed(1)} s, reads ${JSON.stringify(outcomes)}`,
    );
    // A run that never hit would prove nothing.
    expect(outcomes.HIT, JSON.stringify(outcomes)).toBeGreaterThan(20);
    expect(outcomes.MISS, JSON.stringify(outcomes)).toBeGreaterThan(20);
    // About 30 s on a quiet machine; the shared CI machine may be several times slower.
  }, 300_000);
});
