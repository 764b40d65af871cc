import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetsRelationsDocument,
  AssetsWithLatestTradesDocument,
  DashboardDocument,
  PortfoliosTradesDocument,
} from '../generated/graphql.js';
import { dataOf, graphqlClient, type Execute } from '../support/graphql-client.js';
import { countingSql, type CountingSql } from '../support/counting-sql.js';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { seedBook } from './book.js';

// The bound is the resolvers': with the response cache on, a request also reads the data versions
// once (test/cache covers that), so these servers run without it.
const UNCACHED = { RESPONSE_CACHE: 'off' };
const db = useTestDatabase();
let counted: CountingSql;
let server: TestServer;
let execute: Execute;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 210, days: 30, portfolios: 4, seed: 11 });
  counted = await countingSql(db.url);
  // 200 assets with 50 trades each, or with a year of prices, is more than one request may ask for
  // by default (MAX_QUERY_COMPLEXITY); here it is what batching must keep to a few statements.
  server = await startTestServer(counted.sql, { ...UNCACHED, MAX_QUERY_COMPLEXITY: '1000000' });
  execute = graphqlClient(server.url);
});

afterAll(async () => {
  await server?.close();
  await counted?.sql.end();
});

const countStatements = <T>(run: () => Promise<T>) => counted.count(run);

describe('batching', () => {
  it('lists 200 assets with their last 5 trades, each with its counterparty and portfolio, in one statement', async () => {
    const {
      result,
      statements: used,
      sent,
    } = await countStatements(async () => dataOf(await execute(AssetsWithLatestTradesDocument, { first: 200, trades: 5 })));
    console.info(`200 assets × 5 trades with counterparty and portfolio: ${used} SQL statements`);
    // Every field lies within the SQL-compiled shapes (docs/graph.md#one-statement-per-operation).
    expect(used, sent.join('\n')).toBe(1);

    const assets = result.assets.edges.map((edge) => edge.node);
    expect(assets).toHaveLength(200);
    const trades = await db.sql`
      select t.transaction_id::text as id, t.asset_id::text as asset, t.transaction_date as date, t.total_amount,
             c.counterparty_id::text as counterparty, c.name as counterparty_name, p.portfolio_id::text as portfolio, p.name as portfolio_name
      from transactions t join portfolios p using (portfolio_id) left join counterparty_info c using (counterparty_id)
      order by t.transaction_date desc, t.transaction_id desc`;
    let withTrades = 0;
    for (const asset of assets) {
      const expected = trades.filter((trade) => trade.asset === asset.id).slice(0, 5);
      if (expected.length) withTrades++;
      expect(asset.trades.edges.map((edge) => edge.node)).toEqual(
        expected.map((trade) => ({
          id: trade.id,
          date: trade.date,
          type: expect.any(String),
          totalAmount: trade.total_amount,
          counterparty: trade.counterparty === null ? null : { id: trade.counterparty, name: trade.counterparty_name },
          portfolio: { id: trade.portfolio, name: trade.portfolio_name },
        })),
      );
    }
    expect(withTrades).toBeGreaterThan(100);
  });

  it('costs the same number of statements for 20 assets as for 200', async () => {
    const small = await countStatements(() => execute(AssetsWithLatestTradesDocument, { first: 20, trades: 5 }));
    const large = await countStatements(() => execute(AssetsWithLatestTradesDocument, { first: 200, trades: 50 }));
    expect(small.statements).toBe(large.statements);
  });

  it('batches violations, allocations with their portfolios, and prices', async () => {
    const { statements: used, sent } = await countStatements(async () => dataOf(await execute(AssetsRelationsDocument, { first: 200 })));
    // assets, violations, allocations, their portfolios, prices
    expect(used, sent.join('\n')).toBe(5);
  });

  it('batches per-parent pages and their counts', async () => {
    const { statements: used, sent } = await countStatements(async () =>
      dataOf(await execute(PortfoliosTradesDocument, { first: 10, trades: 3, filter: { type: 'BUY' } })),
    );
    // portfolios, the trade pages, the trade counts
    expect(used, sent.join('\n')).toBe(3);
  });
});

describe('the dashboard on a generated book', () => {
  it('takes one statement per figure and agrees with SQL', async () => {
    const { result, statements: used, sent } = await countStatements(async () => dataOf(await execute(DashboardDocument)));
    // overview, its risk distribution, three slice lists, risk, top and bottom performers, two for compliance, months
    expect(used, sent.join('\n')).toBe(11);
    const [truth] = await db.sql`
      select count(*)::int as assets, sum(market_value_base)::text as value, sum(active_violations)::int as violations,
             count(*) filter (where active_violations > 0)::int as "withViolations"
      from asset_360`;
    expect(result.portfolioOverview.totalAssets).toBe(truth!.assets);
    expect(result.portfolioOverview.totalValue).toBe(truth!.value);
    expect(result.complianceSummary.totalActiveViolations).toBe(truth!.violations);
    expect(result.complianceSummary.assets).toHaveLength(truth!.withViolations);

    const percentages = (entries: Array<{ percentage: number }>) => entries.reduce((sum, entry) => sum + entry.percentage, 0);
    const counts = (entries: Array<{ count: number }>) => entries.reduce((sum, entry) => sum + entry.count, 0);
    for (const entries of [
      result.portfolioOverview.riskDistribution,
      result.assetAllocation,
      result.sectorExposure,
      result.geographicDistribution,
    ]) {
      expect(Math.abs(percentages(entries) - 100)).toBeLessThanOrEqual(0.01);
      expect(counts(entries)).toBe(truth!.assets);
    }

    const ranked = (values: Array<number | null>, direction: 1 | -1) =>
      values.every((value, index) => index === 0 || direction * (value! - values[index - 1]!) <= 0);
    expect(result.riskMetrics).toHaveLength(10);
    expect(
      ranked(
        result.riskMetrics.map((asset) => asset.valueAtRisk),
        1,
      ),
    ).toBe(true);
    expect(
      ranked(
        result.performanceDashboard.topPerformers.map((asset) => asset.totalReturn),
        1,
      ),
    ).toBe(true);
    expect(
      ranked(
        result.performanceDashboard.bottomPerformers.map((asset) => asset.totalReturn),
        -1,
      ),
    ).toBe(true);
    const [best] = await db.sql`select max(value_at_risk) as var, max(total_return) as tr from asset_360`;
    expect(result.riskMetrics[0]!.valueAtRisk).toBe(best!.var);
    expect(result.performanceDashboard.topPerformers[0]!.totalReturn).toBe(best!.tr);

    const months = await db.sql`
      select to_char(transaction_date, 'YYYY-MM') || '-01' as month, count(*)::int as trades, sum(total_amount)::text as amount
      from transactions
      where transaction_date <= (select as_of from asset_360_builds where status = 'succeeded' order by build_id desc limit 1)
      group by 1`;
    for (const month of result.transactionAnalysis) {
      const row = months.find((candidate) => candidate.month === month.month);
      expect([month.tradeCount, month.totalAmount]).toEqual(row ? [row.trades, row.amount] : [0, '0']);
      expect(month.buyCount + month.sellCount).toBe(month.tradeCount);
    }
    expect(result.transactionAnalysis.filter((month) => month.tradeCount > 0).length).toBeGreaterThanOrEqual(2);
  });
});
