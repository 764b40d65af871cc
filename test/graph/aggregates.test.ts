import 'reflect-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedAssetGroups, expectedTradeGroups } from '../../src/graph/aggregates/aggregates.cost.js';
import type { Fragment } from '../../src/graph/common/sql.js';
import type { Sql } from '../../src/infra/db.js';
import {
  AssetAggregatesDocument,
  AssetGroupCountsDocument,
  TradeAggregatesDocument,
  type AssetAggregatesQuery,
  type AssetDimension,
  type AssetFilter,
  type TradeDimension,
  type TradeFilter,
} from '../generated/graphql.js';
import { dataOf, graphqlClient, type Execute, type ExecutionResult } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';
import { AUTH_ON, bearer } from '../security/support.js';
import { seedBook, useGraphServer } from './book.js';

/*
 * Every measure of assetAggregates and tradeAggregates, for random dimensions, filters, rollups and
 * viewers, against a plain GROUP BY per level written here from the contract, sharing no SQL with
 * src/graph/aggregates. The seed changes every run; AGGREGATES_SEED=<seed> replays one.
 */

/** Whether a request's estimate passes the default limit of 10,000: the scan, the groups to build, one a group returned. */
function refused(expectedGroups: number, first: number): boolean {
  return 100 + Math.ceil(expectedGroups / 100) + Math.min(first, expectedGroups) > 10_000;
}

const SEED = Number(process.env.AGGREGATES_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = 30;

const db = useTestDatabase();
const { url } = useGraphServer(db, (sql) => seedBook(sql, { assets: 80, days: 120, portfolios: 4, seed: 11 }), AUTH_ON);
let admin: Execute;
beforeAll(async () => {
  admin = graphqlClient(url(), await bearer('ADMIN'));
});

const ASSET_COLUMN: Record<AssetDimension, string> = {
  ASSET_TYPE: 'asset_type',
  SECTOR: 'sector',
  COUNTRY: 'issuing_country',
  CURRENCY: 'currency',
  RATING: 'rating',
  STATUS: 'status',
  RISK_CATEGORY: 'risk_category',
  PERFORMANCE_CATEGORY: 'performance_category',
  POSITION_SIZE: 'position_size',
  ISSUER: 'issuer',
};
const ASSET_DIMENSIONS = Object.keys(ASSET_COLUMN) as AssetDimension[];

/** The contract's periods, written without date_trunc: ISO weeks start on Monday. */
const TRADE_KEY: Record<TradeDimension, string> = {
  DAY: `to_char(t.transaction_date, 'YYYY-MM-DD')`,
  WEEK: `to_char(t.transaction_date - (extract(isodow from t.transaction_date)::int - 1), 'YYYY-MM-DD')`,
  MONTH: `to_char(t.transaction_date, 'YYYY-MM-01')`,
  QUARTER: `to_char(make_date(extract(year from t.transaction_date)::int, 3 * (extract(quarter from t.transaction_date)::int - 1) + 1, 1), 'YYYY-MM-DD')`,
  YEAR: `to_char(t.transaction_date, 'YYYY-01-01')`,
  PORTFOLIO: 't.portfolio_id::text',
  ASSET: 't.asset_id::text',
  ASSET_TYPE: 'm.asset_type',
  SECTOR: 'm.sector',
  COUNTRY: 'm.issuing_country',
  CURRENCY: 'm.currency::text',
  COUNTERPARTY: 't.counterparty_id::text',
  TYPE: 't.transaction_type',
};
const TRADE_DIMENSIONS = Object.keys(TRADE_KEY) as TradeDimension[];

const ASSET_MEASURES = {
  marketValueBase: ['market_value_base', 'decimal'],
  positionQuantity: ['position_quantity', 'decimal'],
  avgDailyReturn: ['avg_daily_return', 'float'],
  totalReturn: ['total_return', 'float'],
  avgVolatility: ['avg_volatility', 'float'],
  valueAtRisk: ['value_at_risk', 'float'],
  beta: ['beta', 'float'],
  sharpeRatio: ['sharpe_ratio', 'float'],
  activeViolations: ['active_violations', 'int'],
  totalTransactions: ['total_transactions', 'int'],
} as const;

/** Decimal strings compared exactly, whatever their trailing zeros. */
function canonical(value: string | null): string | null {
  if (value === null) return null;
  const [whole, fraction = ''] = value.split('.');
  const digits = fraction.replace(/0+$/, '');
  const text = digits ? `${whole}.${digits}` : whole!;
  return text === '-0' ? '0' : text;
}

function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function subset<T>(next: () => number, items: readonly T[]): T[] {
  const chosen = items.filter(() => next() < 0.5);
  return chosen.length ? chosen : [pick(next, items)];
}

function distinctDimensions<T>(next: () => number, all: readonly T[]): T[] {
  const count = 1 + Math.floor(next() * 3);
  const pool = [...all];
  return Array.from({ length: count }, () => pool.splice(Math.floor(next() * pool.length), 1)[0]!);
}

/** A level's identity: how many leading keys are kept, and their values. */
function levelKey(values: ReadonlyArray<string | null>): string {
  return JSON.stringify([values.length, ...values]);
}

async function distinctValues(sql: Sql, column: string): Promise<string[]> {
  const rows = await sql<
    { value: string }[]
  >`select distinct ${sql(column)}::text as value from asset_360 where ${sql(column)} is not null`;
  return rows.map((row) => row.value).sort();
}

async function randomAssetFilter(next: () => number): Promise<{ filter: AssetFilter | null; where: Fragment }> {
  const sql = db.sql;
  const filter: AssetFilter = {};
  const conditions: Fragment[] = [];
  if (next() < 0.3) {
    filter.assetType = subset(next, await distinctValues(sql, 'asset_type'));
    conditions.push(sql`a.asset_type = any(${filter.assetType})`);
  }
  if (next() < 0.3) {
    filter.sector = subset(next, await distinctValues(sql, 'sector'));
    conditions.push(sql`a.sector = any(${filter.sector})`);
  }
  if (next() < 0.3) {
    filter.country = subset(next, await distinctValues(sql, 'issuing_country'));
    conditions.push(sql`a.issuing_country = any(${filter.country})`);
  }
  if (next() < 0.3) {
    filter.riskCategory = subset(next, ['LOW', 'MEDIUM', 'HIGH', 'UNKNOWN'] as const);
    conditions.push(sql`a.risk_category = any(${filter.riskCategory})`);
  }
  if (next() < 0.2) {
    filter.positionSize = subset(next, ['LARGE', 'MEDIUM', 'SMALL', 'UNKNOWN'] as const);
    conditions.push(sql`a.position_size = any(${filter.positionSize})`);
  }
  if (next() < 0.2) {
    filter.performanceCategory = subset(next, ['OUTPERFORMING', 'NEUTRAL', 'UNDERPERFORMING', 'UNKNOWN'] as const);
    conditions.push(sql`a.performance_category = any(${filter.performanceCategory})`);
  }
  if (next() < 0.2) {
    filter.hasActiveViolations = next() < 0.5;
    conditions.push(filter.hasActiveViolations ? sql`a.active_violations > 0` : sql`a.active_violations = 0`);
  }
  if (next() < 0.15) {
    filter.search = pick(next, ['a', 'e', 'or', 'co', 'in']);
    conditions.push(
      sql`(position(${filter.search} in lower(a.asset_name)) > 0 or position(${filter.search} in lower(coalesce(a.isin, ''))) > 0)`,
    );
  }
  const where = conditions.reduce((all, condition) => sql`${all} and ${condition}`, sql`true`);
  return { filter: Object.keys(filter).length ? filter : null, where };
}

type AssetGroup = AssetAggregatesQuery['assetAggregates'][number];

describe('assetAggregates', () => {
  it(`matches a plain GROUP BY for random dimensions, filters and rollups (seed ${SEED})`, async () => {
    const next = seededRandom(SEED, 'asset-aggregates');
    const sql = db.sql;
    for (let run = 0; run < CASES; run++) {
      const groupBy = distinctDimensions(next, ASSET_DIMENSIONS);
      const rollup = next() < 0.5;
      const first = next() < 0.2 ? 1 + Math.floor(next() * 5) : 1000;
      const { filter, where } = await randomAssetFilter(next);
      const context = `seed ${SEED}, case ${run}: ${JSON.stringify({ groupBy, rollup, first, filter })}`;

      const result = await admin(AssetAggregatesDocument, { groupBy, filter, rollup, first });
      if (refused(expectedAssetGroups({ groupBy, filter, rollup }), first)) {
        expect(
          result.errors?.map((error) => error.extensions?.code),
          context,
        ).toEqual(['QUERY_TOO_COMPLEX']);
        continue;
      }
      const groups = dataOf(result).assetAggregates;

      const measures = Object.entries(ASSET_MEASURES).map(([field, [column, kind]]) =>
        kind === 'decimal'
          ? sql`sum(${sql(column)})::text as ${sql(`${field}_sum`)}, avg(${sql(column)})::text as ${sql(`${field}_avg`)},
                min(${sql(column)})::text as ${sql(`${field}_min`)}, max(${sql(column)})::text as ${sql(`${field}_max`)}`
          : sql`sum(${sql(column)})::float8 as ${sql(`${field}_sum`)}, avg(${sql(column)})::float8 as ${sql(`${field}_avg`)},
                min(${sql(column)})::float8 as ${sql(`${field}_min`)}, max(${sql(column)})::float8 as ${sql(`${field}_max`)}`,
      );
      const measureList = measures.reduce((all, measure) => sql`${all}, ${measure}`);
      const expected = new Map<string, Record<string, unknown>>();
      const levels = rollup ? Array.from({ length: groupBy.length + 1 }, (_, level) => level) : [groupBy.length];
      for (const level of levels) {
        const kept = groupBy.slice(0, level).map((dimension) => ASSET_COLUMN[dimension]);
        const keys = kept.map((column, index) => sql`${sql(column)}::text as ${sql(`k${index}`)}`);
        const rows = await sql<Record<string, unknown>[]>`
          select ${keys.length ? keys.reduce((all, key) => sql`${all}, ${key}`) : sql`null as none`},
                 count(*)::int as count, sum(market_value_base)::text as mv, ${measureList}
          from asset_360 a where ${where}
          ${kept.length ? sql`group by ${kept.map((column) => sql`${sql(column)}`).reduce((all, key) => sql`${all}, ${key}`)}` : sql``}
          ${kept.length ? sql`` : sql`having count(*) > 0`}`;
        for (const row of rows) expected.set(levelKey(kept.map((_, index) => row[`k${index}`] as string | null)), row);
      }
      const [total] = await sql<{ count: number; mv: string | null }[]>`
        select count(*)::int as count, sum(market_value_base)::text as mv from asset_360 a where ${where}`;

      const returned = groups.map((group) => levelKey(group.keys.filter((key) => !key.isTotal).map((key) => key.value)));
      expect(new Set(returned).size, context).toBe(returned.length);
      if (expected.size <= first) expect(new Set(returned), context).toEqual(new Set(expected.keys()));
      else expect(groups.length, context).toBe(first);

      let previousLevel = Infinity;
      groups.forEach((group: AssetGroup, index) => {
        const what = `${context}, group ${returned[index]}`;
        expect(
          group.keys.map((key) => key.dimension),
          what,
        ).toEqual(groupBy);
        const totals = group.keys.map((key) => key.isTotal);
        // Totals are the trailing keys (ROLLUP), and the coarser levels come first.
        expect(totals, what).toEqual([...totals].sort((a, b) => Number(a) - Number(b)));
        expect(totals.some(Boolean) && !rollup, what).toBe(false);
        const kept = totals.filter((isTotal) => !isTotal).length;
        expect(kept, what).toBeLessThanOrEqual(previousLevel === Infinity ? groupBy.length : groupBy.length);
        if (rollup) expect(groupBy.length - kept, what).toBeLessThanOrEqual(previousLevel);
        previousLevel = groupBy.length - kept;
        for (const key of group.keys) if (key.isTotal) expect(key.value, what).toBeNull();

        const row = expected.get(returned[index]!);
        expect(row, what).toBeDefined();
        expect(group.count, what).toBe(row!.count);
        close(group.countShare, group.count / total!.count, `${what} countShare`);
        const shareable = row!.mv !== null && total!.mv !== null && Number(total!.mv) !== 0;
        close(group.marketValueShare, shareable ? Number(row!.mv) / Number(total!.mv) : null, `${what} marketValueShare`);
        for (const [field, [, kind]] of Object.entries(ASSET_MEASURES)) {
          const measure = group[field as keyof typeof ASSET_MEASURES];
          for (const statistic of ['sum', 'avg', 'min', 'max'] as const) {
            const actual = measure![statistic];
            const reference = row![`${field}_${statistic}`] as string | number | null;
            const label = `${what} ${field}.${statistic}`;
            if (kind === 'decimal') expect(canonical(actual as string | null), label).toBe(canonical(reference as string | null));
            else close(actual as number | null, reference as number | null, label);
          }
        }
      });
    }
  });

  it('marks totals and puts them first, with shares of the whole filtered book', async () => {
    const groups = dataOf(
      await admin(AssetGroupCountsDocument, { groupBy: ['RISK_CATEGORY', 'POSITION_SIZE'], rollup: true, orderBy: [{ field: 'KEYS' }] }),
    ).assetAggregates;
    const [{ count }] = (await db.sql`select count(*)::int as count from asset_360`) as unknown as [{ count: number }];
    expect(groups[0]).toEqual({
      keys: [
        { value: null, isTotal: true },
        { value: null, isTotal: true },
      ],
      count,
      marketValueShare: 1,
    });
    const firstLevel = groups.filter((group) => group.keys[0]!.isTotal === false && group.keys[1]!.isTotal);
    expect(firstLevel.map((group) => group.keys[0]!.value)).toEqual([...firstLevel.map((group) => group.keys[0]!.value)].sort());
    expect(firstLevel.reduce((sum, group) => sum + group.count, 0)).toBe(count);
    expect(groups.indexOf(firstLevel[firstLevel.length - 1]!)).toBe(firstLevel.length);
  });

  it('orders by a measure, nulls last, and cuts at first', async () => {
    const all = dataOf(
      await admin(AssetGroupCountsDocument, { groupBy: ['COUNTRY'], orderBy: [{ field: 'COUNT', direction: 'DESC' }] }),
    ).assetAggregates;
    expect(all.map((group) => group.count)).toEqual([...all.map((group) => group.count)].sort((a, b) => b - a));
    const top = dataOf(
      await admin(AssetGroupCountsDocument, { groupBy: ['COUNTRY'], orderBy: [{ field: 'COUNT', direction: 'DESC' }], first: 2 }),
    );
    expect(top.assetAggregates).toEqual(all.slice(0, 2));
  });
});

describe('tradeAggregates', () => {
  it(`matches a plain GROUP BY for random dimensions, filters, rollups and viewers (seed ${SEED})`, async () => {
    const next = seededRandom(SEED, 'trade-aggregates');
    const sql = db.sql;
    const [bounds] = await sql<{ first: string; last: string }[]>`
      select min(transaction_date)::text as first, max(transaction_date)::text as last from transactions`;
    const ids = async (query: Promise<ReadonlyArray<Record<string, unknown>>>) => (await query).map((row) => String(row.id));
    const portfolios = await ids(sql`select portfolio_id as id from portfolios order by 1`);
    const assets = await ids(sql`select distinct asset_id as id from transactions order by 1`);
    const counterparties = await ids(
      sql`select distinct counterparty_id as id from transactions where counterparty_id is not null order by 1`,
    );
    const days = await ids(sql`select distinct transaction_date::text as id from transactions order by 1`);
    const clients = new Map<string, Execute>();
    const clientOf = async (visible: string[] | null) => {
      const name = visible === null ? 'ANALYST' : visible.join(',');
      if (!clients.has(name))
        clients.set(name, graphqlClient(url(), await bearer(visible === null ? 'ANALYST' : 'VIEWER', visible ?? undefined)));
      return clients.get(name)!;
    };
    expect(bounds!.first < bounds!.last).toBe(true);

    for (let run = 0; run < CASES; run++) {
      const groupBy = distinctDimensions(next, TRADE_DIMENSIONS);
      const rollup = next() < 0.5;
      const visible = next() < 0.5 ? subset(next, portfolios) : null;
      const filter: TradeFilter = {};
      const conditions: Fragment[] = [visible === null ? sql`true` : sql`t.portfolio_id = any(${visible}::bigint[])`];
      if (next() < 0.25) {
        filter.portfolioId = pick(next, portfolios);
        conditions.push(sql`t.portfolio_id = ${filter.portfolioId}`);
      }
      if (next() < 0.15) {
        filter.assetId = pick(next, assets);
        conditions.push(sql`t.asset_id = ${filter.assetId}`);
      }
      if (next() < 0.15) {
        filter.counterpartyId = pick(next, counterparties);
        conditions.push(sql`t.counterparty_id = ${filter.counterpartyId}`);
      }
      if (next() < 0.25) {
        filter.type = pick(next, ['BUY', 'SELL'] as const);
        conditions.push(sql`t.transaction_type = ${filter.type}`);
      }
      if (next() < 0.4) {
        const [from, to] = [pick(next, days), pick(next, days)].sort() as [string, string];
        filter.dateFrom = from;
        filter.dateTo = to;
        conditions.push(sql`t.transaction_date between ${from}::date and ${to}::date`);
      }
      const where = conditions.reduce((all, condition) => sql`${all} and ${condition}`);
      const context = `seed ${SEED}, case ${run}: ${JSON.stringify({ groupBy, rollup, visible, filter })}`;

      const result = await (await clientOf(visible))(TradeAggregatesDocument, { groupBy, filter, rollup, first: 1000 });
      const dates = { dateFrom: filter.dateFrom && new Date(filter.dateFrom), dateTo: filter.dateTo && new Date(filter.dateTo) };
      if (refused(expectedTradeGroups({ groupBy, filter: { ...filter, ...dates }, rollup }), 1000)) {
        expect(
          result.errors?.map((error) => error.extensions?.code),
          context,
        ).toEqual(['QUERY_TOO_COMPLEX']);
        continue;
      }
      const groups = dataOf(result).tradeAggregates;

      const expected = new Map<string, Record<string, unknown>>();
      const levels = rollup ? Array.from({ length: groupBy.length + 1 }, (_, level) => level) : [groupBy.length];
      for (const level of levels) {
        const kept = groupBy.slice(0, level).map((dimension) => TRADE_KEY[dimension]);
        const keyList = kept.length ? kept.map((key, index) => `${key} as k${index}`).join(', ') : 'null as none';
        const rows = await sql<Record<string, unknown>[]>`
          select ${sql.unsafe(keyList)}, count(*)::int as count,
                 (count(*) filter (where t.transaction_type = 'BUY'))::int as "buyCount",
                 (count(*) filter (where t.transaction_type = 'SELL'))::int as "sellCount",
                 sum(t.quantity)::text as quantity,
                 (coalesce(sum(t.quantity) filter (where t.transaction_type = 'BUY'), 0)
                   - coalesce(sum(t.quantity) filter (where t.transaction_type = 'SELL'), 0))::text as "netQuantity",
                 sum(t.total_amount)::text as "grossAmount", sum(t.transaction_costs)::text as costs,
                 case when count(distinct t.asset_id) = 1 then (sum(t.total_amount) / sum(t.quantity))::text end as vwap
          from transactions t join asset_master m on m.asset_id = t.asset_id
          where ${where}
          ${sql.unsafe(kept.length ? `group by ${kept.map((_, index) => index + 1).join(', ')}` : 'having count(*) > 0')}`;
        for (const row of rows) expected.set(levelKey(kept.map((_, index) => row[`k${index}`] as string | null)), row);
      }

      const returned = groups.map((group) => levelKey(group.keys.filter((key) => !key.isTotal).map((key) => key.value)));
      expect(new Set(returned), context).toEqual(new Set(expected.keys()));
      expect(returned.length, context).toBe(expected.size);
      groups.forEach((group, index) => {
        const what = `${context}, group ${returned[index]}`;
        const row = expected.get(returned[index]!)!;
        expect(
          group.keys.map((key) => key.dimension),
          what,
        ).toEqual(groupBy);
        expect([group.count, group.buyCount, group.sellCount], what).toEqual([row.count, row.buyCount, row.sellCount]);
        for (const field of ['quantity', 'netQuantity', 'grossAmount', 'costs', 'vwap'] as const) {
          expect(canonical(group[field]), `${what} ${field}`).toBe(canonical(row[field] as string | null));
        }
      });
      if (!rollup && groupBy[0] !== 'PORTFOLIO' && groupBy.length === 1 && TRADE_KEY[groupBy[0]!].includes('transaction_date')) {
        const values = returned.map((key) => JSON.parse(key)[1] as string);
        expect(values, `${context}: periods in order`).toEqual([...values].sort());
      }
    }
  });

  it('shows a VIEWER only the trades of its portfolios', async () => {
    const viewer = graphqlClient(url(), await bearer('VIEWER', ['2']));
    const groups = dataOf(await viewer(TradeAggregatesDocument, { groupBy: ['PORTFOLIO'], rollup: true })).tradeAggregates;
    const [expected] = (await db.sql`select count(*)::int as count from transactions where portfolio_id = 2`) as unknown as [
      { count: number },
    ];
    expect(expected!.count).toBeGreaterThan(0);
    expect(groups.map((group) => [group.keys[0]!.value, group.count])).toEqual([
      [null, expected!.count],
      ['2', expected!.count],
    ]);
  });
});

describe('the bounds of a grouping', () => {
  const code = (result: ExecutionResult<unknown>) => result.errors?.map((error) => [error.extensions?.code, error.extensions?.argument]);

  it('refuses more than three dimensions, a dimension twice, first out of range and a field ordered twice, naming the argument', async () => {
    const cases: Array<[Parameters<typeof admin<unknown, Record<string, unknown>>>[1], string]> = [
      [{ groupBy: ['SECTOR', 'COUNTRY', 'CURRENCY', 'RATING'] }, 'groupBy'],
      [{ groupBy: [] }, 'groupBy'],
      [{ groupBy: ['SECTOR', 'SECTOR'] }, 'groupBy'],
      [{ groupBy: ['SECTOR'], first: 0 }, 'first'],
      [{ groupBy: ['SECTOR'], first: 1001 }, 'first'],
      [{ groupBy: ['SECTOR'], orderBy: [{ field: 'COUNT' }, { field: 'COUNT', direction: 'DESC' }] }, 'orderBy'],
    ];
    for (const [variables, argument] of cases) {
      const result = await admin(AssetGroupCountsDocument, variables as never);
      expect(code(result), JSON.stringify(variables)).toEqual([['BAD_USER_INPUT', argument]]);
      expect(result.data ?? null).toBeNull();
    }
    const trades = await admin(TradeAggregatesDocument, { groupBy: ['DAY', 'WEEK', 'MONTH', 'YEAR'] });
    expect(code(trades)).toEqual([['BAD_USER_INPUT', 'groupBy']]);
  });

  it('refuses, before any SQL, the cross product of high-cardinality dimensions, and accepts it narrowed by the filter', async () => {
    const tooMany = [
      admin(AssetGroupCountsDocument, { groupBy: ['ISSUER', 'COUNTRY', 'SECTOR'] }),
      admin(TradeAggregatesDocument, { groupBy: ['ASSET', 'COUNTERPARTY'] }),
      admin(TradeAggregatesDocument, { groupBy: ['DAY', 'ASSET'], filter: { dateFrom: '2024-07-01', dateTo: '2025-06-30' } }),
    ];
    for (const result of await Promise.all(tooMany)) {
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    }
    const narrowed = [
      admin(AssetGroupCountsDocument, { groupBy: ['ISSUER', 'COUNTRY', 'SECTOR'], filter: { country: ['US'], sector: ['Technology'] } }),
      admin(TradeAggregatesDocument, { groupBy: ['ASSET', 'COUNTERPARTY'], filter: { counterpartyId: '1' } }),
      admin(TradeAggregatesDocument, { groupBy: ['MONTH', 'ASSET'], filter: { dateFrom: '2024-07-01', dateTo: '2025-06-30' } }),
    ];
    for (const result of await Promise.all(narrowed)) expect(result.errors).toBeUndefined();
  });
});
