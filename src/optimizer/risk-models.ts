import { CholeskyDecomposition, EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { pairwiseCovariance, type Series } from './returns.js';
import { dot, frobeniusSquared, gram, scale, zeros, type Matrix } from './matrix.js';

export type RiskModel = 'SAMPLE_COV' | 'LEDOIT_WOLF_CONSTANT_VARIANCE' | 'LEDOIT_WOLF_SINGLE_FACTOR' | 'LEDOIT_WOLF_CONSTANT_CORRELATION';

export interface Covariance {
  /** Annualized covariance, positive semidefinite. */
  matrix: Matrix;
  /** True when the estimate was not positive semidefinite and its negative eigenvalues were clipped. */
  repaired: boolean;
  /** The Ledoit-Wolf shrinkage constant, when the model shrinks. */
  shrinkage?: number;
}

/** The covariance of daily returns, annualized by `frequency` and repaired to be positive semidefinite. */
export function covariance(returns: readonly Series[], model: RiskModel, frequency = 252): Covariance {
  switch (model) {
    case 'SAMPLE_COV':
      return annualize(sampleCovariance(returns), frequency);
    case 'LEDOIT_WOLF_CONSTANT_VARIANCE': {
      const { matrix, delta } = ledoitWolfConstantVariance(returns);
      return { ...annualize(matrix, frequency), shrinkage: delta };
    }
    case 'LEDOIT_WOLF_SINGLE_FACTOR': {
      const { matrix, delta } = ledoitWolfSingleFactor(returns);
      return { ...annualize(matrix, frequency), shrinkage: delta };
    }
    case 'LEDOIT_WOLF_CONSTANT_CORRELATION': {
      const { matrix, delta } = ledoitWolfConstantCorrelation(returns);
      return { ...annualize(matrix, frequency), shrinkage: delta };
    }
  }
}

function annualize(daily: Matrix, frequency: number): Covariance {
  return repairPsd(scale(daily, frequency));
}

/**
 * pandas' DataFrame.cov(): each pair over the rows where both returns are present, with that
 * subset's means, ddof 1. Columns with no missing return take one pass of dot products over
 * centred columns; only pairs touching a gappy column pay for the pairwise walk.
 */
export function sampleCovariance(returns: readonly Series[]): Matrix {
  const n = returns.length;
  const out = zeros(n);
  const complete = returns.map((c) => !c.some(Number.isNaN));
  const centred = returns.map((c, i) => (complete[i] ? centre(c) : c));
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) {
      const v =
        complete[i] && complete[j]
          ? dot(centred[i]!, centred[j]!) / (returns[i]!.length - 1)
          : pairwiseCovariance(returns[i]!, returns[j]!);
      out[i]![j] = v;
      out[j]![i] = v;
    }
  }
  return out;
}

function centre(column: Float64Array): Float64Array {
  let mean = 0;
  for (const v of column) mean += v;
  mean /= column.length;
  return column.map((v) => v - mean);
}

/** np.nan_to_num: the shrinkage estimators of PyPortfolioOpt read a missing return as 0. */
function nanToZero(returns: readonly Series[]): Float64Array[] {
  return returns.map((c) => c.map((v) => (Number.isNaN(v) ? 0 : v)));
}

/**
 * scikit-learn's ledoit_wolf on the zero-filled returns: the empirical covariance (ddof 0) shrunk
 * towards μ·I, μ its mean variance, by the Ledoit-Wolf (2004) constant.
 */
export function ledoitWolfConstantVariance(returns: readonly Series[]): { matrix: Matrix; delta: number } {
  const x = nanToZero(returns).map(centre);
  const n = x.length;
  const t = x[0]?.length ?? 0;
  const emp = gram(x, t);
  if (n === 1) return { matrix: emp, delta: 0 };
  const x2 = x.map((c) => c.map((v) => v * v));
  let trace = 0;
  for (let i = 0; i < n; i += 1) trace += emp[i]![i]!;
  const mu = trace / n;
  const deltaSum = frobeniusSquared(gram(x, 1)) / (t * t);
  let betaSum = 0;
  for (const row of gram(x2, 1)) for (const v of row) betaSum += v;
  let beta = (betaSum / t - deltaSum) / (n * t);
  const delta = (deltaSum - 2 * mu * trace + n * mu * mu) / n;
  beta = Math.min(beta, delta);
  const shrinkage = beta === 0 ? 0 : beta / delta;
  const matrix = emp.map((row, i) => row.map((v, j) => (1 - shrinkage) * v + (i === j ? shrinkage * mu : 0)));
  return { matrix, delta: shrinkage };
}

/**
 * Ledoit-Wolf (2001) towards Sharpe's single-factor model, the market being the equal-weighted mean
 * return; PyPortfolioOpt's _ledoit_wolf_single_factor term for term (its sample is ddof 0, and
 * its z uses the market return uncentred).
 */
export function ledoitWolfSingleFactor(returns: readonly Series[]): { matrix: Matrix; delta: number } {
  const x = nanToZero(returns);
  const n = x.length;
  const t = x[0]?.length ?? 0;
  const xm = x.map(centre);
  const xmkt = new Float64Array(t);
  for (let row = 0; row < t; row += 1) {
    let s = 0;
    for (let i = 0; i < n; i += 1) s += x[i]![row]!;
    xmkt[row] = s / n;
  }
  const xmktCentred = centre(xmkt);
  const sample = gram(xm, t);
  const betas = Float64Array.from(xm, (c) => dot(c, xmktCentred) / t);
  const varmkt = dot(xmktCentred, xmktCentred) / t;
  const f = zeros(n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) f[i]![j] = i === j ? sample[i]![i]! : (betas[i]! * betas[j]!) / varmkt;
  }
  const c = frobeniusSquared(sample, f);
  const y = xm.map((col) => col.map((v) => v * v));
  const yty = gram(y, t);
  let p = 0;
  for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) p += yty[i]![j]! - sample[i]![j]! ** 2;
  let rdiag = 0;
  for (let i = 0; i < n; i += 1) rdiag += yty[i]![i]! - sample[i]![i]! ** 2;
  const z = xm.map((col) => col.map((v, row) => v * xmktCentred[row]!));
  const ytz = gram(y, t, z);
  const ztz = gram(z, t);
  let roff1 = 0;
  let roff3 = 0;
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      if (i === j) continue;
      roff1 += (ytz[i]![j]! - betas[i]! * sample[i]![j]!) * betas[j]!;
      roff3 += (ztz[i]![j]! - varmkt * sample[i]![j]!) * betas[i]! * betas[j]!;
    }
  }
  const r = rdiag + (2 * roff1) / varmkt - roff3 / (varmkt * varmkt);
  const delta = Math.max(0, Math.min(1, (p - r) / c / t));
  return { matrix: blend(f, sample, delta), delta };
}

/**
 * Ledoit-Wolf (2003) towards the constant-correlation matrix. As in PyPortfolioOpt, the sample
 * covariance S is the pairwise-complete one while the other moments read zero-filled returns.
 */
export function ledoitWolfConstantCorrelation(returns: readonly Series[]): { matrix: Matrix; delta: number } {
  const s = sampleCovariance(returns);
  const x = nanToZero(returns);
  const n = x.length;
  const t = x[0]?.length ?? 0;
  const std = Float64Array.from(s, (row, i) => Math.sqrt(row[i]!));
  let correlationSum = 0;
  for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) correlationSum += s[i]![j]! / (std[i]! * std[j]!);
  const rBar = (correlationSum - n) / (n * (n - 1));
  // rBar·(σ_i·σ_j), not (rBar·σ_i)·σ_j, so that F is exactly symmetric.
  const f = s.map((row, i) => row.map((v, j) => (i === j ? v : rBar * (std[i]! * std[j]!))));
  const xm = x.map(centre);
  const y = xm.map((col) => col.map((v) => v * v));
  const yty = gram(y, t);
  const help = gram(xm, t);
  let piHat = 0;
  let piDiag = 0;
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      const pi = yty[i]![j]! - 2 * help[i]![j]! * s[i]![j]! + s[i]![j]! ** 2;
      piHat += pi;
      if (i === j) piDiag += pi;
    }
  }
  const term1 = gram(
    xm.map((col) => col.map((v) => v * v * v)),
    t,
    xm,
  );
  let thetaSum = 0;
  for (let i = 0; i < n; i += 1) {
    const vi = s[i]![i]!;
    for (let j = 0; j < n; j += 1) {
      if (i === j) continue;
      const theta = term1[i]![j]! - help[i]![i]! * s[i]![j]! - help[i]![j]! * vi + vi * s[i]![j]!;
      thetaSum += (std[j]! / std[i]!) * theta;
    }
  }
  const rhoHat = piDiag + rBar * thetaSum;
  const gammaHat = frobeniusSquared(s, f);
  const delta = Math.max(0, Math.min(1, (piHat - rhoHat) / gammaHat / t));
  return { matrix: blend(f, s, delta), delta };
}

function blend(target: Matrix, sample: Matrix, delta: number): Matrix {
  return sample.map((row, i) => row.map((v, j) => delta * target[i]![j]! + (1 - delta) * v));
}

/**
 * PyPortfolioOpt's fix_nonpositive_semidefinite(spectral): when a Cholesky factorization of
 * S + 1e-16·I fails, S is rebuilt from its eigen-decomposition with the negative eigenvalues set
 * to 0. A pairwise-complete covariance need not be PSD, and a QP over a non-PSD matrix is not convex.
 */
export function repairPsd(matrix: Matrix): Covariance {
  const n = matrix.length;
  const shifted = new MlMatrix(matrix.map((row, i) => Array.from(row, (v, j) => (i === j ? v + 1e-16 : v))));
  if (n === 0 || new CholeskyDecomposition(shifted).isPositiveDefinite()) return { matrix, repaired: false };
  const eig = new EigenvalueDecomposition(new MlMatrix(matrix.map((row) => Array.from(row))), { assumeSymmetric: true });
  const values = eig.realEigenvalues.map((v) => Math.max(v, 0));
  const vectors = eig.eigenvectorMatrix;
  const fixed = zeros(n);
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) {
      let sum = 0;
      for (let k = 0; k < n; k += 1) sum += vectors.get(i, k) * values[k]! * vectors.get(j, k);
      fixed[i]![j] = sum;
      fixed[j]![i] = sum;
    }
  }
  return { matrix: fixed, repaired: true };
}
