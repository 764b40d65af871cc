import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_ASSET_NAME } from '../../src/demo/assets.js';
import { COUNTRIES } from '../../src/demo/catalog.js';
import { isValidIsin } from '../../src/demo/isin.js';
import { SeedError, type SeedOptions, type SeedReport, seedDemo } from '../../src/demo/seed.js';
import { SOURCE_TABLES } from '../../src/demo/tables.js';
import type { Sql } from '../../src/infra/db.js';
import { createTestDatabase, type TestDatabase, useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
const OPTIONS: SeedOptions = { assets: 40, days: 130, portfolios: 3, seed: 7, asOf: '2026-11-20' };
const ORDER_BY: Record<(typeof SOURCE_TABLES)[number], string> = {
  counterparty_info: 'counterparty_id',
  portfolios: 'portfolio_id',
  asset_master: 'asset_id',
  fx_rates: 'currency, rate_date',
  market_data: 'data_id',
  performance_history: 'performance_id',
  risk_metrics: 'metric_id',
  compliance_records: 'compliance_id',
  transactions: 'transaction_id',
  portfolio_allocation: 'allocation_id',
};

async function fingerprints(sql: Sql): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of SOURCE_TABLES) {
    const [row] = await sql.unsafe<{ md5: string }[]>(
      `select md5(coalesce(string_agg(t::text, '|' order by ${ORDER_BY[table]}), '')) as md5 from ${table} t`,
    );
    result[table] = row!.md5;
  }
  return result;
}

async function count(sql: Sql, query: string): Promise<number> {
  const [row] = await sql.unsafe<{ count: string }[]>(query);
  return Number(row!.count);
}

let report: SeedReport;
beforeAll(async () => {
  report = await seedDemo(db.sql, OPTIONS);
});

describe('seedDemo', () => {
  const others: TestDatabase[] = [];
  afterAll(async () => {
    for (const other of others) await other.drop();
  });

  it('reports what it loaded', async () => {
    expect(report.asOf).toBe('2026-11-20');
    expect(report.lastDate).toBe('2026-11-20');
    expect(report.rows.asset_master).toBe(40);
    expect(report.rows.portfolios).toBe(3);
    expect(report.rows.counterparty_info).toBe(20);
    for (const table of SOURCE_TABLES) {
      expect(report.rows[table]).toBeGreaterThan(0);
      expect(await count(db.sql, `select count(*) from ${table}`)).toBe(report.rows[table]);
    }
  });

  it('is deterministic: the same options give the same rows, another seed other rows', async () => {
    const same = await createTestDatabase();
    const other = await createTestDatabase();
    others.push(same, other);
    await seedDemo(same.sql, OPTIONS);
    await seedDemo(other.sql, { ...OPTIONS, seed: 8 });
    const expected = await fingerprints(db.sql);
    expect(await fingerprints(same.sql)).toEqual(expected);
    const different = await fingerprints(other.sql);
    for (const table of [
      'asset_master',
      'market_data',
      'performance_history',
      'risk_metrics',
      'transactions',
      'compliance_records',
    ] as const) {
      expect(different[table], table).not.toBe(expected[table]);
    }
  });

  it('describes assets as the contract wants them', async () => {
    const assets = await db.sql<
      { asset_id: string; asset_name: string; asset_type: string; isin: string | null; issuing_country: string | null; status: string }[]
    >`
      select asset_id, asset_name, asset_type, isin, issuing_country, status from asset_master order by asset_id`;
    expect(assets[0]).toMatchObject({ asset_id: '1', asset_name: INDEX_ASSET_NAME, asset_type: 'ETF' });
    expect(new Set(assets.map((asset) => asset.asset_type))).toEqual(new Set(['EQUITY', 'BOND', 'ETF', 'FUND', 'COMMODITY', 'CRYPTO']));
    expect(new Set(assets.map((asset) => asset.status))).toEqual(new Set(['ACTIVE', 'MATURED', 'SUSPENDED']));
    const countries = new Set(COUNTRIES.map((country) => country.code));
    for (const asset of assets) {
      if (asset.isin !== null) expect(isValidIsin(asset.isin), asset.isin).toBe(true);
      if (asset.issuing_country !== null) expect(countries.has(asset.issuing_country), asset.issuing_country).toBe(true);
    }
    expect(
      await count(
        db.sql,
        `select count(*) from asset_master where asset_type = 'BOND' and (maturity_date is null or par_value is null or rating is null or issue_date >= maturity_date)`,
      ),
    ).toBe(0);
    expect(
      await count(
        db.sql,
        `select count(*) from asset_master a where status = 'MATURED' and maturity_date <> (select max(price_date) from market_data m where m.asset_id = a.asset_id)`,
      ),
    ).toBe(0);
  });

  it('has consistent daily bars', async () => {
    expect(
      await count(
        db.sql,
        `select count(*) from market_data
         where not (low_price > 0 and low_price <= least(opening_price, closing_price) and greatest(opening_price, closing_price) <= high_price
                    and bid_price > 0 and bid_price < closing_price and closing_price < ask_price and volume > 0)
            or extract(isodow from price_date) > 5`,
      ),
    ).toBe(0);
    expect(
      await count(
        db.sql,
        `select count(*) from market_data m join asset_master a using (asset_id)
         where (a.asset_type = 'BOND') <> (m.yield_rate is not null)`,
      ),
    ).toBe(0);
  });

  it('has an fx rate for every currency and business day, USD exactly 1', async () => {
    const days = await count(db.sql, `select count(distinct price_date) from market_data`);
    expect(days).toBe(130);
    expect(await count(db.sql, `select count(*) from fx_rates`)).toBe(5 * days);
    expect(
      await count(
        db.sql,
        `select count(*) from (select distinct price_date from market_data) d cross join (values ('USD'), ('EUR'), ('GBP'), ('JPY'), ('CHF')) c(currency)
         where not exists (select from fx_rates f where f.currency = c.currency and f.rate_date = d.price_date)`,
      ),
    ).toBe(0);
    expect(await count(db.sql, `select count(*) from fx_rates where currency = 'USD' and rate_to_base <> 1`)).toBe(0);
    expect(
      await count(db.sql, `select count(*) from asset_master a where not exists (select from fx_rates f where f.currency = a.currency)`),
    ).toBe(0);
  });

  it('derives performance exactly from the stored closes', async () => {
    const mismatches = await count(
      db.sql,
      `with closes as (
         select asset_id, price_date, closing_price,
                lag(closing_price) over w as previous_close,
                first_value(closing_price) over w as first_close
         from market_data window w as (partition by asset_id order by price_date)
       ), expected as (
         select c.asset_id, c.price_date,
                (c.closing_price / c.previous_close - 1)::float8 as daily,
                (c.closing_price / coalesce((select closing_price from market_data x where x.asset_id = c.asset_id and x.price_date < date_trunc('month', c.price_date) order by x.price_date desc limit 1), c.first_close) - 1)::float8 as mtd,
                (c.closing_price / coalesce((select closing_price from market_data x where x.asset_id = c.asset_id and x.price_date < date_trunc('year', c.price_date) order by x.price_date desc limit 1), c.first_close) - 1)::float8 as ytd,
                (c.closing_price / c.first_close - 1)::float8 as total
         from closes c where c.previous_close is not null
       )
       select count(*) from expected e full join performance_history p on p.asset_id = e.asset_id and p.date = e.price_date
       where p.asset_id is null or e.asset_id is null
          or abs(p.daily_return - e.daily) > 1e-12 or abs(p.mtd_return - e.mtd) > 1e-12
          or abs(p.ytd_return - e.ytd) > 1e-12 or abs(p.total_return - e.total) > 1e-12`,
    );
    expect(mismatches).toBe(0);
  });

  it('writes risk_metrics with the risk engine: every Friday of the build risk window, against the index at 3 %', async () => {
    const [settings] = await db.sql<[{ benchmark: string; rf: number }]>`
      select risk_benchmark_asset_id::text as benchmark, risk_free_rate as rf from asset_360_settings`;
    expect(settings).toEqual({ benchmark: '1', rf: 0.03 });
    const dates = await db.sql<{ d: string }[]>`select distinct calculation_date as d from risk_metrics order by 1`;
    expect(dates.map((row) => row.d)).toEqual(
      (
        await db.sql<{ d: string }[]>`
          select d::date::text as d from generate_series(date '2026-11-20' - interval '3 months', date '2026-11-20', interval '1 day') d
          where extract(isodow from d) = 5 order by 1`
      ).map((row) => row.d),
    );
    // An independent look at one asset and date: plain SQL over its closes in the 3-month window.
    const [check] = await db.sql<[{ stored: number; recomputed: number; n: number }]>`
      with closes as (
        select price_date, closing_price::float8 as c, lag(closing_price::float8) over (order by price_date) as p, lag(price_date) over (order by price_date) as pd
        from market_data where asset_id = 2 and price_date between date '2026-11-20' - interval '3 months' and date '2026-11-20'
      )
      select (select volatility from risk_metrics where asset_id = 2 and calculation_date = '2026-11-20') as stored,
        stddev_samp(c / p - 1) * sqrt(252) as recomputed, count(p)::int as n
      from closes where p is not null`;
    expect(check.n).toBeGreaterThanOrEqual(20);
    expect(Math.abs(check.stored - check.recomputed)).toBeLessThanOrEqual(1e-12 * check.recomputed);
  });

  it('spreads assets over every risk, performance and position-size category', async () => {
    const risk = await db.sql<{ category: string }[]>`
      select case when v > 0.15 then 'HIGH' when v > 0.10 then 'MEDIUM' else 'LOW' end as category
      from (select avg(var_95) as v from risk_metrics where calculation_date > date '2026-11-20' - interval '3 months' group by asset_id) a`;
    expect(new Set(risk.map((row) => row.category))).toEqual(new Set(['HIGH', 'MEDIUM', 'LOW']));
    const sizes = await db.sql<{ category: string }[]>`
      with positions as (
        select asset_id, sum(case transaction_type when 'BUY' then quantity else -quantity end) as quantity from transactions group by asset_id
      )
      select case when value > 1000000 then 'LARGE' when value > 100000 then 'MEDIUM' else 'SMALL' end as category
      from (
        select p.quantity * (select closing_price from market_data m where m.asset_id = p.asset_id order by price_date desc limit 1)
                          * (select rate_to_base from fx_rates f where f.currency = a.currency order by rate_date desc limit 1) as value
        from positions p join asset_master a using (asset_id)
      ) v`;
    expect(new Set(sizes.map((row) => row.category))).toEqual(new Set(['LARGE', 'MEDIUM', 'SMALL']));
  });

  it('never sells more than a portfolio holds, and prices trades exactly', async () => {
    expect(
      await count(
        db.sql,
        `select count(*) from (
           select sum(case transaction_type when 'BUY' then quantity else -quantity end)
                    over (partition by portfolio_id, asset_id order by transaction_date, transaction_id) as holding
           from transactions) s
         where holding < 0`,
      ),
    ).toBe(0);
    expect(
      await count(
        db.sql,
        `select count(*) from (select portfolio_id, asset_id from transactions group by 1, 2
                               having sum(case transaction_type when 'BUY' then quantity else -quantity end) = 0) sold_out`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        db.sql,
        `select count(*) from transactions where total_amount <> quantity * price or transaction_costs < 0 or quantity <> trunc(quantity)`,
      ),
    ).toBe(0);
    expect(
      await count(
        db.sql,
        `select count(*) from transactions t left join market_data m on m.asset_id = t.asset_id and m.price_date = t.transaction_date
         where m.closing_price is null or abs(t.price / m.closing_price - 1) > 0.01`,
      ),
    ).toBe(0);
    const [shares] = await db.sql<{ sells: string; with_counterparty: string; total: string }[]>`
      select count(*) filter (where transaction_type = 'SELL') as sells, count(counterparty_id) as with_counterparty, count(*) as total from transactions`;
    expect(Number(shares!.sells)).toBeGreaterThan(0);
    expect(Number(shares!.with_counterparty) / Number(shares!.total)).toBeGreaterThan(0.9);
  });

  it('allocates exactly 100 % per portfolio, target and actual', async () => {
    const sums = await db.sql<{ target: string; actual: string }[]>`
      select sum(target_percentage) as target, sum(actual_percentage) as actual from portfolio_allocation group by portfolio_id`;
    expect(sums).toHaveLength(3);
    for (const sum of sums) {
      expect(Number(sum.target)).toBe(100);
      expect(Number(sum.actual)).toBe(100);
    }
    expect(
      await count(
        db.sql,
        `select count(*) from portfolio_allocation a
         where not exists (select from transactions t where t.portfolio_id = a.portfolio_id and t.asset_id = a.asset_id and t.transaction_date = a.last_rebalance_date)`,
      ),
    ).toBe(0);
  });

  it('records compliance checks whose statuses change over time', async () => {
    const [history] = await db.sql<{ changing: string; resolved: string; open_at_end: string; waived: string; unexplained: string }[]>`
      with ordered as (
        select asset_id, rule_id, status, violation_details,
               lag(status) over (partition by asset_id, rule_id order by check_date, compliance_id) as previous,
               row_number() over (partition by asset_id, rule_id order by check_date desc, compliance_id desc) as recency
        from compliance_records
      )
      select count(distinct (asset_id, rule_id)) filter (where status <> previous) as changing,
             count(*) filter (where previous = 'VIOLATION' and status = 'PASS') as resolved,
             count(*) filter (where recency = 1 and status = 'VIOLATION') as open_at_end,
             count(*) filter (where status = 'WAIVED') as waived,
             count(*) filter (where (status = 'PASS') = (violation_details is not null)) as unexplained
      from ordered`;
    expect(Number(history!.changing)).toBeGreaterThan(0);
    expect(Number(history!.resolved)).toBeGreaterThan(0);
    expect(Number(history!.open_at_end)).toBeGreaterThan(0);
    expect(Number(history!.waived)).toBeGreaterThan(0);
    expect(Number(history!.unexplained)).toBe(0);
  });

  it('moves every identity past the loaded ids', async () => {
    const [asset] = await db.sql<{ asset_id: string }[]>`
      insert into asset_master (asset_name, asset_type, currency) values ('Probe', 'EQUITY', 'USD') returning asset_id`;
    expect(asset!.asset_id).toBe('41');
    await db.sql`delete from asset_master where asset_id = ${asset!.asset_id}`;
  });

  it('refuses to seed over existing data, and replaces it with reset', async () => {
    const before = await fingerprints(db.sql);
    const error = await seedDemo(db.sql, { ...OPTIONS, seed: 99 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).code).toBe('SEED_REFUSED');
    expect((error as SeedError).message).toMatch(/already hold data.*--reset/);
    expect(await fingerprints(db.sql)).toEqual(before);

    await db.sql`insert into asset_360_builds (as_of) values (date '2026-11-20')`;
    const small = await seedDemo(db.sql, { ...OPTIONS, assets: 12, seed: 99, reset: true });
    expect(small.rows.asset_master).toBe(12);
    expect(await count(db.sql, `select count(*) from asset_master`)).toBe(12);
    expect(await count(db.sql, `select count(*) from asset_360_builds`)).toBe(0);
    const [build] = await db.sql<
      { build_id: string }[]
    >`insert into asset_360_builds (as_of) values (date '2026-11-20') returning build_id`;
    expect(build!.build_id).toBe('1');
  });

  it('loads all or nothing, foreign keys included', async () => {
    const failing = await createTestDatabase();
    others.push(failing);
    const foreignKeys = `select count(*) from pg_constraint where contype = 'f'`;
    const before = await count(failing.sql, foreignKeys);
    await failing.sql`alter table compliance_records add constraint reject_demo check (rule_id <> 'CONC-10')`;
    await expect(seedDemo(failing.sql, OPTIONS)).rejects.toThrow(/reject_demo/);
    for (const table of SOURCE_TABLES) expect(await count(failing.sql, `select count(*) from ${table}`)).toBe(0);
    expect(await count(failing.sql, foreignKeys)).toBe(before);
  });

  it('rejects invalid options before touching the database', async () => {
    await expect(seedDemo(db.sql, { ...OPTIONS, assets: 0 })).rejects.toThrow(/assets must be an integer from 1/);
    await expect(seedDemo(db.sql, { ...OPTIONS, days: 1.5 })).rejects.toThrow(/days must be an integer from 2/);
    await expect(seedDemo(db.sql, { ...OPTIONS, asOf: '2026-02-30' })).rejects.toThrow(/asOf must be a date/);
  });
});
