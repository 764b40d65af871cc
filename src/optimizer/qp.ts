import { solveQP } from 'quadprog';
import type { Matrix } from './matrix.js';

/** A linear constraint aᵀx = b (equality) or aᵀx ≥ b. */
export interface Constraint {
  a: Float64Array;
  b: number;
}

export interface QuadraticProgram {
  /** minimize ½ xᵀPx + qᵀx */
  p: Matrix;
  q: Float64Array;
  equalities: Constraint[];
  inequalities: Constraint[];
}

export type QpOutcome = { feasible: true; x: Float64Array; objective: number } | { feasible: false };

/**
 * Goldfarb-Idnani through quadprog. quadprog wants a strictly positive definite P, 1-based arrays,
 * constraints as columns of A (A[variable][constraint]), and it overwrites P and q, so every call
 * builds its own copies. A P that is only semidefinite (a repaired covariance, or fewer
 * observations than assets) gets a ridge of 1e-12 × its mean diagonal: far below the 1e-6 the
 * answers are held to, and it keeps the minimizer unique.
 */
export function solveQp(problem: QuadraticProgram): QpOutcome {
  if (problem.q.length > WORKING_SET_FROM) {
    const outcome = solveOnWorkingSet(problem);
    if (outcome) return outcome;
  }
  return solveWhole(problem);
}

/** quadprog on the whole problem; solveQp's answer must always equal it. */
export function solveWhole(problem: QuadraticProgram): QpOutcome {
  const first = attempt(problem, 0);
  if (first !== 'not positive definite') return first;
  const n = problem.q.length;
  let trace = 0;
  for (let i = 0; i < n; i += 1) trace += problem.p[i]![i]!;
  const ridge = Math.max((1e-12 * trace) / Math.max(n, 1), 1e-14);
  const second = attempt(problem, ridge);
  if (second === 'not positive definite') throw new Error('quadprog: the quadratic term is not positive definite');
  return second;
}

function attempt(problem: QuadraticProgram, ridge: number): Solved | 'not positive definite' {
  const n = problem.q.length;
  const constraints = [...problem.equalities, ...problem.inequalities];
  const d: number[][] = [[]];
  const dvec: number[] = [0];
  const a: number[][] = [[]];
  for (let i = 0; i < n; i += 1) {
    const row = [0];
    for (let j = 0; j < n; j += 1) row.push(problem.p[i]![j]! + (i === j ? ridge : 0));
    d.push(row);
    dvec.push(-problem.q[i]!);
    const aRow = [0];
    for (const c of constraints) aRow.push(c.a[i]!);
    a.push(aRow);
  }
  const bvec = [0, ...constraints.map((c) => c.b)];
  // quadprog reads the number of constraints from A[1]: with none, give it one that always holds.
  if (constraints.length === 0) {
    for (let i = 1; i <= n; i += 1) a[i]!.push(0);
    bvec.push(-1);
  }
  const result = solveQP(d, dvec, a, bvec, problem.equalities.length);
  if (result.message.startsWith('constraints are inconsistent')) return { feasible: false };
  if (result.message.startsWith('matrix D')) return 'not positive definite';
  if (result.message) throw new Error(`quadprog: ${result.message}`);
  // quadprog turns an equality row around (a, b → −a, −b) when that suits it, in our copy: its
  // multiplier then belongs to the turned row, and the original row's is its negative.
  const multipliers = constraints.map((c, j) => {
    const i = c.a.findIndex((v) => v !== 0);
    const turned = i >= 0 && Math.sign(a[i + 1]![j + 1]!) !== Math.sign(c.a[i]!);
    return (turned ? -1 : 1) * (result.Lagrangian[j + 1] ?? 0);
  });
  return { feasible: true, x: Float64Array.from(result.solution.slice(1)), objective: result.value[1]!, multipliers };
}

type Solved = { feasible: false } | { feasible: true; x: Float64Array; objective: number; multipliers: number[] };

/** Below this many variables quadprog on the whole problem is fast enough. */
const WORKING_SET_FROM = 150;
const MAX_ROUNDS = 30;

/**
 * quadprog's active-set steps cost O(n²) each plus a scan of every constraint, and a long-only
 * optimum over hundreds of assets with most weights at their bound takes one step per such
 * weight. So: fix the variables outside a working set at their lower bounds, solve over the set,
 * and add every fixed variable whose reduced cost (∂f/∂x_k less the constraints' multipliers)
 * is negative, until none is: then the KKT conditions of the whole problem hold, the answer is
 * the whole problem's. Returns undefined (solve the whole) when a reduced problem is infeasible or
 * the variables have no lower bounds to fix them at.
 */
function solveOnWorkingSet(problem: QuadraticProgram): QpOutcome | undefined {
  const n = problem.q.length;
  const lower = new Float64Array(n).fill(NaN);
  const general: Constraint[] = [];
  for (const c of problem.inequalities) {
    const nonzero = c.a.reduce((count, v) => count + (v !== 0 ? 1 : 0), 0);
    const i = c.a.findIndex((v) => v !== 0);
    if (nonzero === 1 && c.a[i] === 1) lower[i] = Number.isNaN(lower[i]!) ? c.b : Math.max(lower[i]!, c.b);
    else general.push(c);
  }
  const bounded = [...lower.keys()].filter((i) => !Number.isNaN(lower[i]!));
  if (bounded.length < n / 2) return undefined;
  const free = new Set([...lower.keys()].filter((i) => Number.isNaN(lower[i]!)));
  for (const i of initialSet(problem, [...problem.equalities, ...general])) free.add(i);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const inSet = [...free].sort((a, b) => a - b);
    const x = Float64Array.from(lower, (l, i) => (free.has(i) ? 0 : l));
    const fixed = bounded.filter((i) => !free.has(i));
    const restrict = (c: Constraint) => {
      let b = c.b;
      for (const k of fixed) b -= c.a[k]! * x[k]!;
      return { a: Float64Array.from(inSet, (i) => c.a[i]!), b };
    };
    const equalities = problem.equalities.map(restrict);
    const rows = general.map(restrict);
    // A row over fixed variables only is a constant: it holds or the set cannot be right.
    const kept = rows.filter((c) => c.a.some((v) => v !== 0));
    if (rows.some((c) => !c.a.some((v) => v !== 0) && c.b > 1e-12) || equalities.some((c) => !c.a.some((v) => v !== 0))) {
      return undefined;
    }
    const reduced: QuadraticProgram = {
      p: inSet.map((i) => Float64Array.from(inSet, (j) => problem.p[i]![j]!)),
      q: Float64Array.from(inSet, (i) => {
        let v = problem.q[i]!;
        for (const k of fixed) v += problem.p[i]![k]! * x[k]!;
        return v;
      }),
      equalities,
      inequalities: [...kept, ...inSet.flatMap((i, r) => (Number.isNaN(lower[i]!) ? [] : [{ a: unitOf(inSet.length, r), b: lower[i]! }]))],
    };
    let solved = attempt(reduced, 0);
    if (solved === 'not positive definite') return undefined;
    if (!solved.feasible) return undefined;
    inSet.forEach((i, r) => (x[i] = (solved as { x: Float64Array }).x[r]!));
    // Multipliers of the equalities and of the kept general rows, in the whole problem's terms.
    const y = solved.multipliers;
    const keptIndex = rows.map((c) => kept.indexOf(c));
    let worst = 0;
    const violators: [number, number][] = [];
    for (const k of fixed) {
      let reducedCost = problem.q[k]!;
      const row = problem.p[k]!;
      for (let j = 0; j < n; j += 1) reducedCost += row[j]! * x[j]!;
      problem.equalities.forEach((c, j) => (reducedCost -= y[j]! * c.a[k]!));
      general.forEach((c, g) => {
        const at = keptIndex[g]!;
        if (at >= 0) reducedCost -= y[equalities.length + at]! * c.a[k]!;
      });
      worst = Math.max(worst, Math.abs(reducedCost));
      if (reducedCost < 0) violators.push([k, reducedCost]);
    }
    const scale = Math.max(1e-300, ...problem.q.map(Math.abs), ...inSet.map((i) => Math.abs(problem.p[i]![i]!)));
    const tolerance = 1e-10 * scale;
    const real = violators.filter(([, cost]) => cost < -tolerance).sort((a, b) => a[1] - b[1]);
    if (real.length === 0) {
      let objective = 0;
      for (let i = 0; i < n; i += 1) {
        let inner = 0;
        for (let j = 0; j < n; j += 1) inner += problem.p[i]![j]! * x[j]!;
        objective += x[i]! * (0.5 * inner + problem.q[i]!);
      }
      return { feasible: true, x, objective };
    }
    for (const [k] of real.slice(0, 50)) free.add(k);
    solved = { feasible: false };
  }
  return undefined;
}

function unitOf(n: number, i: number): Float64Array {
  const e = new Float64Array(n);
  e[i] = 1;
  return e;
}

/**
 * A first guess at the variables off their bounds: the lowest variances, and the best ratios of
 * each linear term (q, and each constraint row with more than two distinct coefficients, such as a
 * return floor or max Sharpe's excess returns) to the volatility.
 */
function initialSet(problem: QuadraticProgram, rows: Constraint[]): number[] {
  const n = problem.q.length;
  const sd = Float64Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(problem.p[i]![i]!, 1e-300)));
  const top = (score: (i: number) => number, count: number) => [...Array(n).keys()].sort((a, b) => score(b) - score(a)).slice(0, count);
  const picked = new Set(top((i) => -sd[i]!, 40));
  if (problem.q.some((v) => v !== 0)) for (const i of top((i) => -problem.q[i]! / sd[i]!, 40)) picked.add(i);
  for (const row of rows) {
    if (new Set(row.a).size <= 2) continue;
    for (const i of top((i) => row.a[i]! / sd[i]!, 40)) picked.add(i);
  }
  return [...picked];
}
