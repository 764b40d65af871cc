/**
 * Pearson correlations of equally long series, as a square matrix in the order given: the sample
 * covariance over the product of the sample standard deviations (n − 1 cancels), computed from
 * deviations from the mean. Null where a series does not vary; 1 on the diagonal otherwise.
 */
export function correlationMatrix(series: readonly (readonly number[])[]): (number | null)[][] {
  const centred = series.map((values) => {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const deviations = values.map((value) => value - mean);
    const norm = Math.sqrt(deviations.reduce((sum, value) => sum + value * value, 0));
    return { deviations, norm };
  });
  return centred.map((a, i) =>
    centred.map((b, j) => {
      if (a.norm === 0 || b.norm === 0 || !Number.isFinite(a.norm) || !Number.isFinite(b.norm)) return null;
      if (i === j) return 1;
      let products = 0;
      for (let t = 0; t < a.deviations.length; t++) products += a.deviations[t]! * b.deviations[t]!;
      // Rounding may carry |ρ| a hair past 1.
      return Math.max(-1, Math.min(1, products / (a.norm * b.norm)));
    }),
  );
}
