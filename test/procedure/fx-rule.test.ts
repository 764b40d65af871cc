import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { insertFx } from './fixtures.js';

const db = useTestDatabase();

/** EUR rates with gaps (a weekend, a week); the base currency is USD. */
const RATES: Array<[string, string]> = [
  ['2024-03-01', '1.0800'],
  ['2024-03-04', '1.0850'],
  ['2024-03-05', '1.0900'],
  ['2024-03-12', '1.1000'],
];

beforeAll(async () => {
  await insertFx(
    db.sql,
    RATES.map(([day, rate]): [string, string, string] => ['EUR', day, rate]),
  );
});

/** The rule written out plainly: the latest rate on or before the day, null before the first. */
function expected(day: string): string | null {
  return RATES.filter(([d]) => d <= day).at(-1)?.[1] ?? null;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

describe('the FX rule (procedures/fx_rate_to_base.sql)', () => {
  it('gives every day of a range the latest rate on or before it, null before the first, as the one-day form does', async () => {
    for (const [from, to] of [
      ['2024-02-27', '2024-03-15'],
      ['2024-03-03', '2024-03-06'],
      ['2024-03-13', '2024-03-13'],
    ] as const) {
      const range = await db.sql<{ day: string; rate: string | null }[]>`
        select day::text, rate_to_base::text as rate from fx_rates_to_base('EUR', ${from}::date, ${to}::date) order by day`;
      expect(range.map((row) => row.day)).toEqual(days(from, to));
      for (const row of range) {
        expect(row.rate === null ? null : Number(row.rate), row.day).toBe(expected(row.day) === null ? null : Number(expected(row.day)));
        const [single] = await db.sql<
          [{ rate: string | null }]
        >`select (select rate_to_base::text from fx_rate_to_base('EUR', ${row.day}::date)) as rate`;
        expect(single.rate, row.day).toBe(row.rate);
      }
    }
  });

  it('is exactly 1 for the base currency on every day, and the latest rate as of infinity', async () => {
    const base = await db.sql<
      { rate: string }[]
    >`select rate_to_base::text as rate from fx_rates_to_base('USD', '2024-02-27', '2024-03-15')`;
    expect(base).toHaveLength(18);
    expect(new Set(base.map((row) => row.rate))).toEqual(new Set(['1']));
    const [latest] = await db.sql<[{ eur: string; usd: string }]>`
      select (select rate_to_base::text from fx_rate_to_base('EUR', 'infinity')) as eur,
        (select rate_to_base::text from fx_rate_to_base('USD', 'infinity')) as usd`;
    expect(Number(latest.eur)).toBe(1.1);
    expect(latest.usd).toBe('1');
  });

  it('gives a currency without any rate a null rate on every day', async () => {
    const rows = await db.sql<
      { rate: string | null }[]
    >`select rate_to_base::text as rate from fx_rates_to_base('JPY', '2024-03-01', '2024-03-03')`;
    expect(rows.map((row) => row.rate)).toEqual([null, null, null]);
  });
});
