/** Square and rectangular matrices as rows of Float64Array: small helpers the risk models share. */
export type Matrix = Float64Array[];

export function zeros(rows: number, columns = rows): Matrix {
  return Array.from({ length: rows }, () => new Float64Array(columns));
}

export function scale(m: Matrix, factor: number): Matrix {
  return m.map((row) => row.map((v) => v * factor));
}

/** aᵀb for two columns. */
export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** Sᵥ = Σ w_i S_ij w_j. */
export function quadForm(m: Matrix, w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < m.length; i += 1) {
    const row = m[i]!;
    let inner = 0;
    for (let j = 0; j < row.length; j += 1) inner += row[j]! * w[j]!;
    sum += w[i]! * inner;
  }
  return sum;
}

/**
 * The Gram matrix of columns (each a Float64Array over the same rows), divided by `divisor`:
 * G_ij = Σ_t a_i[t]·b_j[t] / divisor. `b` defaults to `a`, and then only half is computed.
 */
export function gram(a: readonly Float64Array[], divisor: number, b: readonly Float64Array[] = a): Matrix {
  const symmetric = a === b;
  const out = zeros(a.length, b.length);
  for (let i = 0; i < a.length; i += 1) {
    for (let j = symmetric ? i : 0; j < b.length; j += 1) {
      const v = dot(a[i]!, b[j]!) / divisor;
      out[i]![j] = v;
      if (symmetric) out[j]![i] = v;
    }
  }
  return out;
}

export function frobeniusSquared(a: Matrix, b?: Matrix): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < a[i]!.length; j += 1) {
      const d = a[i]![j]! - (b ? b[i]![j]! : 0);
      sum += d * d;
    }
  }
  return sum;
}
