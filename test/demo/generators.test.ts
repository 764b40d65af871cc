import { describe, expect, it } from 'vitest';
import { planAssets } from '../../src/demo/assets.js';
import { BusinessCalendar } from '../../src/demo/calendar.js';
import { isIsoDate } from '../../src/lib/dates.js';
import { formatScaled } from '../../src/lib/decimal.js';
import { isinCheckDigit, isValidIsin } from '../../src/demo/isin.js';
import { Random } from '../../src/demo/random.js';
import { apportion } from '../../src/demo/trading.js';

describe('Random', () => {
  it('gives the same stream for the same keys and different streams for different keys', () => {
    const draw = (random: Random): number[] => Array.from({ length: 5 }, () => random.next());
    expect(draw(new Random(42, 'close', 7))).toEqual(draw(new Random(42, 'close', 7)));
    expect(draw(new Random(42, 'close', 7))).not.toEqual(draw(new Random(43, 'close', 7)));
    expect(draw(new Random(42, 'close', 7))).not.toEqual(draw(new Random(42, 'close', 8)));
    expect(draw(new Random(42, 'close', 7))).not.toEqual(draw(new Random(42, 'bar', 7)));
  });

  it('draws standard normals', () => {
    const random = new Random(1, 'normal');
    const values = Array.from({ length: 100_000 }, () => random.normal());
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
});

describe('ISIN', () => {
  it('computes the ISO 6166 check digit of real ISINs', () => {
    for (const isin of ['US0378331005', 'DE0007164600', 'GB0002634946', 'AU0000XVGZA3', 'JP3633400001', 'CH0012221716']) {
      expect(isinCheckDigit(isin.slice(0, 11))).toBe(Number(isin[11]));
      expect(isValidIsin(isin)).toBe(true);
    }
    expect(isValidIsin('US0378331006')).toBe(false);
  });

  it('gives every generated asset a valid, unique ISIN', () => {
    const calendar = new BusinessCalendar('2026-11-20', 30);
    const isins = planAssets(5_000, 9, calendar).flatMap((asset) => (asset.isin === null ? [] : [asset.isin]));
    expect(isins.length).toBeGreaterThan(3_000);
    expect(isins.every(isValidIsin)).toBe(true);
    expect(new Set(isins).size).toBe(isins.length);
  });
});

describe('BusinessCalendar', () => {
  it('ends at the last weekday on or before as-of and skips weekends', () => {
    const calendar = new BusinessCalendar('2026-11-22', 7);
    expect(calendar.dates).toEqual(['2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
  });

  it('knows the last business day before each month and year', () => {
    const calendar = new BusinessCalendar('2026-01-05', 5);
    expect(calendar.dates).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-05']);
    expect([...calendar.previousMonthEnd]).toEqual([-1, -1, 1, 1, 1]);
    expect([...calendar.previousYearEnd]).toEqual([-1, -1, 1, 1, 1]);
  });

  it('validates dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-1')).toBe(false);
    expect(isIsoDate('yesterday')).toBe(false);
  });
});

describe('numbers', () => {
  it('formats scaled integers exactly', () => {
    expect(formatScaled(12345, 2)).toBe('123.45');
    expect(formatScaled(5, 4)).toBe('0.0005');
    expect(formatScaled(-5, 4)).toBe('-0.0005');
    expect(formatScaled(1_000_000, 4)).toBe('100.0000');
    expect(formatScaled(123456789012345678901234n, 4)).toBe('12345678901234567890.1234');
    expect(() => formatScaled(0.5, 2)).toThrow(RangeError);
  });

  it('apportions by largest remainder to an exact total', () => {
    expect(apportion([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(apportion([0, 0], 100)).toEqual([0, 0]);
    const parts = apportion([0.3, 7.1, 2.2, 5e6, 1e-9], 1_000_000);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(1_000_000);
  });
});
