import { beforeAll, describe, expect, it } from 'vitest';
import {
  AssetDocument,
  AssetPricesDocument,
  AssetRelationsDocument,
  AssetsFullDocument,
  AssetsRelationsDocument,
  CounterpartyDocument,
  CurrentBuildDocument,
  PortfolioDocument,
  type AssetFieldsFragment,
} from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { AS_OF, seedBook, useGraphServer, walk } from './book.js';

const db = useTestDatabase();
const { execute } = useGraphServer(
  db,
  async (sql) => {
    await seedBook(sql);
    await sql`
      insert into asset_master (asset_name, asset_type, isin, currency, issuer, issue_date, par_value, sector, issuing_country)
      values ('Inserted After The Build', 'BOND', 'XS9999999999', 'CHF', 'Someone AG', '2024-02-29', 5000.125, 'Utilities', 'CH')`;
  },
  // Every asset with its prices, violations and allocations in one request: more than the default complexity limit allows.
  { MAX_QUERY_COMPLEXITY: '1000000' },
);

type Row = Record<string, any>;

/** The Asset the contract describes, from the raw rows of asset_master and asset_360. */
function expectedAsset(master: Row, built: Row | undefined): AssetFieldsFragment {
  return {
    id: master.asset_id,
    name: master.asset_name,
    assetType: master.asset_type,
    isin: master.isin,
    currency: master.currency,
    issuer: master.issuer,
    issueDate: master.issue_date,
    maturityDate: master.maturity_date,
    parValue: master.par_value,
    rating: master.rating,
    sector: master.sector,
    country: master.issuing_country,
    status: master.status,
    asOf: built?.as_of ?? null,
    currentPrice: built?.current_price ?? null,
    priceDate: built?.price_date ?? null,
    positionQuantity: built?.position_quantity ?? null,
    marketValue: built?.market_value ?? null,
    fxRate: built?.fx_rate ?? null,
    marketValueBase: built?.market_value_base ?? null,
    avgDailyReturn: built?.avg_daily_return ?? null,
    totalReturn: built?.total_return ?? null,
    avgVolatility: built?.avg_volatility ?? null,
    valueAtRisk: built?.value_at_risk ?? null,
    beta: built?.beta ?? null,
    sharpeRatio: built?.sharpe_ratio ?? null,
    totalTransactions: built?.total_transactions ?? null,
    totalPurchases: built?.total_purchases ?? null,
    totalSales: built?.total_sales ?? null,
    avgTransactionCost: built?.avg_transaction_cost ?? null,
    activeViolations: built?.active_violations ?? null,
    lastComplianceCheck: built?.last_compliance_check ?? null,
    riskCategory: built?.risk_category ?? null,
    performanceCategory: built?.performance_category ?? null,
    positionSize: built?.position_size ?? null,
  };
}

describe('Asset', () => {
  let expected: Map<string, AssetFieldsFragment>;
  beforeAll(async () => {
    const masters = await db.sql`select * from asset_master order by asset_id`;
    const built = new Map((await db.sql`select * from asset_360`).map((row) => [row.asset_id as string, row]));
    expected = new Map(masters.map((master) => [master.asset_id as string, expectedAsset(master, built.get(master.asset_id))]));
  });

  it('serves every field of every asset as asset_master and asset_360 hold it', async () => {
    const walked = await walk(async (after) => dataOf(await execute(AssetsFullDocument, { first: 25, after })).assets);
    expect(walked).toHaveLength(expected.size);
    for (const asset of walked) expect(asset).toEqual(expected.get(asset.id));
    // Amounts travel as exact strings, dates as YYYY-MM-DD.
    const sample = walked.find((asset) => asset.marketValueBase !== null)!;
    expect(typeof sample.marketValueBase).toBe('string');
    expect(sample.asOf).toBe(AS_OF);
  });

  it('resolves one asset by id, and an asset inserted after the build with null asset_360 values', async () => {
    for (const id of [...expected.keys()].slice(0, 5)) {
      expect(dataOf(await execute(AssetDocument, { id })).asset).toEqual(expected.get(id));
    }
    const [inserted] = await db.sql`select asset_id::text as id from asset_master where isin = 'XS9999999999'`;
    const asset = dataOf(await execute(AssetDocument, { id: inserted!.id })).asset!;
    expect(asset).toMatchObject({ name: 'Inserted After The Build', issueDate: '2024-02-29', parValue: '5000.125', country: 'CH' });
    expect(asset.asOf).toBeNull();
    expect(asset.marketValueBase).toBeNull();
    expect(asset.riskCategory).toBeNull();
    expect(asset.activeViolations).toBeNull();
    expect(dataOf(await execute(AssetDocument, { id: '987654321' })).asset).toBeNull();
  });

  it('lists as violations the latest check of each rule in the compliance window that is a VIOLATION, as many as activeViolations', async () => {
    const [{ since }] = (await db.sql`
      select (b.as_of - s.compliance_window)::date as since
      from asset_360_builds b cross join asset_360_settings s
      where b.status = 'succeeded' order by b.build_id desc limit 1`) as unknown as [{ since: string }];
    const records =
      await db.sql`select compliance_id::text as id, asset_id::text as asset, rule_id, check_date, status from compliance_records`;
    const latest = new Map<string, Row>();
    for (const record of records) {
      if (record.check_date < since || record.check_date > AS_OF) continue;
      const key = `${record.asset} ${record.rule_id}`;
      const seen = latest.get(key);
      if (!seen || record.check_date > seen.check_date || (record.check_date === seen.check_date && BigInt(record.id) > BigInt(seen.id))) {
        latest.set(key, record);
      }
    }
    const violationsOf = (assetId: string) =>
      [...latest.values()]
        .filter((record) => record.asset === assetId && record.status === 'VIOLATION')
        .sort((x, y) => (x.check_date !== y.check_date ? (x.check_date < y.check_date ? 1 : -1) : x.rule_id < y.rule_id ? -1 : 1))
        .map((record) => ({ id: record.id, ruleId: record.rule_id, checkDate: record.check_date }));

    const assets = dataOf(await execute(AssetsRelationsDocument, { first: 500 })).assets.edges.map((edge) => edge.node);
    let violations = 0;
    for (const asset of assets) {
      const built = expected.get(asset.id)!.asOf !== null;
      expect(asset.violations).toEqual(built ? violationsOf(asset.id) : []);
      expect(asset.violations.length).toBe(asset.activeViolations ?? 0);
      violations += asset.violations.length;
    }
    expect(violations).toBeGreaterThan(0);

    const withViolations = assets.find((asset) => asset.violations.length > 0)!;
    const detailed = dataOf(await execute(AssetRelationsDocument, { id: withViolations.id })).asset!;
    const [record] = await db.sql`
      select rule_description, violation_details from compliance_records where compliance_id = ${detailed.violations[0]!.id}`;
    expect(detailed.violations[0]).toMatchObject({
      ruleDescription: record!.rule_description,
      details: record!.violation_details,
      asset: { id: withViolations.id },
    });
  });

  it('lists allocations and prices as portfolio_allocation and market_data hold them', async () => {
    const allocations = await db.sql`
      select allocation_id::text as id, asset_id::text as asset, portfolio_id::text as portfolio,
             target_percentage, actual_percentage, last_rebalance_date
      from portfolio_allocation order by asset_id, portfolio_id`;
    const prices = await db.sql`select asset_id::text as asset, price_date, closing_price from market_data order by asset_id, price_date`;
    const assets = dataOf(await execute(AssetsRelationsDocument, { first: 500 })).assets.edges.map((edge) => edge.node);
    for (const asset of assets) {
      expect(asset.allocations).toEqual(
        allocations.filter((row) => row.asset === asset.id).map((row) => ({ id: row.id, portfolio: { id: row.portfolio } })),
      );
      expect(asset.prices).toEqual(
        prices.filter((row) => row.asset === asset.id).map((row) => ({ date: row.price_date, close: row.closing_price })),
      );
    }

    const sample = allocations[0]!;
    const relations = dataOf(await execute(AssetRelationsDocument, { id: sample.asset })).asset!;
    expect(relations.allocations[0]).toEqual({
      id: sample.id,
      targetPercentage: sample.target_percentage === null ? null : Number(sample.target_percentage),
      actualPercentage: sample.actual_percentage === null ? null : Number(sample.actual_percentage),
      lastRebalanceDate: sample.last_rebalance_date,
      portfolio: { id: sample.portfolio },
      asset: { id: sample.asset },
    });
  });

  it('serves prices between two dates, both included, every column', async () => {
    const [{ asset }] =
      (await db.sql`select asset_id::text as asset from market_data group by asset_id order by count(*) desc limit 1`) as unknown as [
        { asset: string },
      ];
    const rows = await db.sql`
      select * from market_data where asset_id = ${asset} and price_date between '2025-05-01' and '2025-05-30' order by price_date`;
    const served = dataOf(await execute(AssetPricesDocument, { id: asset, from: '2025-05-01', to: '2025-05-30' })).asset!.prices;
    expect(rows.length).toBeGreaterThan(10);
    expect(served).toEqual(
      rows.map((row) => ({
        date: row.price_date,
        open: row.opening_price,
        high: row.high_price,
        low: row.low_price,
        close: row.closing_price,
        volume: row.volume,
        bid: row.bid_price,
        ask: row.ask_price,
        yieldRate: row.yield_rate === null ? null : Number(row.yield_rate),
      })),
    );
    expect(dataOf(await execute(AssetPricesDocument, { id: asset, from: '2025-05-30', to: '2025-05-30' })).asset!.prices).toHaveLength(1);
  });
});

describe('Portfolio, Counterparty and the current build', () => {
  it('serves a portfolio with its allocations', async () => {
    const [portfolio] = await db.sql`select * from portfolios order by portfolio_id limit 1`;
    const allocations =
      await db.sql`select allocation_id::text as id, asset_id::text as asset from portfolio_allocation where portfolio_id = ${portfolio!.portfolio_id} order by asset_id`;
    const served = dataOf(await execute(PortfolioDocument, { id: portfolio!.portfolio_id })).portfolio!;
    expect(served).toMatchObject({
      id: portfolio!.portfolio_id,
      name: portfolio!.name,
      owner: portfolio!.owner,
      baseCurrency: portfolio!.base_currency,
      createdAt: (portfolio!.created_at as Date).toISOString(),
    });
    expect(
      served.allocations.map((allocation) => ({ id: allocation.id, asset: allocation.asset.id, portfolio: allocation.portfolio.id })),
    ).toEqual(allocations.map((row) => ({ id: row.id, asset: row.asset, portfolio: portfolio!.portfolio_id })));
    expect(dataOf(await execute(PortfolioDocument, { id: '424242' })).portfolio).toBeNull();
  });

  it('serves a counterparty', async () => {
    const [row] = await db.sql`select * from counterparty_info order by counterparty_id limit 1`;
    expect(dataOf(await execute(CounterpartyDocument, { id: row!.counterparty_id })).counterparty).toEqual({
      id: row!.counterparty_id,
      name: row!.name,
      type: row!.type,
      rating: row!.rating,
      country: row!.country,
      status: row!.status,
    });
  });

  it('serves the latest succeeded build as the current one, whatever runs or failed after it', async () => {
    const [build] = await db.sql`select * from asset_360_builds where status = 'succeeded' order by build_id desc limit 1`;
    await db.sql`
      insert into asset_360_builds (as_of, status, finished_at, error) values ('2025-07-01', 'failed', now(), 'P0001: boom')`;
    await db.sql`insert into asset_360_builds (as_of, backend_pid) values ('2025-07-02', 0)`;
    expect(dataOf(await execute(CurrentBuildDocument)).asset360Build).toEqual({
      id: build!.build_id,
      asOf: AS_OF,
      status: 'SUCCEEDED',
      startedAt: (build!.started_at as Date).toISOString(),
      finishedAt: (build!.finished_at as Date).toISOString(),
      rowCount: build!.row_count,
      error: null,
    });
  });
});
