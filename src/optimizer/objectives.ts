import { BadUserInputError } from '../lib/errors.js';
import { dot, quadForm, type Matrix } from './matrix.js';
import { solveQp, type Constraint, type QpOutcome } from './qp.js';

export type Objective =
  | { kind: 'MIN_VOLATILITY' }
  | { kind: 'MAX_SHARPE' }
  | { kind: 'EFFICIENT_RETURN'; targetReturn: number }
  | { kind: 'EFFICIENT_RISK'; targetVolatility: number }
  | { kind: 'MAX_QUADRATIC_UTILITY'; riskAversion: number };

/** A cap (and optional floor) on the summed weight of a group of assets (indices). */
export interface SectorLimit {
  sector: string;
  members: number[];
  min?: number;
  max?: number;
}

export interface MeanVarianceProblem {
  expectedReturns: Float64Array;
  covariance: Matrix;
  objective: Objective;
  riskFreeRate: number;
  lower: Float64Array;
  upper: Float64Array;
  /** L2 regularization: γ‖w‖² added to the objective, as PyPortfolioOpt's L2_reg. */
  gamma: number;
  sectors: SectorLimit[];
}

export interface Performance {
  expectedReturn: number;
  volatility: number;
  sharpe: number;
}

export interface MeanVarianceSolution extends Performance {
  weights: Float64Array;
}

/** (μᵀw, √(wᵀSw), (μᵀw − rf)/√(wᵀSw)): PyPortfolioOpt's portfolio_performance. */
export function performance(w: Float64Array, mu: Float64Array, s: Matrix, riskFreeRate: number): Performance {
  const expectedReturn = dot(w, mu);
  const volatility = Math.sqrt(Math.max(quadForm(s, w), 0));
  return { expectedReturn, volatility, sharpe: (expectedReturn - riskFreeRate) / volatility };
}

/**
 * Solves one of PyPortfolioOpt's EfficientFrontier objectives with a QP solver. An infeasible
 * problem is a BadUserInputError naming the input at fault: the bounds and sector limits are
 * checked on their own first, so a later infeasibility belongs to the objective's target.
 */
export function solveMeanVariance(problem: MeanVarianceProblem): MeanVarianceSolution {
  checkBounds(problem);
  const weights = weightsFor(problem);
  return { weights, ...performance(weights, problem.expectedReturns, problem.covariance, problem.riskFreeRate) };
}

function weightsFor(problem: MeanVarianceProblem): Float64Array {
  const { objective } = problem;
  switch (objective.kind) {
    case 'MIN_VOLATILITY':
      return solved(minimizeVariance(problem, 1, 0), 'input.weightBounds');
    case 'EFFICIENT_RETURN': {
      const floor = { a: problem.expectedReturns, b: objective.targetReturn };
      const outcome = minimizeVariance(problem, 1, 0, [floor]);
      if (!outcome.feasible) {
        throw new BadUserInputError(
          `targetReturn ${objective.targetReturn} is above the highest return the bounds allow`,
          'input.targetReturn',
        );
      }
      return outcome.x;
    }
    case 'MAX_QUADRATIC_UTILITY': {
      if (!(objective.riskAversion > 0)) {
        throw new BadUserInputError('riskAversion must be positive', 'input.riskAversion');
      }
      // −(μᵀw − ½δ wᵀSw) + γ‖w‖²
      return solved(minimizeVariance(problem, objective.riskAversion / 2, 1), 'input.weightBounds');
    }
    case 'MAX_SHARPE':
      return maxSharpe(problem);
    case 'EFFICIENT_RISK':
      return efficientRisk(problem, objective.targetVolatility);
  }
}

function solved(outcome: QpOutcome, argument: string): Float64Array {
  if (!outcome.feasible) throw new BadUserInputError('the weight constraints cannot all hold', argument);
  return outcome.x;
}

const ones = (n: number) => new Float64Array(n).fill(1);
const unit = (n: number, i: number) => {
  const e = new Float64Array(n);
  e[i] = 1;
  return e;
};

/** Σw = 1, the per-asset bounds and the sector limits, as constraints on w. */
function weightConstraints(problem: MeanVarianceProblem): { equalities: Constraint[]; inequalities: Constraint[] } {
  const n = problem.expectedReturns.length;
  const inequalities: Constraint[] = [];
  // With no weight below 0 and Σw = 1, no weight exceeds 1: those bounds would only cost the
  // solver a check per iteration (quadprog scans every constraint on each step).
  const longOnly = problem.lower.every((l) => l >= 0);
  for (let i = 0; i < n; i += 1) {
    if (Number.isFinite(problem.lower[i]!)) inequalities.push({ a: unit(n, i), b: problem.lower[i]! });
    if (Number.isFinite(problem.upper[i]!) && !(longOnly && problem.upper[i]! >= 1)) {
      inequalities.push({ a: unit(n, i).map((v) => -v), b: -problem.upper[i]! });
    }
  }
  for (const sector of problem.sectors) {
    const member = new Float64Array(n);
    for (const i of sector.members) member[i] = 1;
    if (sector.max !== undefined) inequalities.push({ a: member.map((v) => -v), b: -sector.max });
    if (sector.min !== undefined) inequalities.push({ a: member, b: sector.min });
  }
  return { equalities: [{ a: ones(n), b: 1 }], inequalities };
}

/** minimize v·wᵀSw + γ‖w‖² − m·μᵀw over the weight constraints and any extra ones. */
function minimizeVariance(problem: MeanVarianceProblem, v: number, m: number, extra: Constraint[] = []): QpOutcome {
  const { equalities, inequalities } = weightConstraints(problem);
  const p = problem.covariance.map((row, i) => row.map((s, j) => 2 * v * s + (i === j ? 2 * problem.gamma : 0)));
  return solveQp({ p, q: problem.expectedReturns.map((mu) => -m * mu), equalities, inequalities: [...inequalities, ...extra] });
}

function checkBounds(problem: MeanVarianceProblem): void {
  const n = problem.expectedReturns.length;
  if (n === 0) throw new BadUserInputError('there are no assets to weigh', 'input.assetIds');
  let lowerSum = 0;
  let upperSum = 0;
  for (let i = 0; i < n; i += 1) {
    const lower = problem.lower[i]!;
    const upper = problem.upper[i]!;
    if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
      throw new BadUserInputError(`the bounds of asset ${i + 1} are empty (${lower} > ${upper})`, 'input.weightBounds');
    }
    lowerSum += lower;
    upperSum += upper;
  }
  if (lowerSum > 1 || upperSum < 1) {
    throw new BadUserInputError(
      `weights within the bounds cannot sum to 1 (minimums sum to ${lowerSum}, maximums to ${upperSum})`,
      'input.weightBounds',
    );
  }
  if (problem.sectors.length === 0) return;
  // The bounds can sum to 1 on their own: an infeasible set now is the sectors' doing.
  const { equalities, inequalities } = weightConstraints(problem);
  const identity = problem.covariance.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  if (!solveQp({ p: identity, q: new Float64Array(n), equalities, inequalities }).feasible) {
    throw new BadUserInputError('the sector limits cannot hold with weights that sum to 1 within their bounds', 'input.sectorCaps');
  }
}

/**
 * Max Sharpe by the change of variables y = κw, κ = Σy > 0: minimize yᵀSy + γ‖y‖² subject to
 * (μ − rf)ᵀy = 1 and every weight constraint multiplied by κ (so Σw = 1 disappears). κ is
 * substituted by Σy, which leaves y alone as the variable and the quadratic term positive definite.
 */
function maxSharpe(problem: MeanVarianceProblem): Float64Array {
  const n = problem.expectedReturns.length;
  const { inequalities } = weightConstraints(problem);
  const excess = problem.expectedReturns.map((mu) => mu - problem.riskFreeRate);
  if (!excess.some((e) => e > 0)) {
    throw new BadUserInputError('no asset has an expected return above riskFreeRate', 'input.riskFreeRate');
  }
  // a·w ≥ b becomes a·y − b·Σy ≥ 0.
  const scaled = inequalities.map((c) => ({ a: c.a.map((v) => v - c.b), b: 0 }));
  scaled.push({ a: ones(n), b: 0 });
  const p = problem.covariance.map((row, i) => row.map((s, j) => 2 * s + (i === j ? 2 * problem.gamma : 0)));
  const outcome = solveQp({ p, q: new Float64Array(n), equalities: [{ a: excess, b: 1 }], inequalities: scaled });
  if (!outcome.feasible) {
    throw new BadUserInputError('no portfolio within the bounds returns more than riskFreeRate', 'input.riskFreeRate');
  }
  const kappa = outcome.x.reduce((sum, y) => sum + y, 0);
  return outcome.x.map((y) => y / kappa);
}

/**
 * Efficient risk: maximize μᵀw − γ‖w‖² subject to wᵀSw ≤ σ², a QCQP. Its KKT point for a multiplier
 * ν > 0 is the QP minimizing wᵀSw + tγ‖w‖² − t·μᵀw with t = 1/ν, whose volatility grows with t
 * from the minimum-volatility portfolio (t = 0). The t giving volatility σ is found by a bracketed
 * regula falsi (Illinois), to a relative 1e-13 in volatility; if no t reaches σ the constraint is
 * slack and the answer is the portfolio at the largest t, where the QP has settled on the
 * unconstrained maximum.
 */
function efficientRisk(problem: MeanVarianceProblem, target: number): Float64Array {
  const at = (t: number) => {
    const { equalities, inequalities } = weightConstraints(problem);
    const p = problem.covariance.map((row, i) => row.map((s, j) => 2 * s + (i === j ? 2 * t * problem.gamma : 0)));
    const w = solved(solveQp({ p, q: problem.expectedReturns.map((mu) => -t * mu), equalities, inequalities }), 'input.weightBounds');
    return { w, gap: Math.sqrt(Math.max(quadForm(problem.covariance, w), 0)) - target };
  };
  const tolerance = 1e-13 * Math.max(target, 1e-3);
  let lo = { t: 0, ...at(0) };
  if (lo.gap > tolerance) {
    throw new BadUserInputError(`targetVolatility ${target} is below the minimum volatility ${lo.gap + target}`, 'input.targetVolatility');
  }
  if (lo.gap >= -tolerance) return lo.w;
  let hi = { t: 1, ...at(1) };
  while (hi.gap < 0) {
    // Past some t the active set stops changing and w(t) is the unconstrained maximum; the QP loses
    // precision as t grows, so stop where it settles rather than at a huge t.
    if (lo.t > 0 && settled(lo.w, hi.w)) return lo.w;
    if (hi.t > 1e9) return hi.w;
    lo = hi;
    hi = { t: hi.t * 4, ...at(hi.t * 4) };
  }
  let side = 0;
  for (let i = 0; i < 200; i += 1) {
    let t = lo.t + ((hi.t - lo.t) * -lo.gap) / (hi.gap - lo.gap);
    if (!(t > lo.t && t < hi.t)) t = (lo.t + hi.t) / 2;
    const mid = { t, ...at(t) };
    if (Math.abs(mid.gap) <= tolerance || hi.t - lo.t <= 1e-15 * hi.t) return mid.w;
    if (mid.gap < 0) {
      lo = mid;
      if (side === -1) hi.gap /= 2;
      side = -1;
    } else {
      hi = mid;
      if (side === 1) lo.gap /= 2;
      side = 1;
    }
  }
  return (Math.abs(lo.gap) < Math.abs(hi.gap) ? lo : hi).w;
}

function settled(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i += 1) if (Math.abs(a[i]! - b[i]!) > 1e-11) return false;
  return true;
}
