import { describe, expect, it } from 'vitest';
import {
  AssetAllocationDocument,
  DashboardDocument,
  PerformanceDashboardDocument,
  RiskMetricsDocument,
  TransactionAnalysisDocument,
  type AllocationDimension,
  type SliceFieldsFragment,
} from '../generated/graphql.js';
import { dataOf, type ExecutionResult } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { useGraphServer } from './book.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db);

/** Months back from a YYYY-MM-DD day's month, as first days. */
function monthsEndingAt(day: string, count: number): string[] {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(year, month - 1 - (count - 1 - index), 1));
    return date.toISOString().slice(0, 10);
  });
}

describe('the dashboard on an empty database', () => {
  it('answers zeros and empty lists, the months ending with the current month', async () => {
    const [{ today }] = (await db.sql`select current_date as today`) as unknown as [{ today: string }];
    const dashboard = dataOf(await execute(DashboardDocument));
    expect(dashboard).toEqual({
      portfolioOverview: { totalAssets: 0, totalValue: '0', averageReturn: 0, riskDistribution: [] },
      assetAllocation: [],
      sectorExposure: [],
      geographicDistribution: [],
      riskMetrics: [],
      performanceDashboard: { topPerformers: [], bottomPerformers: [] },
      complianceSummary: { totalActiveViolations: 0, assets: [] },
      transactionAnalysis: monthsEndingAt(today, 12).map((month) => ({
        month,
        tradeCount: 0,
        buyCount: 0,
        sellCount: 0,
        totalAmount: '0',
        totalCosts: '0',
      })),
    });
  });
});

describe('the dashboard on a hand-built book', () => {
  // Four built assets with known values, one asset the build has not seen, and a few trades.
  const fixture = async () => {
    await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Main')`;
    await db.sql`
      insert into asset_master (asset_id, asset_name, asset_type, currency, sector, issuing_country) values
        (1, 'Alpha Tech', 'EQUITY', 'USD', 'Tech', 'US'),
        (2, 'Beta Tech', 'EQUITY', 'EUR', 'Tech', 'DE'),
        (3, 'Gamma Bond', 'BOND', 'USD', null, 'US'),
        (4, 'Delta Energy', 'BOND', 'GBP', 'Energy', 'GB'),
        (5, 'Not Built Yet', 'EQUITY', 'USD', 'Tech', 'US')`;
    const [build] = await db.sql`
      insert into asset_360_builds (as_of, status, finished_at, row_count) values ('2025-03-31', 'succeeded', now(), 4)
      returning build_id`;
    await db.sql`
      insert into asset_360 (asset_id, asset_name, asset_type, currency, sector, issuing_country, status,
                             position_quantity, market_value_base, total_return, value_at_risk, sharpe_ratio,
                             total_transactions, total_purchases, total_sales, active_violations,
                             risk_category, performance_category, position_size, as_of, build_id)
      select v.id, m.asset_name, m.asset_type, m.currency, m.sector, m.issuing_country, m.status,
             0, v.mvb, v.tr, v.var, null, 0, 0, 0, v.violations, v.risk, v.perf, v.size, '2025-03-31', ${build!.build_id}
      from (values
        (1, 600.00, 0.30, 0.20, 2, 'HIGH', 'OUTPERFORMING', 'SMALL'),
        (2, 300.00, 0.05, 0.12, 0, 'MEDIUM', 'NEUTRAL', 'SMALL'),
        (3, 100.00, -0.20, 0.05, 1, 'LOW', 'UNDERPERFORMING', 'SMALL'),
        (4, null, null, null, 3, 'UNKNOWN', 'UNKNOWN', 'UNKNOWN')
      ) as v(id, mvb, tr, var, violations, risk, perf, size)
      join asset_master m on m.asset_id = v.id`;
    await db.sql`
      insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, transaction_costs, portfolio_id) values
        (1, '2024-12-31', 'BUY', 1, 1.00, 1.00, 0.00, 1),
        (1, '2025-01-15', 'BUY', 10, 10.50, 105.00, 1.25, 1),
        (2, '2025-01-20', 'SELL', 5, 10.00, 50.00, 0.75, 1),
        (3, '2025-03-31', 'BUY', 2, 100.00, 200.00, 2.00, 1),
        (3, '2025-04-01', 'BUY', 1, 100.00, 100.00, 1.00, 1)`;
  };

  const slice = (key: string | null, marketValue: string, count: number, percentage: number): SliceFieldsFragment => ({
    key,
    marketValue,
    count,
    percentage,
  });
  const expectSlices = (actual: SliceFieldsFragment[], expected: SliceFieldsFragment[]) => {
    expect(actual.map(({ percentage: _percentage, ...rest }) => rest)).toEqual(
      expected.map(({ percentage: _percentage, ...rest }) => rest),
    );
    actual.forEach((entry, index) => expect(entry.percentage).toBeCloseTo(expected[index]!.percentage, 9));
  };

  it('computes every figure as worked out by hand', async () => {
    await fixture();
    const dashboard = dataOf(await execute(DashboardDocument));

    expect(dashboard.portfolioOverview).toMatchObject({ totalAssets: 4, totalValue: '1000.00' });
    expect(dashboard.portfolioOverview.averageReturn).toBeCloseTo((0.3 + 0.05 - 0.2) / 3, 12);
    expect(dashboard.portfolioOverview.riskDistribution).toEqual([
      { category: 'LOW', count: 1, percentage: 25 },
      { category: 'MEDIUM', count: 1, percentage: 25 },
      { category: 'HIGH', count: 1, percentage: 25 },
      { category: 'UNKNOWN', count: 1, percentage: 25 },
    ]);

    expectSlices(dashboard.assetAllocation, [slice('EQUITY', '900.00', 2, 90), slice('BOND', '100.00', 2, 10)]);
    expectSlices(dashboard.sectorExposure, [slice('Tech', '900.00', 2, 50), slice('Energy', '0', 1, 25), slice(null, '100.00', 1, 25)]);
    expectSlices(dashboard.geographicDistribution, [slice('US', '700.00', 2, 50), slice('DE', '300.00', 1, 25), slice('GB', '0', 1, 25)]);

    expect(dashboard.riskMetrics.map((asset) => asset.id)).toEqual(['1', '2', '3']);
    expect(dashboard.performanceDashboard.topPerformers.map((asset) => asset.id)).toEqual(['1', '2', '3']);
    expect(dashboard.performanceDashboard.bottomPerformers.map((asset) => asset.id)).toEqual(['3', '2', '1']);
    expect(dashboard.complianceSummary.totalActiveViolations).toBe(6);
    expect(dashboard.complianceSummary.assets.map((asset) => [asset.id, asset.activeViolations])).toEqual([
      ['4', 3],
      ['1', 2],
      ['3', 1],
    ]);

    // Null only for a VIEWER, whom this server (AUTH_MODE=off) never sees.
    const transactionAnalysis = dashboard.transactionAnalysis;
    expect(transactionAnalysis).toHaveLength(12);
    expect(transactionAnalysis.map((month) => month.month)).toEqual(monthsEndingAt('2025-03-31', 12));
    expect(transactionAnalysis.slice(-3)).toEqual([
      { month: '2025-01-01', tradeCount: 2, buyCount: 1, sellCount: 1, totalAmount: '155.00', totalCosts: '2.00' },
      { month: '2025-02-01', tradeCount: 0, buyCount: 0, sellCount: 0, totalAmount: '0', totalCosts: '0' },
      { month: '2025-03-01', tradeCount: 1, buyCount: 1, sellCount: 0, totalAmount: '200.00', totalCosts: '2.00' },
    ]);
    expect(transactionAnalysis[8]).toMatchObject({ month: '2024-12-01', tradeCount: 1, totalAmount: '1.00' });
  });

  it('groups assetAllocation by every dimension, percentages of the market value summing to 100', async () => {
    const expected: Record<AllocationDimension, SliceFieldsFragment[]> = {
      ASSET_TYPE: [slice('EQUITY', '900.00', 2, 90), slice('BOND', '100.00', 2, 10)],
      SECTOR: [slice('Tech', '900.00', 2, 90), slice(null, '100.00', 1, 10), slice('Energy', '0', 1, 0)],
      COUNTRY: [slice('US', '700.00', 2, 70), slice('DE', '300.00', 1, 30), slice('GB', '0', 1, 0)],
      CURRENCY: [slice('USD', '700.00', 2, 70), slice('EUR', '300.00', 1, 30), slice('GBP', '0', 1, 0)],
      RISK_CATEGORY: [
        slice('HIGH', '600.00', 1, 60),
        slice('MEDIUM', '300.00', 1, 30),
        slice('LOW', '100.00', 1, 10),
        slice('UNKNOWN', '0', 1, 0),
      ],
      PERFORMANCE_CATEGORY: [
        slice('OUTPERFORMING', '600.00', 1, 60),
        slice('NEUTRAL', '300.00', 1, 30),
        slice('UNDERPERFORMING', '100.00', 1, 10),
        slice('UNKNOWN', '0', 1, 0),
      ],
      POSITION_SIZE: [slice('SMALL', '1000.00', 3, 100), slice('UNKNOWN', '0', 1, 0)],
    };
    for (const [by, slices] of Object.entries(expected) as Array<[AllocationDimension, SliceFieldsFragment[]]>) {
      const served = dataOf(await execute(AssetAllocationDocument, { by })).assetAllocation;
      expectSlices(served, slices);
      expect(served.reduce((sum, entry) => sum + entry.percentage, 0)).toBeCloseTo(100, 2);
    }
  });

  it('takes top and months, within bounds', async () => {
    expect(dataOf(await execute(RiskMetricsDocument, { top: 2 })).riskMetrics.map((asset) => asset.id)).toEqual(['1', '2']);
    const performance = dataOf(await execute(PerformanceDashboardDocument, { top: 1 })).performanceDashboard;
    expect([performance.topPerformers.map((asset) => asset.id), performance.bottomPerformers.map((asset) => asset.id)]).toEqual([
      ['1'],
      ['3'],
    ]);
    const months = dataOf(await execute(TransactionAnalysisDocument, { months: 3 })).transactionAnalysis;
    expect(months.map((month) => [month.month, month.tradeCount])).toEqual([
      ['2025-01-01', 2],
      ['2025-02-01', 0],
      ['2025-03-01', 1],
    ]);
    expect(dataOf(await execute(TransactionAnalysisDocument, { months: 120 })).transactionAnalysis).toHaveLength(120);

    const badInput = (result: ExecutionResult<unknown>, argument: string) =>
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    badInput(await execute(RiskMetricsDocument, { top: 0 }), 'top');
    badInput(await execute(RiskMetricsDocument, { top: 501 }), 'top');
    badInput(await execute(PerformanceDashboardDocument, { top: -1 }), 'top');
    badInput(await execute(TransactionAnalysisDocument, { months: 0 }), 'months');
    badInput(await execute(TransactionAnalysisDocument, { months: 121 }), 'months');
  });
});
