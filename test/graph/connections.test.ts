import { beforeAll, describe, expect, it } from 'vitest';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import {
  AssetsCountDocument,
  AssetsPageDocument,
  AssetTradesDocument,
  BuildsPageDocument,
  CounterpartiesPageDocument,
  CounterpartyTradesDocument,
  PortfoliosPageDocument,
  PortfoliosTradesDocument,
  PortfolioTradesDocument,
  TradesCountDocument,
  TradesPageDocument,
  type AssetFilter,
  type AssetOrder,
  type AssetOrderField,
  type TradeFilter,
} from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { AS_OF, seedBook, useGraphServer, walk } from './book.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, async (sql) => {
  await seedBook(sql);
  // Ties and NULLs in every sort key, and assets that no build has seen yet.
  await sql`update asset_master set asset_name = 'Tied Name Holdings' where asset_id in (select asset_id from asset_master order by asset_id limit 4)`;
  await sql`update asset_360 set total_return = 0.0123 where asset_id % 7 = 0`;
  await sql`update asset_360 set value_at_risk = 0.125 where asset_id % 8 = 3`;
  await sql`update asset_360 set value_at_risk = null where asset_id % 5 = 0`;
  await sql`update asset_360 set sharpe_ratio = 1.5 where asset_id % 4 = 0`;
  await sql`update asset_360 set market_value_base = 1000.10 where asset_id % 6 = 0`;
  await sql`update asset_360 set market_value_base = null where asset_id % 9 = 0`;
  await sql`
    insert into asset_master (asset_name, asset_type, isin, currency, sector, issuing_country)
    values ('Unbuilt Alpha', 'EQUITY', 'XS0000000001', 'USD', 'Energy', 'US'),
           ('100% Green_Bond', 'BOND', null, 'EUR', null, 'DE'),
           ('Tied Name Holdings', 'ETF', 'XS0000000003', 'USD', 'Energy', 'US')`;
});

const FIELDS: AssetOrderField[] = ['NAME', 'MARKET_VALUE', 'TOTAL_RETURN', 'VALUE_AT_RISK', 'SHARPE_RATIO', 'ACTIVE_VIOLATIONS'];

interface AssetTruth {
  id: string;
  name: string;
  isin: string | null;
  assetType: string;
  sector: string | null;
  country: string | null;
  riskCategory: string | null;
  performanceCategory: string | null;
  positionSize: string | null;
  activeViolations: number | null;
  /** PostgreSQL's rank of the asset's value of each order field; null where the value is null. */
  rank: Record<AssetOrderField, number | null>;
}

async function assetTruth(): Promise<AssetTruth[]> {
  const rows = await db.sql`
    select m.asset_id::text as id, m.asset_name as name, m.isin, m.asset_type as "assetType", m.sector,
           m.issuing_country as country, a.risk_category as "riskCategory", a.performance_category as "performanceCategory",
           a.position_size as "positionSize", a.active_violations as "activeViolations",
           dense_rank() over (order by m.asset_name)::int as "NAME",
           case when a.market_value_base is not null then dense_rank() over (order by a.market_value_base)::int end as "MARKET_VALUE",
           case when a.total_return is not null then dense_rank() over (order by a.total_return)::int end as "TOTAL_RETURN",
           case when a.value_at_risk is not null then dense_rank() over (order by a.value_at_risk)::int end as "VALUE_AT_RISK",
           case when a.sharpe_ratio is not null then dense_rank() over (order by a.sharpe_ratio)::int end as "SHARPE_RATIO",
           case when a.active_violations is not null then dense_rank() over (order by a.active_violations)::int end as "ACTIVE_VIOLATIONS"
    from asset_master m left join asset_360 a on a.asset_id = m.asset_id`;
  return rows.map((row) => ({
    ...(row as unknown as AssetTruth),
    rank: Object.fromEntries(FIELDS.map((field) => [field, row[field] as number | null])) as AssetTruth['rank'],
  }));
}

/** The order the contract promises: each order with NULLs last, then the id ascending. */
function sortAssets(assets: AssetTruth[], orders: AssetOrder[]): string[] {
  const effective: AssetOrder[] = orders.length ? orders : [{ field: 'NAME', direction: 'ASC' }];
  return [...assets]
    .sort((x, y) => {
      for (const { field, direction } of effective) {
        const a = x.rank[field];
        const b = y.rank[field];
        if (a === b) continue;
        if (a === null) return 1;
        if (b === null) return -1;
        return direction === 'DESC' ? b - a : a - b;
      }
      return BigInt(x.id) < BigInt(y.id) ? -1 : 1;
    })
    .map((asset) => asset.id);
}

async function walkAssets(variables: { filter?: AssetFilter; orderBy?: AssetOrder[]; first?: number }, between?: () => Promise<void>) {
  const nodes = await walk(
    async (after) =>
      dataOf(
        await execute(AssetsPageDocument, { first: variables.first ?? 7, after, filter: variables.filter, orderBy: variables.orderBy }),
      ).assets,
    between,
  );
  return nodes.map((node) => node.id);
}

describe('assets connection', () => {
  let truth: AssetTruth[];
  beforeAll(async () => {
    truth = await assetTruth();
  });

  it('has ties in every order field, NULLs in every nullable one, and unbuilt assets', () => {
    for (const field of FIELDS) {
      const ranks = truth.map((asset) => asset.rank[field]);
      if (field !== 'NAME') expect(ranks, field).toContain(null);
      expect(new Set(ranks.filter((rank) => rank !== null)).size, field).toBeLessThan(ranks.filter((rank) => rank !== null).length);
    }
    expect(truth.filter((asset) => asset.riskCategory === null).length).toBeGreaterThanOrEqual(3);
  });

  for (const field of FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`walks every asset exactly once by ${field} ${direction}`, async () => {
        const orderBy = [{ field, direction }];
        expect(await walkAssets({ orderBy })).toEqual(sortAssets(truth, orderBy));
      });
    }
  }

  it('walks by several orders, and by name when none is given', async () => {
    const orders: AssetOrder[][] = [
      [
        { field: 'ACTIVE_VIOLATIONS', direction: 'DESC' },
        { field: 'NAME', direction: 'ASC' },
      ],
      [
        { field: 'TOTAL_RETURN', direction: 'ASC' },
        { field: 'MARKET_VALUE', direction: 'DESC' },
      ],
      [
        { field: 'SHARPE_RATIO', direction: 'DESC' },
        { field: 'VALUE_AT_RISK', direction: 'ASC' },
        { field: 'NAME', direction: 'DESC' },
      ],
      [],
    ];
    for (const orderBy of orders) {
      expect(await walkAssets({ orderBy, first: 5 })).toEqual(sortAssets(truth, orderBy));
    }
    expect(await walkAssets({ first: 500 })).toEqual(sortAssets(truth, []));
  });

  it('filters as the contract says, alone and combined, with totalCount agreeing', async () => {
    const some = truth.find((asset) => asset.sector && asset.country && asset.riskCategory)!;
    const cases: Array<[AssetFilter, (asset: AssetTruth) => boolean]> = [
      [{ assetType: [some.assetType] }, (a) => a.assetType === some.assetType],
      [{ sector: [some.sector!, 'No Such Sector'] }, (a) => a.sector === some.sector],
      [{ country: ['US', 'DE'] }, (a) => a.country === 'US' || a.country === 'DE'],
      [{ riskCategory: ['HIGH', 'MEDIUM'] }, (a) => a.riskCategory === 'HIGH' || a.riskCategory === 'MEDIUM'],
      [
        { performanceCategory: ['UNKNOWN', 'OUTPERFORMING'] },
        (a) => a.performanceCategory === 'UNKNOWN' || a.performanceCategory === 'OUTPERFORMING',
      ],
      [{ positionSize: ['LARGE'] }, (a) => a.positionSize === 'LARGE'],
      [{ hasActiveViolations: true }, (a) => (a.activeViolations ?? 0) > 0],
      [{ hasActiveViolations: false }, (a) => (a.activeViolations ?? 0) === 0],
      [
        { search: some.name.slice(2, 7).toUpperCase() },
        (a) =>
          a.name.toLowerCase().includes(some.name.slice(2, 7).toLowerCase()) ||
          (a.isin ?? '').toLowerCase().includes(some.name.slice(2, 7).toLowerCase()),
      ],
      [
        { search: some.isin!.slice(3, 9).toLowerCase() },
        (a) =>
          (a.isin ?? '').toLowerCase().includes(some.isin!.slice(3, 9).toLowerCase()) ||
          a.name.toLowerCase().includes(some.isin!.slice(3, 9).toLowerCase()),
      ],
      [{ search: '0% g' }, (a) => a.name === '100% Green_Bond'],
      [{ search: '%' }, (a) => a.name.includes('%')],
      [{ search: '_' }, (a) => a.name.includes('_')],
      [{ country: ['US'], sector: ['Energy'] }, (a) => a.country === 'US' && a.sector === 'Energy'],
      [
        { riskCategory: ['LOW', 'HIGH'], hasActiveViolations: true, assetType: [some.assetType] },
        (a) => (a.riskCategory === 'LOW' || a.riskCategory === 'HIGH') && (a.activeViolations ?? 0) > 0 && a.assetType === some.assetType,
      ],
      [{ sector: [] }, () => false],
    ];
    const orderBy: AssetOrder[] = [{ field: 'VALUE_AT_RISK', direction: 'DESC' }];
    for (const [filter, holds] of cases) {
      const expected = sortAssets(truth.filter(holds), orderBy);
      expect(await walkAssets({ filter, orderBy, first: 4 }), JSON.stringify(filter)).toEqual(expected);
      expect(dataOf(await execute(AssetsCountDocument, { filter })).assets.totalCount, JSON.stringify(filter)).toBe(expected.length);
    }
    expect(truth.filter((a) => a.name === '100% Green_Bond')).toHaveLength(1);
  });

  it('keeps every page right while assets are inserted between pages', async () => {
    const before = sortAssets(await assetTruth(), []);
    const names = ['Aardvark Capital', 'Zulu Mining', 'Midway Partners', 'Tied Name Holdings', 'Beta Works', 'Yonder Energy'];
    let inserted = 0;
    const walked = await walkAssets({ first: 6 }, async () => {
      const name = `${names[inserted % names.length]} ${inserted}`;
      inserted++;
      await db.sql`insert into asset_master (asset_name, asset_type, currency) values (${name}, 'EQUITY', 'USD')`;
    });
    const after = sortAssets(await assetTruth(), []);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.filter((id) => before.includes(id))).toEqual(before);
    expect(after.filter((id) => walked.includes(id))).toEqual(walked);
    expect(inserted).toBeGreaterThan(5);
  });
});

interface TradeTruth {
  id: string;
  date: string;
  type: 'BUY' | 'SELL';
  assetId: string;
  portfolioId: string;
  counterpartyId: string | null;
}

async function tradeTruth(): Promise<TradeTruth[]> {
  return db.sql<TradeTruth[]>`
    select transaction_id::text as id, transaction_date as date, transaction_type as type, asset_id::text as "assetId",
           portfolio_id::text as "portfolioId", counterparty_id::text as "counterpartyId"
    from transactions`;
}

function newestFirst(trades: TradeTruth[]): string[] {
  return [...trades]
    .sort((x, y) => (x.date !== y.date ? (x.date < y.date ? 1 : -1) : BigInt(x.id) < BigInt(y.id) ? 1 : -1))
    .map((trade) => trade.id);
}

function matches(trade: TradeTruth, filter: TradeFilter): boolean {
  return (
    (filter.assetId == null || trade.assetId === filter.assetId) &&
    (filter.portfolioId == null || trade.portfolioId === filter.portfolioId) &&
    (filter.counterpartyId == null || trade.counterpartyId === filter.counterpartyId) &&
    (filter.type == null || trade.type === filter.type) &&
    (filter.dateFrom == null || trade.date >= filter.dateFrom) &&
    (filter.dateTo == null || trade.date <= filter.dateTo)
  );
}

describe('trades connections', () => {
  let trades: TradeTruth[];
  beforeAll(async () => {
    trades = await tradeTruth();
  });

  it('walks every trade newest first, with totalCount', async () => {
    const walked = await walk(async (after) => dataOf(await execute(TradesPageDocument, { first: 37, after })).trades);
    expect(walked.map((trade) => trade.id)).toEqual(newestFirst(trades));
    expect(dataOf(await execute(TradesCountDocument, {})).trades.totalCount).toBe(trades.length);
    const first = walked[0]!;
    const [row] = await db.sql`
      select transaction_date as date, transaction_type as type, quantity, price, total_amount, transaction_costs,
             asset_id::text, portfolio_id::text, counterparty_id::text
      from transactions where transaction_id = ${first.id}`;
    expect(first).toEqual({
      id: first.id,
      date: row!.date,
      type: row!.type,
      quantity: row!.quantity,
      price: row!.price,
      totalAmount: row!.total_amount,
      costs: row!.transaction_costs,
      asset: { id: row!.asset_id },
      portfolio: { id: row!.portfolio_id },
      counterparty: row!.counterparty_id === null ? null : { id: row!.counterparty_id },
    });
  });

  it('filters by asset, portfolio, counterparty, type and date range, alone and combined', async () => {
    const sample = trades[Math.floor(trades.length / 2)]!;
    const withCounterparty = trades.find((trade) => trade.counterpartyId !== null)!;
    const filters: TradeFilter[] = [
      { assetId: sample.assetId },
      { portfolioId: sample.portfolioId },
      { counterpartyId: withCounterparty.counterpartyId },
      { type: 'SELL' },
      { dateFrom: '2025-05-01', dateTo: '2025-05-31' },
      { dateFrom: sample.date },
      { dateTo: sample.date, type: 'BUY' },
      { portfolioId: sample.portfolioId, type: sample.type, dateFrom: '2025-04-01' },
      {
        assetId: sample.assetId,
        portfolioId: sample.portfolioId,
        counterpartyId: sample.counterpartyId,
        dateFrom: sample.date,
        dateTo: sample.date,
      },
      { assetId: '999999' },
    ];
    for (const filter of filters) {
      const expected = newestFirst(trades.filter((trade) => matches(trade, filter)));
      const walked = await walk(async (after) => dataOf(await execute(TradesPageDocument, { first: 11, after, filter })).trades);
      expect(
        walked.map((trade) => trade.id),
        JSON.stringify(filter),
      ).toEqual(expected);
      expect(dataOf(await execute(TradesCountDocument, { filter })).trades.totalCount).toBe(expected.length);
    }
  });

  it("walks each parent's own pages: assets, portfolios and counterparties", async () => {
    const assetIds = [...new Set(trades.map((trade) => trade.assetId))].slice(0, 12);
    for (const id of assetIds) {
      let total = -1;
      const walked = await walk(async (after) => {
        const page = dataOf(await execute(AssetTradesDocument, { id, first: 2, after })).asset!.trades;
        total = page.totalCount;
        return page;
      });
      const expected = newestFirst(trades.filter((trade) => trade.assetId === id));
      expect(walked.map((trade) => trade.id)).toEqual(expected);
      expect(total).toBe(expected.length);
    }
    const portfolioIds = [...new Set(trades.map((trade) => trade.portfolioId))];
    for (const id of portfolioIds) {
      const filter: TradeFilter = { type: 'SELL' };
      const walked = await walk(
        async (after) => dataOf(await execute(PortfolioTradesDocument, { id, first: 9, after, filter })).portfolio!.trades,
      );
      expect(walked.map((trade) => trade.id)).toEqual(
        newestFirst(trades.filter((trade) => trade.portfolioId === id && trade.type === 'SELL')),
      );
    }
    const counterpartyIds = [...new Set(trades.flatMap((trade) => (trade.counterpartyId ? [trade.counterpartyId] : [])))];
    for (const id of counterpartyIds) {
      const walked = await walk(
        async (after) => dataOf(await execute(CounterpartyTradesDocument, { id, first: 8, after })).counterparty!.trades,
      );
      expect(walked.map((trade) => trade.id)).toEqual(newestFirst(trades.filter((trade) => trade.counterpartyId === id)));
    }
  });

  it('gives every parent of a batch its own page and count', async () => {
    const filter: TradeFilter = { dateFrom: '2025-05-15' };
    const portfolios = dataOf(await execute(PortfoliosTradesDocument, { first: 50, trades: 3, filter })).portfolios.edges;
    expect(portfolios.length).toBeGreaterThan(1);
    for (const { node } of portfolios) {
      const expected = newestFirst(trades.filter((trade) => trade.portfolioId === node.id && matches(trade, filter)));
      expect(node.trades.edges.map((edge) => edge.node.id)).toEqual(expected.slice(0, 3));
      expect(node.trades.totalCount).toBe(expected.length);
    }
  });

  it('keeps every page right while trades are inserted between pages', async () => {
    const before = newestFirst(await tradeTruth());
    const [{ asset_id, portfolio_id }] = (await db.sql`select asset_id, portfolio_id from transactions limit 1`) as unknown as [
      { asset_id: string; portfolio_id: string },
    ];
    const dates = ['2025-06-30', '2025-04-01', '2025-05-20', '2025-06-10', '2025-04-20'];
    let inserted = 0;
    const walked = await walk(
      async (after) => dataOf(await execute(TradesPageDocument, { first: 40, after })).trades,
      async () => {
        const date = dates[inserted++ % dates.length]!;
        await db.sql`
          insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
          values (${asset_id}, ${date}, 'BUY', 1, 10, 10, ${portfolio_id})`;
      },
    );
    const ids = walked.map((trade) => trade.id);
    const after = newestFirst(await tradeTruth());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => before.includes(id))).toEqual(before);
    expect(after.filter((id) => ids.includes(id))).toEqual(ids);
    expect(inserted).toBeGreaterThan(5);
  });
});

describe('portfolios, counterparties and builds', () => {
  it('walks portfolios and counterparties by id', async () => {
    const portfolios = await db.sql<
      { id: string; name: string }[]
    >`select portfolio_id::text as id, name from portfolios order by portfolio_id`;
    const walkedPortfolios = await walk(async (after) => dataOf(await execute(PortfoliosPageDocument, { first: 1, after })).portfolios);
    expect(walkedPortfolios).toEqual(portfolios.map((row) => ({ ...row })));
    expect(dataOf(await execute(PortfoliosPageDocument, { first: 0 })).portfolios.totalCount).toBe(portfolios.length);

    const counterparties = await db.sql<
      { id: string; name: string }[]
    >`select counterparty_id::text as id, name from counterparty_info order by counterparty_id`;
    const walkedCounterparties = await walk(
      async (after) => dataOf(await execute(CounterpartiesPageDocument, { first: 3, after })).counterparties,
    );
    expect(walkedCounterparties).toEqual(counterparties.map((row) => ({ ...row })));
  });

  it('walks the builds newest first', async () => {
    await buildAsset360(db.sql, '2025-06-27');
    await buildAsset360(db.sql, AS_OF);
    const builds = await db.sql<{ id: string; asOf: string; status: string; rowCount: number }[]>`
      select build_id::text as id, as_of as "asOf", upper(status) as status, row_count as "rowCount" from asset_360_builds order by build_id desc`;
    const walked = await walk(async (after) => dataOf(await execute(BuildsPageDocument, { first: 1, after })).asset360Builds);
    expect(walked.map(({ id, asOf, status, rowCount }) => ({ id, asOf, status, rowCount }))).toEqual(builds.map((row) => ({ ...row })));
    expect(walked.every((build) => build.finishedAt !== null && build.error === null)).toBe(true);
  });
});
