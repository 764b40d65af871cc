/** Dates as days since 1970-01-01 (UTC) and as 'YYYY-MM-DD' strings; never through local time. */

const MS_PER_DAY = 86_400_000;

export function epochDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY;
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** True for a real calendar date written as YYYY-MM-DD (so 2025-02-30 is rejected). */
export function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && isoDate(epochDay(text)) === text;
}
