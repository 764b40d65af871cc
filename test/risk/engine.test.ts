import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRiskEngine } from '../../src/risk/engine.js';
import { useTestDatabase } from '../support/database.js';
import { AS_OF, seedBook } from '../graph/book.js';

const run = promisify(execFile);
const db = useTestDatabase();

beforeAll(async () => {
  await seedBook(db.sql, { assets: 25, days: 300, portfolios: 2, seed: 5 });
  await db.sql`update asset_360_settings set risk_engine_window = '1 year', risk_free_rate = 0.02`;
});

type Row = {
  asset_id: string;
  volatility: number;
  beta: number | null;
  sharpe_ratio: number;
  var_95: number;
  tracking_error: number | null;
};
const rowsOf = (day: string) =>
  db.sql<Row[]>`
    select asset_id::text, volatility, beta, sharpe_ratio, var_95, tracking_error from risk_metrics where calculation_date = ${day} order by asset_id`;

describe('the risk engine', () => {
  it('writes one row per asset and date, and a second run changes nothing', async () => {
    const first = await runRiskEngine(db.sql, [AS_OF]);
    const written = await rowsOf(AS_OF);
    expect(first.rows).toBe(written.length);
    expect(written.length).toBeGreaterThan(10);
    const again = await runRiskEngine(db.sql, [AS_OF, AS_OF]);
    expect(again.rows).toBe(first.rows);
    expect(await rowsOf(AS_OF)).toEqual(written);
    const [{ duplicates }] = await db.sql<[{ duplicates: number }]>`
      select count(*)::int as duplicates from (select 1 from risk_metrics group by asset_id, calculation_date having count(*) > 1) d`;
    expect(duplicates).toBe(0);
  });

  it('computes each figure as a plain computation over the closes does', async () => {
    const written = await rowsOf(AS_OF);
    const closes = async (id: string) =>
      db.sql<{ d: string; c: number }[]>`
        select price_date as d, closing_price::float8 as c from market_data
        where asset_id = ${id} and price_date between ${AS_OF}::date - interval '1 year' and ${AS_OF} order by price_date`;
    const returnsOf = (rows: { d: string; c: number }[]) => new Map(rows.slice(1).map((row, i) => [row.d, row.c / rows[i]!.c - 1]));
    const index = returnsOf(await closes('1'));
    const row = written.find((r) => r.asset_id === '3')!;
    const own = returnsOf(await closes('3'));
    const r = [...own.values()];
    const m = r.reduce((s, x) => s + x, 0) / r.length;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / (r.length - 1));
    expect(row.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(row.sharpe_ratio).toBeCloseTo(((m - 0.02 / 252) / sd) * Math.sqrt(252), 10);
    const sorted = [...r].sort((a, b) => a - b);
    const at = 0.05 * (sorted.length - 1);
    expect(row.var_95).toBeCloseTo(
      -(sorted[Math.floor(at)]! + (sorted[Math.ceil(at)]! - sorted[Math.floor(at)]!) * (at - Math.floor(at))),
      12,
    );
    // The seed set asset 1, the demo's index, as the benchmark.
    const pairs = [...own].filter(([d]) => index.has(d)).map(([d, x]) => [x, index.get(d)!] as const);
    const mx = pairs.reduce((s, [x]) => s + x, 0) / pairs.length;
    const mb = pairs.reduce((s, [, b]) => s + b, 0) / pairs.length;
    const cov = pairs.reduce((s, [x, b]) => s + (x - mx) * (b - mb), 0);
    const vb = pairs.reduce((s, [, b]) => s + (b - mb) ** 2, 0);
    expect(row.beta).toBeCloseTo(cov / vb, 10);
  });

  it('drops the rows of an asset that no longer has enough returns, and refuses a bad date', async () => {
    await db.sql`update asset_360_settings set risk_min_returns = 100000`;
    try {
      const run = await runRiskEngine(db.sql, [AS_OF]);
      expect(run.rows).toBe(0);
      expect(run.removed).toBeGreaterThan(10);
      expect(await rowsOf(AS_OF)).toEqual([]);
    } finally {
      await db.sql`update asset_360_settings set risk_min_returns = 20`;
    }
    await expect(runRiskEngine(db.sql, ['2025-02-30'])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('runs from the command line', async () => {
    const { stdout } = await run('npx', ['tsx', 'src/cli/risk.ts', '--as-of', AS_OF], { env: { ...process.env, DATABASE_URL: db.url } });
    expect(stdout).toMatch(new RegExp(`risk_metrics as of ${AS_OF}: \\d+ assets written`));
    await expect(
      run('npx', ['tsx', 'src/cli/risk.ts', '--as-of', 'tomorrow'], { env: { ...process.env, DATABASE_URL: db.url } }),
    ).rejects.toMatchObject({
      code: 2,
    });
  });
});
