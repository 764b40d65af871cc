import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/infra/migrate.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/server.js';
import { seedBook, useGraphServer } from './book.js';

/*
 * asset_360_cube, assetAggregates' base grain, against asset_360 itself: after a build, after a
 * write straight into asset_360, and on a database migrated after its last build.
 */

const db = useTestDatabase();
const { url } = useGraphServer(db, (sql) => seedBook(sql, { assets: 50, days: 40, portfolios: 3, seed: 21 }));

const MEASURES = [
  'market_value_base',
  'position_quantity',
  'avg_daily_return',
  'total_return',
  'avg_volatility',
  'value_at_risk',
  'beta',
  'sharpe_ratio',
  'active_violations',
  'total_transactions',
];

/** The cube's totals by sector next to the same totals of asset_360's rows, as text: numeric sums exact to the digit. */
async function bySector() {
  const totals = (from: string, value: (measure: string, statistic: string) => string, rows: string) =>
    db.sql.unsafe(
      `select sector, ${rows}::text as rows, ${MEASURES.flatMap((measure) =>
        ['sum', 'count', 'min', 'max'].map((statistic) => `${value(measure, statistic)}::text as ${measure}_${statistic}`),
      ).join(', ')}
      from ${from} group by sector order by sector nulls first`,
    );
  const cube = await totals(
    'asset_360_cube',
    (measure, statistic) => (statistic === 'min' || statistic === 'max' ? `${statistic}` : 'sum') + `(${measure}_${statistic})`,
    'sum(asset_count)',
  );
  const assets = await totals('asset_360', (measure, statistic) => `${statistic}(${measure})`, 'count(*)');
  return { cube: [...cube], assets: [...assets] };
}

function expectSame({ cube, assets }: { cube: Record<string, unknown>[]; assets: Record<string, unknown>[] }) {
  expect(cube.length).toBe(assets.length);
  cube.forEach((row, index) => {
    const other = assets[index]!;
    for (const [column, value] of Object.entries(row)) {
      // Float sums add up in another order: equal to the last digits, not to the bit.
      if (/^(avg_daily_return|total_return|avg_volatility|value_at_risk|beta|sharpe_ratio)_sum$/.test(column) && value !== null) {
        expect(Math.abs(Number(value) - Number(other[column])), column).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(value))));
      } else {
        expect(value, `${String(row.sector)} ${column}`).toBe(other[column]);
      }
    }
  });
}

describe('asset_360_cube', () => {
  it('holds the totals of asset_360 after a build', async () => {
    const totals = await bySector();
    expect(totals.assets.length).toBeGreaterThan(1);
    expectSame(totals);
  });

  it('follows a write straight into asset_360, and assetAggregates answers from it', async () => {
    await db.sql`update asset_360 set market_value_base = market_value_base + 1000.005, active_violations = active_violations + 2
      where asset_id in (select asset_id from asset_360 order by asset_id limit 3)`;
    expectSame(await bySector());
    const answer = await graphql(
      url(),
      `
        {
          assetAggregates(groupBy: [SECTOR], first: 1000) {
            keys {
              value
            }
            count
            marketValueBase {
              sum
            }
            activeViolations {
              sum
              max
            }
          }
        }
      `,
    );
    expect(answer.errors).toBeUndefined();
    const plain = await db.sql`
      select sector, count(*)::int as count, sum(market_value_base)::text as value, sum(active_violations)::int as violations,
        max(active_violations) as most
      from asset_360 group by sector`;
    const groups = answer.data!.assetAggregates as Array<{
      keys: Array<{ value: string | null }>;
      count: number;
      marketValueBase: { sum: string };
      activeViolations: { sum: number; max: number };
    }>;
    expect(groups.length).toBe(plain.length);
    for (const row of plain) {
      const group = groups.find((candidate) => candidate.keys[0]!.value === row.sector)!;
      expect([group.count, group.marketValueBase.sum, group.activeViolations.sum, group.activeViolations.max]).toEqual([
        row.count,
        row.value,
        row.violations,
        row.most,
      ]);
    }
  });

  it('is filled by the migrations on a database built before it existed', async () => {
    await db.sql`delete from asset_360_cube`;
    await migrate(db.sql);
    expectSame(await bySector());
  });
});
