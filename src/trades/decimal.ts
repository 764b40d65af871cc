/**
 * The sign of an exact decimal written as DecimalScalar accepts it ("-0.50", "12", "0.000"), read
 * from its digits: no float ever sees the amount.
 */
export function decimalSign(value: string): -1 | 0 | 1 {
  if (/^-?[0.]*$/.test(value)) return 0;
  return value.startsWith('-') ? -1 : 1;
}
