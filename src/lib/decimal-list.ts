const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** 10^k for k ≤ 22: exact doubles. */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The numbers of a comma-separated list of decimals ("12.5,-3,0.0001"), each the double nearest to
 * its decimal value, as Number() and strtod give it (so a numeric's text read here equals
 * PostgreSQL's cast of it to float8). In one pass, without a string per number: digits · 10^−k is
 * one correctly rounded division when the digits and 10^k are exact doubles (Clinger's fast path);
 * any other number (more digits, an exponent, NaN) is read by Number(). An empty text is an empty list.
 */
export function parseDecimalList(text: string): Float64Array {
  const length = text.length;
  if (length === 0) return new Float64Array(0);
  let count = 1;
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) count++;
  const out = new Float64Array(count);
  let n = 0;
  let start = 0;
  let digits = 0;
  let decimals = -1;
  let negative = false;
  let seen = false;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? text.charCodeAt(i) : COMMA;
    if (code >= ZERO && code <= NINE) {
      digits = digits * 10 + (code - ZERO);
      seen = true;
      if (decimals >= 0) decimals++;
    } else if (code === COMMA) {
      if (seen && digits <= Number.MAX_SAFE_INTEGER && decimals <= 22) {
        const value = decimals > 0 ? digits / POWERS[decimals]! : digits;
        out[n++] = negative ? -value : value;
      } else {
        out[n++] = Number(text.slice(start, i));
      }
      start = i + 1;
      digits = 0;
      decimals = -1;
      negative = false;
      seen = false;
    } else if (code === DOT && decimals < 0) decimals = 0;
    else if (code === MINUS && i === start) negative = true;
    // Anything else (an exponent, NaN): Number() reads it.
    else digits = Infinity;
  }
  return out;
}
