// How the page writes numbers. Pure functions: the browser tests format the graph's answers with
// these same functions and compare the text. Decimals arrive as strings and are only displayed.

const DASH = '—';
const missing = (value) => value === null || value === undefined || value === '';

const amount0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const amount2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const quantity = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedPercent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});

/** A large amount (market values, totals): whole units with grouping. */
export function money(value) {
  return missing(value) ? DASH : amount0.format(Number(value));
}

/** A price or a per-unit amount: two decimals. */
export function price(value) {
  return missing(value) ? DASH : amount2.format(Number(value));
}

/** A signed amount (P&L): whole units, with a sign. */
export function pnl(value) {
  if (missing(value)) return DASH;
  const number = Number(value);
  return `${number > 0 ? '+' : ''}${amount0.format(number)}`;
}

export function count(value) {
  return missing(value) ? DASH : integer.format(Number(value));
}

export function units(value) {
  return missing(value) ? DASH : quantity.format(Number(value));
}

/** A fraction as a percentage: 0.1234 → 12.34%. */
export function fraction(value) {
  return missing(value) ? DASH : percent.format(Number(value));
}

/** A return (a fraction), with its sign: 0.1234 → +12.34%. */
export function change(value) {
  return missing(value) ? DASH : signedPercent.format(Number(value));
}

/** A value already in percent (the analytics' `percentage`): 12.345 → 12.35%. */
export function share(value) {
  return missing(value) ? DASH : percent.format(Number(value) / 100);
}

/** A plain ratio (beta, Sharpe): two decimals. */
export function number(value) {
  return missing(value) ? DASH : ratio.format(Number(value));
}

export function text(value) {
  return missing(value) ? DASH : String(value);
}

/** How long ago an instant was, coarsely: "just now", "5 min ago", "3 h ago", "2 days ago". */
export function age(instant, now = Date.now()) {
  if (missing(instant)) return DASH;
  const seconds = Math.max(0, Math.round((now - new Date(instant).getTime()) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A Date scalar's month, "Jun 2025", read as UTC so that no time zone shifts it. */
export function month(date) {
  if (missing(date)) return DASH;
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function dateTime(instant) {
  if (missing(instant)) return DASH;
  return new Date(instant).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
