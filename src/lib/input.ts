/**
 * What PostgreSQL can store, checked before any SQL runs, so that a value it would refuse is the
 * caller's BAD_USER_INPUT (or an import's row error) and never a server fault.
 */

/**
 * Calendar days of four-digit years. PostgreSQL's date reaches from 4713 BC to 5874897 AD but has
 * no year 0, which YYYY-MM-DD can write (0000-01-01); 9999-12-31 stays in, as the open end
 * reporting tools send.
 */
export const MIN_DATE = '0001-01-01';
export const MAX_DATE = '9999-12-31';
export const DATE_RANGE = `a day from ${MIN_DATE} to ${MAX_DATE}, written YYYY-MM-DD`;

/** Free text of an argument, unless the argument says otherwise: a search, a name, a code. */
export const MAX_TEXT_LENGTH = 200;

/** True for a real calendar day in [MIN_DATE, MAX_DATE] written as YYYY-MM-DD (2025-02-30 is not one). */
export function isStorableDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < MIN_DATE) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL's text could not hold the string, or undefined. It refuses NUL; a lone UTF-16
 * surrogate has no UTF-8 form and would be stored as U+FFFD, a silent change of the value.
 */
export function textProblem(value: string, maxLength: number): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone surrogate)';
  if (value.length > maxLength) return `must be at most ${maxLength} characters long`;
  return undefined;
}

/**
 * Decimals as the graph takes them: bounded so that numeric columns, and products such as
 * quantity × price, stay far inside what PostgreSQL's numeric holds (131072 digits before the point).
 */
export const MAX_INTEGER_DIGITS = 30;
export const MAX_FRACTION_DIGITS = 30;
const DECIMAL = new RegExp(`^-?(0|[1-9]\\d{0,${MAX_INTEGER_DIGITS - 1}})(\\.\\d{1,${MAX_FRACTION_DIGITS}})?$`);

export function isStorableDecimal(text: string): boolean {
  return DECIMAL.test(text);
}
