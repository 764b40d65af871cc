import { beforeAll, describe, expect, it } from 'vitest';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { useTestDatabase } from '../support/database.js';
import { insertBook } from './fixtures.js';

const db = useTestDatabase();

beforeAll(async () => {
  await insertBook(db.sql, 300, 10);
});

describe('buildAsset360', () => {
  it('returns the row of the build it ran', async () => {
    const build = await buildAsset360(db.sql, '2024-06-28');
    expect(build).toMatchObject({ asOf: '2024-06-28', status: 'succeeded', rowCount: 300, error: null });
    expect(build.finishedAt!.getTime()).toBeGreaterThanOrEqual(build.lockedAt!.getTime());
    expect(build.lockedAt!.getTime()).toBeGreaterThanOrEqual(build.startedAt.getTime());
    expect(build.seconds).toBeGreaterThan(0);
    expect(build.waitedSeconds).toBeLessThan(build.seconds);
    const [row] = await db.sql`select build_id, as_of, row_count from asset_360_builds order by build_id desc limit 1`;
    expect(row).toEqual({ build_id: build.buildId, as_of: '2024-06-28', row_count: 300 });
  });

  it("builds as of the database's current date by default", async () => {
    const [{ today }] = await db.sql<[{ today: string }]>`select current_date as today`;
    expect((await buildAsset360(db.sql)).asOf).toBe(today);
  });

  it('keeps asset_360 from growing build after build, with or without autovacuum', async () => {
    const sizes: number[] = [];
    for (let i = 0; i < 6; i++) {
      await buildAsset360(db.sql, '2024-06-28');
      const [{ bytes }] = await db.sql<[{ bytes: string }]>`select pg_relation_size('asset_360') as bytes`;
      sizes.push(Number(bytes));
    }
    // Without the vacuum after each build, every build would add a table's worth of dead rows.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2 * Math.min(...sizes));
  });
});
