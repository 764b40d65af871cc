/**
 * The sign of an exact decimal written as DecimalScalar accepts it ("-0.50", "12", "0.000"), read
 * from its digits: no float ever sees the amount.
 */
export function decimalSign(value: string): -1 | 0 | 1 {
  if (/^-?[0.]*$/.test(value)) return 0;
  return value.startsWith('-') ? -1 : 1;
}

/** Writes an integer count of 10^-decimals units as an exact decimal string: (12345, 2) -> '123.45'. */
export function formatScaled(units: number | bigint, decimals: number): string {
  if (typeof units === 'bigint') {
    const negative = units < 0n;
    const digits = String(negative ? -units : units).padStart(decimals + 1, '0');
    const whole = digits.slice(0, digits.length - decimals);
    return `${negative ? '-' : ''}${decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`}`;
  }
  if (!Number.isSafeInteger(units)) throw new RangeError(`${units} is not a safe integer`);
  if (decimals === 0) return String(units);
  // The hot path (millions of prices): integer arithmetic is exact below 2^53, and adding the scale pads the fraction.
  const scale = 10 ** decimals;
  const magnitude = Math.abs(units);
  const fraction = magnitude % scale;
  return `${units < 0 ? '-' : ''}${(magnitude - fraction) / scale}.${String(fraction + scale).slice(1)}`;
}
