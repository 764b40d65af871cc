const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

/**
 * The p-quantile of the standard normal distribution, to full double precision (z(0.95) =
 * 1.6448536269514722, as scipy's ndtri). Acklam's rational approximation (relative error 1.15e-9)
 * refined by two Halley steps on the CDF's error, which is computed where it keeps its precision:
 * from the series of Φ(x) − ½ near the centre, and from the upper tail
 * Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), a continued fraction evaluated backwards, further
 * out. Works on the upper half, where the tail 1 − p is exact in binary for p in [0.25, 1).
 */
export function normalQuantile(p: number): number {
  // A portfolio asks for the same quantile once per holding.
  if (p === last.p) return last.z;
  const z = quantile(p);
  last = { p, z };
  return z;
}

let last = { p: NaN, z: NaN };

function quantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must lie strictly between 0 and 1, got ${p}`);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const tail = upper ? 1 - p : p;
  let x: number;
  if (tail < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(tail));
    x =
      -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = 0.5 - tail;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  for (let step = 0; step < 2; step++) {
    let excess: number; // Φ(x) − the target, for the upper half
    if (x < 1) {
      // Φ(x) − ½ = φ(x) · Σ x^(2n+1) / (1·3·…·(2n+1)): all terms positive, no cancellation.
      let term = x;
      let total = x;
      for (let n = 1; n <= 100; n++) {
        term = (term * x * x) / (2 * n + 1);
        if (term <= total * 1e-17) break;
        total += term;
      }
      excess = (Math.exp((-x * x) / 2) / SQRT_TWO_PI) * total - (0.5 - tail);
    } else {
      let fraction = x;
      for (let k = 600; k >= 1; k--) fraction = x + k / fraction;
      excess = tail - Math.exp((-x * x) / 2) / SQRT_TWO_PI / fraction;
    }
    const u = excess * SQRT_TWO_PI * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return upper ? x : -x;
}
