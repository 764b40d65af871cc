import { describe, expect, it } from 'vitest';
import * as m from '../../src/risk/metrics.js';

/** The vectors of empyrical's tests/test_stats.py (/work/shared/data/empyrical/README.md); NaN is null. */
const mixed = [null, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => (x === null ? null : x / 100));
const negative = [0, -6, -7, -1, -9, -2, -6, -8, -5].map((x) => x / 100);
const numbers = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100);

type Series = readonly (number | null)[];

/** The returns that are there, as numpy's nan-functions skip NaN. */
const present = (r: Series) => r.filter((x): x is number => x !== null);

/** A metric of (r, b) on the days both have a value, as empyrical aligns two series. */
function paired<T>(metric: (r: number[], b: number[]) => T, r: Series, b: Series): T {
  const days = r.flatMap((x, i) => (x === null || b[i] === null ? [] : [i]));
  return metric(
    days.map((i) => r[i]!),
    days.map((i) => b[i]!),
  );
}

/** A metric of the differences r − b, on the days both have a value. */
const ofDifference = <T>(metric: (d: number[]) => T, r: Series, b: Series): T =>
  paired((x, y) => metric(x.map((value, i) => value - y[i]!)), r, b);

function close(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('empyrical conformance', () => {
  it('annual volatility, daily, weekly and monthly', () => {
    close(m.annualVolatility(present(mixed)), 0.9136465399704637);
    close(m.annualVolatility(numbers, 52), 0.38851569394870583);
    close(m.annualVolatility(numbers, 12), 0.18663690238892558);
  });

  it('Sharpe ratio with no, a per-period and an all-positive series', () => {
    close(m.sharpeRatio(present(mixed)), 1.7238613961706866);
    const rf = [0, 1, 0, 1, 0, 1, 0, 1, 0].map((x) => x / 100);
    close(ofDifference(m.sharpeRatio, mixed, rf), 0.34111411441060574);
    close(m.sharpeRatio([1, 2, 1, 1, 1, 1, 1, 1, 1].map((x) => x / 100)), 52.915026221291804);
  });

  it('Sortino ratio and downside risk', () => {
    close(m.sortinoRatio(present(mixed)), 2.605531251673693);
    close(m.downsideRisk(present(mixed)), 0.60448325038829653);
  });

  it('beta and alpha against negative_returns[1:], aligned by date', () => {
    // empyrical aligns the two series on their index: mixed's NaN day has no benchmark return.
    const benchmark = [null, ...negative.slice(1)];
    close(paired(m.beta, mixed, benchmark), -0.71296296296296313);
    close(
      paired((r, b) => m.alpha(r, b), mixed, benchmark),
      -0.9997853834885004,
    );
  });

  it('information ratio is excess_sharpe annualized, tracking error the active volatility', () => {
    const zero = mixed.map(() => 0);
    close(ofDifference(m.informationRatio, mixed, zero), 0.10859306069076737 * Math.sqrt(252));
    close(ofDifference(m.trackingError, mixed, zero), 0.9136465399704637);
  });

  it('annual return counts a NaN day as a flat one', () => {
    close(m.annualReturn(mixed.map((x) => x ?? 0)), 1.9135925373194231);
  });

  it('historical VaR interpolates as numpy.percentile', () => {
    // value_at_risk(returns, cutoff) is the cutoff percentile; VaR at confidence 1 − cutoff is minus it.
    close(m.historicalVar([1, 2], 1 - 0.3), -1.3);
    const values = [1, 81, 82, 83, 84, 85];
    close(m.historicalVar(values, 1 - 0.1), -41);
    close(m.historicalVar(values, 1 - 0.2), -81);
    close(m.historicalVar(values, 1 - 0.3), -81.5);
  });

  it('historical VaR picks the same order statistics as a sort, ties and any order included', () => {
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(Math.random() * 300);
      const values = Array.from({ length: n }, () => Math.round((Math.random() - 0.5) * (trial % 2 ? 20 : 2000)) / 1000 + 0);
      const sorted = [...values].sort((a, b) => a - b);
      for (const confidence of [0.95, 0.99, 0.75, 0.5000001]) {
        const position = (1 - confidence) * (n - 1);
        const low = Math.floor(position);
        const a = sorted[low]!;
        const b = sorted[Math.min(low + 1, n - 1)]!;
        const t = position - low;
        expect(m.historicalVar(values, confidence)).toBe(-(t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t));
      }
    }
  });

  it('CVaR is minus the mean of the lowest ⌊(n − 1)(1 − c)⌋ + 1 returns', () => {
    const values = [1, 81, 82, 83, 84, 85];
    // cutoff 0.3: int(5 · 0.3) + 1 = 2 values, 1 and 81.
    close(m.conditionalVar(values, 0.7), -41);
    close(m.conditionalVar(present(mixed), 0.95), 0.1);
    close(m.conditionalVar(present(mixed), 0.5), -(-10 - 4 + 1 + 1) / 4 / 100);
  });

  it('parametric VaR is z·std − mean', () => {
    const z = m.normalQuantile(0.95);
    const n = 8;
    const values = mixed.filter((x): x is number => x !== null);
    const mean = values.reduce((s, x) => s + x, 0) / n;
    const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    close(m.parametricVar(values, 0.95), z * std - mean);
  });

  it('max drawdown, with its peak and trough positions', () => {
    // The NaN day is a flat one, so that the positions count it.
    const row = m.maxDrawdown(mixed.map((x) => x ?? 0));
    close(row.drawdown, -0.1);
    expect([row.peak, row.trough]).toEqual([8, 9]);
    expect(m.maxDrawdown([0.01, 0.02])).toEqual({ drawdown: 0, peak: 0, trough: 0 });
  });

  it('is null where a figure cannot be computed', () => {
    expect(m.annualVolatility([0.01])).toBeNull();
    expect(m.sharpeRatio([0.01, 0.01, 0.01])).toBeNull();
    expect(m.sortinoRatio([0.01, 0.02])).toBeNull();
    expect(m.beta([0.01, 0.02], [0.01, 0.01])).toBeNull();
  });
});

describe('normalQuantile', () => {
  it('is exact to the last digits where the reference libraries are', () => {
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
    const rows = reference.map(([p]) => ({ p, z: m.normalQuantile(p) }));
    rows.forEach((row, index) => {
      const expected = reference[index]![1];
      expect(Math.abs(row.z - expected)).toBeLessThanOrEqual(2e-15 * Math.abs(expected));
    });
    expect(rows[0]!.z).toBe(1.6448536269514722);
  });

  it('refuses p outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5]) {
      expect(() => m.normalQuantile(p)).toThrow(/strictly between 0 and 1/);
    }
  });
});
