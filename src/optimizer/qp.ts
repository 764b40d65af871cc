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

function attempt(problem: QuadraticProgram, ridge: number): QpOutcome | 'not positive definite' {
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
  return { feasible: true, x: Float64Array.from(result.solution.slice(1)), objective: result.value[1]! };
}
