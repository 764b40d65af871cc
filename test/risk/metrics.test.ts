import { describe, expect, it } from 'vitest';
import type { Fragment } from '../../src/risk/metrics.js';
import * as m from '../../src/risk/metrics.js';
import { useTestDatabase } from '../support/database.js';

/** The vectors of empyrical's tests/test_stats.py (/work/shared/data/empyrical/README.md); NaN is null. */
const mixed = [null, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => (x === null ? null : x / 100));
const negative = [0, -6, -7, -1, -9, -2, -6, -8, -5].map((x) => x / 100);
const numbers = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100);

const db = useTestDatabase();

/** One aggregate over the rows (r, b) of the arrays, b optional. */
async function over(metric: (r: Fragment, b: Fragment) => Fragment, r: readonly (number | null)[], b?: readonly (number | null)[]) {
  const [row] = await db.sql<[{ value: number | null }]>`
    select ${metric(db.sql`r`, db.sql`b`)} as value
    from unnest(${r as number[]}::float8[], ${(b ?? r.map(() => null)) as number[]}::float8[]) as t(r, b)`;
  return row.value;
}

function close(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('empyrical conformance', () => {
  it('annual volatility, daily, weekly and monthly', async () => {
    close(await over((r) => m.annualVolatility(db.sql, r), mixed), 0.9136465399704637);
    close(await over((r) => m.annualVolatility(db.sql, r, 52), numbers), 0.38851569394870583);
    close(await over((r) => m.annualVolatility(db.sql, r, 12), numbers), 0.18663690238892558);
  });

  it('Sharpe ratio with no, a per-period and an all-positive series', async () => {
    close(await over((r) => m.sharpeRatio(db.sql, r), mixed), 1.7238613961706866);
    const rf = [0, 1, 0, 1, 0, 1, 0, 1, 0].map((x) => x / 100);
    close(await over((r, b) => m.sharpeRatio(db.sql, db.sql`${r} - ${b}`), mixed, rf), 0.34111411441060574);
    close(
      await over(
        (r) => m.sharpeRatio(db.sql, r),
        [1, 2, 1, 1, 1, 1, 1, 1, 1].map((x) => x / 100),
      ),
      52.915026221291804,
    );
  });

  it('Sortino ratio and downside risk', async () => {
    close(await over((r) => m.sortinoRatio(db.sql, r), mixed), 2.605531251673693);
    close(await over((r) => m.downsideRisk(db.sql, r), mixed), 0.60448325038829653);
  });

  it('beta and alpha against negative_returns[1:], aligned by date', async () => {
    // empyrical aligns the two series on their index: mixed's NaN day has no benchmark return.
    const benchmark = [null, ...negative.slice(1)];
    close(await over((r, b) => m.beta(db.sql, r, b), mixed, benchmark), -0.71296296296296313);
    close(await over((r, b) => m.alpha(db.sql, r, b), mixed, benchmark), -0.9997853834885004);
  });

  it('information ratio is excess_sharpe annualized, tracking error the active volatility', async () => {
    const zero = mixed.map(() => 0);
    close(await over((r, b) => m.informationRatio(db.sql, db.sql`${r} - ${b}`), mixed, zero), 0.10859306069076737 * Math.sqrt(252));
    close(await over((r, b) => m.trackingError(db.sql, db.sql`${r} - ${b}`), mixed, zero), 0.9136465399704637);
  });

  it('annual return counts a NaN day as a flat one', async () => {
    close(
      await over(
        (r) => m.annualReturn(db.sql, r),
        mixed.map((x) => x ?? 0),
      ),
      1.9135925373194231,
    );
  });

  it('historical VaR interpolates as numpy.percentile', async () => {
    // value_at_risk(returns, cutoff) is the cutoff percentile; VaR at confidence 1 − cutoff is minus it.
    close(await over((r) => m.historicalVar(db.sql, r, 1 - 0.3), [1, 2]), -1.3);
    const values = [1, 81, 82, 83, 84, 85];
    close(await over((r) => m.historicalVar(db.sql, r, 1 - 0.1), values), -41);
    close(await over((r) => m.historicalVar(db.sql, r, 1 - 0.2), values), -81);
    close(await over((r) => m.historicalVar(db.sql, r, 1 - 0.3), values), -81.5);
  });

  it('CVaR is minus the mean of the lowest ⌊(n − 1)(1 − c)⌋ + 1 returns', async () => {
    const values = [1, 81, 82, 83, 84, 85];
    // cutoff 0.3: int(5 · 0.3) + 1 = 2 values, 1 and 81.
    close(await over((r) => m.conditionalVar(db.sql, r, 0.7), values), -41);
    close(await over((r) => m.conditionalVar(db.sql, r, 0.95), mixed), 0.1);
    close(await over((r) => m.conditionalVar(db.sql, r, 0.5), mixed), -(-10 - 4 + 1 + 1) / 4 / 100);
  });

  it('parametric VaR is z·std − mean', async () => {
    const [row] = await db.sql<[{ z: number }]>`select normal_quantile(0.95) as z`;
    const n = 8;
    const values = mixed.filter((x): x is number => x !== null);
    const mean = values.reduce((s, x) => s + x, 0) / n;
    const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    close(await over((r) => m.parametricVar(db.sql, r, 0.95), mixed), row.z * std - mean);
  });

  it('max drawdown, with its peak and trough positions', async () => {
    const [row] = await db.sql<[{ drawdown: number; peak: number; trough: number }]>`
      select * from risk_max_drawdown(${mixed as number[]}::float8[])`;
    close(row.drawdown, -0.1);
    expect([row.peak, row.trough]).toEqual([8, 9]);
    const [flat] = await db.sql<[{ drawdown: number; peak: number; trough: number }]>`
      select * from risk_max_drawdown(array[0.01, 0.02]::float8[])`;
    expect(flat).toEqual({ drawdown: 0, peak: 0, trough: 0 });
  });

  it('is null where a figure cannot be computed', async () => {
    expect(await over((r) => m.annualVolatility(db.sql, r), [0.01])).toBeNull();
    expect(await over((r) => m.sharpeRatio(db.sql, r), [0.01, 0.01, 0.01])).toBeNull();
    expect(await over((r) => m.sortinoRatio(db.sql, r), [0.01, 0.02])).toBeNull();
    expect(await over((r, b) => m.beta(db.sql, r, b), [0.01, 0.02], [0.01, 0.01])).toBeNull();
  });
});

describe('normal_quantile', () => {
  it('is exact to the last digits where the reference libraries are', async () => {
    // scipy.special.ndtri and mpmath at 40 digits of the same doubles.
    const reference: Array<[number, number]> = [
      [0.95, 1.6448536269514722],
      [0.975, 1.9599639845400538],
      [0.99, 2.3263478740408408],
      [0.999, 3.090232306167813],
      [0.9, 1.2815515655446006],
      [0.6, 0.2533471031357997],
      [0.51, 0.025068908258711057],
      [0.501, 0.002506630899571766],
      [0.75, 0.6744897501960817],
      [0.8, 0.8416212335729144],
      [0.9999, 3.7190164854557084],
      [0.999999, 4.753424308817087],
      [0.05, -1.6448536269514726],
      [0.02, -2.053748910631823],
      [0.5, 0],
    ];
    const rows = await db.sql<{ p: number; z: number }[]>`
      select p, normal_quantile(p) as z from unnest(${reference.map(([p]) => p)}::float8[]) with ordinality as t(p, i) order by i`;
    rows.forEach((row, index) => {
      const expected = reference[index]![1];
      expect(Math.abs(row.z - expected)).toBeLessThanOrEqual(2e-15 * Math.abs(expected));
    });
    expect(rows[0]!.z).toBe(1.6448536269514722);
  });

  it('refuses p outside (0, 1)', async () => {
    for (const p of [0, 1, -0.1, 1.5]) {
      await expect(db.sql`select normal_quantile(${p}::float8)`).rejects.toThrow(/strictly between 0 and 1/);
    }
  });
});
