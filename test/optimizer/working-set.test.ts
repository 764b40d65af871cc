import { describe, expect, it } from 'vitest';
import { covariance } from '../../src/optimizer/risk-models.js';
import { meanHistoricalReturn } from '../../src/optimizer/returns.js';
import { solveMeanVariance, type MeanVarianceProblem, type Objective } from '../../src/optimizer/objectives.js';
import { solveQp, solveWhole, type QuadraticProgram } from '../../src/optimizer/qp.js';
import { seededRandom } from '../support/random.js';

/** 220 assets (above the working set's threshold) over 300 days of one-factor returns. */
function market(seed: number) {
  const random = seededRandom(seed, 'working-set');
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const days = 300;
  const n = 220;
  const factor = Float64Array.from({ length: days }, () => 0.01 * normal());
  const returns = Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: days }, (_, t) => 0.0002 * (i % 9) + (0.5 + (i % 5) * 0.2) * factor[t]! + 0.015 * normal()),
  );
  return { n, mu: meanHistoricalReturn(returns), s: covariance(returns, 'SAMPLE_COV').matrix };
}

describe('solveQp on a working set', () => {
  const { n, mu, s } = market(16);
  const base = (objective: Objective, extra: Partial<MeanVarianceProblem> = {}): MeanVarianceProblem => ({
    expectedReturns: mu,
    covariance: s,
    objective,
    riskFreeRate: 0.02,
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(0.3),
    gamma: 0,
    sectors: [{ sector: 'S', members: [...Array(n).keys()].filter((i) => i % 9 === 8), max: 0.1 }],
    ...extra,
  });

  it('answers every objective with a sparse support that keeps the bounds and the sector cap', () => {
    const objectives: Objective[] = [
      { kind: 'MIN_VOLATILITY' },
      { kind: 'MAX_SHARPE' },
      { kind: 'EFFICIENT_RETURN', targetReturn: 0.3 },
      { kind: 'MAX_QUADRATIC_UTILITY', riskAversion: 3 },
    ];
    for (const objective of objectives) {
      const problem = base(objective);
      const fast = solveMeanVariance(problem);
      expect(fast.weights.filter((w) => w > 1e-9).length).toBeLessThan(n / 2);
      const sector = [...Array(n).keys()].filter((i) => i % 9 === 8).reduce((sum, i) => sum + fast.weights[i]!, 0);
      expect(sector).toBeLessThanOrEqual(0.1 + 1e-12);
    }
  });

  it('gives quadprog’s answer on the whole problem to 1e-12', () => {
    const eq = { a: new Float64Array(n).fill(1), b: 1 };
    const bounds = [...Array(n).keys()].map((i) => ({ a: Float64Array.from({ length: n }, (_, j) => +(i === j)), b: 0 }));
    const floor = { a: mu, b: 0.25 };
    const cap = { a: Float64Array.from({ length: n }, (_, i) => (i % 9 === 8 ? -1 : 0)), b: -0.1 };
    const problems: QuadraticProgram[] = [
      { p: s.map((row) => row.map((v) => 2 * v)), q: new Float64Array(n), equalities: [eq], inequalities: bounds },
      { p: s.map((row) => row.map((v) => 2 * v)), q: new Float64Array(n), equalities: [eq], inequalities: [floor, cap, ...bounds] },
      { p: s.map((row) => row.map((v) => 3 * v)), q: mu.map((m) => -m), equalities: [eq], inequalities: [cap, ...bounds] },
      // Max Sharpe's change of variables: (μ − rf)ᵀy = 1, y ≥ 0, Σy ≥ 0.
      {
        p: s.map((row) => row.map((v) => 2 * v)),
        q: new Float64Array(n),
        equalities: [{ a: mu.map((m) => m - 0.02), b: 1 }],
        inequalities: [...bounds, { a: new Float64Array(n).fill(1), b: 0 }],
      },
    ];
    for (const problem of problems) {
      const fast = solveQp(problem);
      const whole = solveWhole(problem);
      expect(fast.feasible && whole.feasible).toBe(true);
      if (!fast.feasible || !whole.feasible) continue;
      for (let i = 0; i < n; i += 1) expect(Math.abs(fast.x[i]! - whole.x[i]!)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(fast.objective - whole.objective)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(whole.objective)));
    }
  });

  it('reports an infeasible problem as the whole solve does', () => {
    const problem = base({ kind: 'EFFICIENT_RETURN', targetReturn: 50 });
    expect(() => solveMeanVariance(problem)).toThrow(/targetReturn/);
  });
});
