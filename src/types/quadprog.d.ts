// quadprog ships no types. Its arrays are 1-based (index 0 unused), as in the Fortran it ports.
declare module 'quadprog' {
  export interface QpResult {
    solution: number[];
    Lagrangian: number[];
    value: number[];
    iact: number[];
    iterations: number[];
    message: string;
  }
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
    factorized?: number[],
  ): QpResult;
}
