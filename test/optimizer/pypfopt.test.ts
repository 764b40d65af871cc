import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/lib/errors.js';
import { quadForm } from '../../src/optimizer/matrix.js';
import { solveMeanVariance, type Objective } from '../../src/optimizer/objectives.js';
import { optimizeFromPrices, type OptimizeOptions } from '../../src/optimizer/optimize.js';
import { capmReturn, meanHistoricalReturn, returnsFromPrices } from '../../src/optimizer/returns.js';
import { covariance } from '../../src/optimizer/risk-models.js';
import { alignTo, readPrices } from './pypfopt-data.js';

/**
 * PyPortfolioOpt's expected results on its own test prices (/work/shared/data/pypfopt/README.md,
 * from tests/test_efficient_frontier.py and tests/test_expected_returns.py), held to 1e-6.
 */
const stocks = readPrices('stock_prices.csv');
const n = stocks.tickers.length;
const rf = 0.02;

function close(actual: number, expected: number, tolerance = 1e-6): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function run(options: OptimizeOptions) {
  const result = optimizeFromPrices(stocks.columns, options);
  const lower = options.lower?.[0] === null ? -1 : (options.lower?.[0] ?? 0);
  const upper = options.upper?.[0] === null ? 1 : (options.upper?.[0] ?? 1);
  close(
    result.weights.reduce((s, w) => s + w, 0),
    1,
    1e-12,
  );
  for (const w of result.weights) {
    expect(w).toBeGreaterThanOrEqual(lower - 1e-12);
    expect(w).toBeLessThanOrEqual(upper + 1e-12);
  }
  return result;
}

function triple(result: { expectedReturn: number; volatility: number; sharpe: number }, expected: [number, number, number]) {
  close(result.expectedReturn, expected[0]);
  close(result.volatility, expected[1]);
  close(result.sharpe, expected[2]);
}

const unbounded = { lower: Array<null>(n).fill(null), upper: Array<null>(n).fill(null) };

describe('PyPortfolioOpt conformance: EfficientFrontier on the sample covariance', () => {
  it('min_volatility()', () => {
    triple(run({ objective: { kind: 'MIN_VOLATILITY' } }), [0.15056821399482578, 0.15915084514118694, 0.8204054077060996]);
  });

  it('max_sharpe(risk_free_rate=0.02)', () => {
    triple(run({ objective: { kind: 'MAX_SHARPE' }, riskFreeRate: rf }), [0.3047768672819914, 0.22165566922402932, 1.2847714127003216]);
  });

  it('efficient_return(0.25)', () => {
    const result = run({ objective: { kind: 'EFFICIENT_RETURN', targetReturn: 0.25 } });
    triple(result, [0.25, 0.18723269942026335, 1.2284179030274036]);
  });

  it('efficient_risk(0.19)', () => {
    triple(run({ objective: { kind: 'EFFICIENT_RISK', targetVolatility: 0.19 } }), [0.2552422849133517, 0.19, 1.2381172871434818]);
  });

  it('max_quadratic_utility(risk_aversion=2)', () => {
    triple(
      run({ objective: { kind: 'MAX_QUADRATIC_UTILITY', riskAversion: 2 } }),
      [0.3677732711751504, 0.2921342197778279, 1.1904571516463793],
    );
  });

  it('max_sharpe() with bounds (None, None)', () => {
    const result = run({ objective: { kind: 'MAX_SHARPE' }, ...unbounded });
    triple(result, [0.4937195216716211, 0.29516576454651955, 1.6049270564945908]);
    expect(result.weights.some((w) => w < 0)).toBe(true);
  });

  it('min_volatility() with bounds (None, None)', () => {
    const result = run({ objective: { kind: 'MIN_VOLATILITY' }, ...unbounded });
    triple(result, [0.1516319319875544, 0.1555915367269669, 0.8460095886741129]);
    expect(result.weights.some((w) => w < 0)).toBe(true);
  });
});

describe('PyPortfolioOpt conformance: Ledoit-Wolf shrinkage', () => {
  it('single_factor: δ and efficient_return(0.22)', () => {
    const result = run({ objective: { kind: 'EFFICIENT_RETURN', targetReturn: 0.22 }, riskModel: 'LEDOIT_WOLF_SINGLE_FACTOR' });
    close(result.shrinkage!, 0.018506888954094497, 1e-12);
    triple(result, [0.22, 0.08892163937693882, 2.2491713085967766]);
  });

  it('constant_correlation with L2 regularization γ = 1: δ and min_volatility()', () => {
    const result = run({ objective: { kind: 'MIN_VOLATILITY' }, riskModel: 'LEDOIT_WOLF_CONSTANT_CORRELATION', gamma: 1 });
    close(result.shrinkage!, 0.01795506398722622, 1e-12);
    triple(result, [0.17358178582309983, 0.19563960638632416, 0.7850239972361532]);
  });

  it('constant_variance shrinks towards the mean variance with a constant in [0, 1]', () => {
    const returns = returnsFromPrices(stocks.columns);
    const shrunk = covariance(returns, 'LEDOIT_WOLF_CONSTANT_VARIANCE');
    expect(shrunk.shrinkage).toBeGreaterThan(0);
    expect(shrunk.shrinkage).toBeLessThan(1);
    const sample = covariance(returns, 'SAMPLE_COV').matrix;
    // Shrinkage pulls every off-diagonal entry towards 0.
    expect(Math.abs(shrunk.matrix[0]![1]!)).toBeLessThan(Math.abs(sample[0]![1]!) * 1.01);
  });
});

describe('PyPortfolioOpt conformance: expected returns', () => {
  it('capm_return without a benchmark (the mean of the assets as the market)', () => {
    const mu = capmReturn(returnsFromPrices(stocks.columns), undefined, rf);
    // tests/test_expected_returns.py, test_capm_no_benchmark
    const expected = [
      0.22148462799238577, 0.2835429647498704, 0.14693081977908462, 0.1488989354304723, 0.4162399750335195, 0.22716772604184535,
      0.3970337136813829, 0.16733214988182069, 0.31791477659742146, 0.17279931642386534, 0.15271750464365566, 0.351778014382922,
      0.32859883451716376, 0.1501938182844417, 0.268295486802897, 0.31632339201710874, 0.27753479916328516, 0.16959588523287855,
      0.3089119447773357, 0.2558719211959501,
    ];
    expected.forEach((e, i) => close(mu[i]!, e));
  });

  it('capm_return against SPY', () => {
    const spy = alignTo(readPrices('spy_prices.csv'), 0, stocks.dates);
    const all = returnsFromPrices([...stocks.columns, spy]);
    const mu = capmReturn(all.slice(0, -1), all[n], rf);
    // tests/test_expected_returns.py, test_capm_with_benchmark
    const expected = [
      0.09115799375654746, 0.09905386632033128, 0.05676282405265752, 0.06291827346436336, 0.13147799781014877, 0.10239088012000815,
      0.1311567086884512, 0.07339649698626659, 0.1301248935078549, 0.07620949056643983, 0.07629095442513395, 0.12163575425541985,
      0.10400070536161658, 0.0781736030988492, 0.09185177050469516, 0.10245700691271296, 0.11268307946677197, 0.07870087187919145,
      0.1275598841214107, 0.09536788741392595,
    ];
    expected.forEach((e, i) => close(mu[i]!, e));
  });

  it('mean_historical_return compounds each ticker over its own returns', () => {
    const mu = meanHistoricalReturn(returnsFromPrices(stocks.columns));
    // GOOG starts in 2004: its first return is its second close over its first.
    const goog = stocks.columns[0]!.filter((p) => !Number.isNaN(p));
    close(mu[0]!, (goog[goog.length - 1]! / goog[0]!) ** (252 / (goog.length - 1)) - 1, 1e-12);
  });
});

describe('optimality and constraints', () => {
  const returns = returnsFromPrices(stocks.columns);
  const mu = meanHistoricalReturn(returns);
  const s = covariance(returns, 'SAMPLE_COV').matrix;
  const problem = (objective: Objective, extra: Partial<Parameters<typeof solveMeanVariance>[0]> = {}) => ({
    expectedReturns: mu,
    covariance: s,
    objective,
    riskFreeRate: rf,
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(1),
    gamma: 0,
    sectors: [],
    ...extra,
  });

  it('min volatility: no feasible shift of weight between two assets lowers the variance', () => {
    const { weights } = solveMeanVariance(problem({ kind: 'MIN_VOLATILITY' }));
    const variance = quadForm(s, weights);
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < n; j += 1) {
        const step = Math.min(1e-4, weights[i]!);
        if (i === j || step <= 0) continue;
        const moved = weights.slice();
        moved[i] = weights[i]! - step;
        moved[j] = weights[j]! + step;
        expect(quadForm(s, moved)).toBeGreaterThanOrEqual(variance - 1e-15);
      }
    }
  });

  it('an efficient-return target below the minimum-volatility return gives that portfolio', () => {
    const minimum = solveMeanVariance(problem({ kind: 'MIN_VOLATILITY' }));
    const floor = solveMeanVariance(problem({ kind: 'EFFICIENT_RETURN', targetReturn: 0.05 }));
    close(floor.volatility, minimum.volatility, 1e-12);
  });

  it('per-asset bounds and a sector cap hold at the optimum', () => {
    const tech = [0, 1, 2, 3, 4];
    const result = solveMeanVariance(
      problem({ kind: 'MAX_SHARPE' }, { upper: new Float64Array(n).fill(0.15), sectors: [{ sector: 'TECH', members: tech, max: 0.2 }] }),
    );
    expect(tech.reduce((sum, i) => sum + result.weights[i]!, 0)).toBeLessThanOrEqual(0.2 + 1e-12);
    for (const w of result.weights) expect(w).toBeLessThanOrEqual(0.15 + 1e-12);
    close(
      result.weights.reduce((sum, w) => sum + w, 0),
      1,
      1e-12,
    );
  });

  it('efficient risk with a target above the highest volatility reachable gives the highest return', () => {
    const result = solveMeanVariance(problem({ kind: 'EFFICIENT_RISK', targetVolatility: 5 }));
    close(result.expectedReturn, Math.max(...mu), 1e-9);
  });
});

describe('infeasible inputs are BAD_USER_INPUT naming the argument', () => {
  const fails = (options: OptimizeOptions, argument: string) => {
    let error: unknown;
    try {
      optimizeFromPrices(stocks.columns, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).code).toBe('BAD_USER_INPUT');
    expect((error as BadUserInputError).extensions.argument).toBe(argument);
  };

  it('a target return above the best asset', () =>
    fails({ objective: { kind: 'EFFICIENT_RETURN', targetReturn: 2 } }, 'input.targetReturn'));
  it('a target volatility below the minimum', () =>
    fails({ objective: { kind: 'EFFICIENT_RISK', targetVolatility: 0.1 } }, 'input.targetVolatility'));
  it('bounds that cannot sum to 1', () =>
    fails({ objective: { kind: 'MIN_VOLATILITY' }, upper: Array(n).fill(0.04) }, 'input.weightBounds'));
  it('a minimum above its maximum', () =>
    fails(
      { objective: { kind: 'MIN_VOLATILITY' }, lower: [0.5, ...Array(n - 1).fill(0)], upper: [0.4, ...Array(n - 1).fill(1)] },
      'input.weightBounds',
    ));
  it('sector caps that leave too little room', () =>
    fails(
      {
        objective: { kind: 'MIN_VOLATILITY' },
        upper: Array(n).fill(0.1),
        sectors: [{ sector: 'ALL_BUT_ONE', members: [...Array(n - 1).keys()], max: 0.5 }],
      },
      'input.sectorCaps',
    ));
  it('a risk-free rate above every return', () => fails({ objective: { kind: 'MAX_SHARPE' }, riskFreeRate: 5 }, 'input.riskFreeRate'));
  it('a non-positive risk aversion', () => fails({ objective: { kind: 'MAX_QUADRATIC_UTILITY', riskAversion: 0 } }, 'input.riskAversion'));
});

describe('positive semidefinite repair', () => {
  it('a pairwise covariance with a negative eigenvalue is repaired by clipping and says so', () => {
    // Three series observed on disjoint-enough dates that their pairwise covariances are inconsistent.
    const a = Float64Array.from([0.01, -0.01, 0.02, -0.02, NaN, NaN, 0.01, -0.01]);
    const b = Float64Array.from([0.01, -0.01, 0.02, -0.02, 0.01, -0.01, NaN, NaN]);
    const c = Float64Array.from([NaN, NaN, NaN, NaN, 0.01, -0.01, -0.01, 0.01]);
    const cov = covariance([a, b, c], 'SAMPLE_COV');
    expect(cov.repaired).toBe(true);
    // PSD now: wᵀSw ≥ 0 for the vector the raw matrix made negative.
    for (const w of [Float64Array.from([1, -1, 1]), Float64Array.from([1, 1, -1]), Float64Array.from([1, -1, -1])]) {
      expect(quadForm(cov.matrix, w)).toBeGreaterThanOrEqual(-1e-12);
    }
    const sample = covariance(returnsFromPrices(stocks.columns), 'SAMPLE_COV');
    expect(sample.repaired).toBe(false);
  });
});
