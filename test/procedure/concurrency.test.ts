import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { useTestDatabase } from '../support/database.js';
import { insertBook } from './fixtures.js';

const db = useTestDatabase();
const ASSETS = 2000;
const AS_OF = '2024-06-28';

interface Reads {
  reads: number;
  builds: Set<string>;
  problems: string[];
}

/** Reads asset_360 without pause, each read in its own transaction of the given isolation level, until told to stop. */
async function readUntil(sql: Sql, isolation: string, done: () => boolean): Promise<Reads> {
  const result: Reads = { reads: 0, builds: new Set(), problems: [] };
  while (!done()) {
    try {
      const [row] = await sql.begin(
        `isolation level ${isolation}`,
        (tx) => tx<[{ rows: number; builds: number; build: string | null }]>`
        select count(*)::int as rows, count(distinct build_id)::int as builds, min(build_id) as build from asset_360`,
      );
      result.reads++;
      if (row!.rows !== ASSETS || row!.builds !== 1) result.problems.push(`${isolation}: ${row!.rows} rows from ${row!.builds} builds`);
      if (row!.build !== null) result.builds.add(row!.build);
    } catch (error) {
      result.problems.push(`${isolation}: ${(error as Error).message}`);
    }
  }
  return result;
}

beforeAll(async () => {
  await insertBook(db.sql, ASSETS, 60, AS_OF);
  await buildAsset360(db.sql, AS_OF);
});

describe('publication', () => {
  const readers: Sql[] = [];
  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.end({ timeout: 1 })));
  });

  it('shows readers the complete previous or the complete new asset_360, never empty, mixed or failing', async () => {
    let stop = false;
    const levels = ['read committed', 'repeatable read', 'serializable'];
    const loops = levels.map((level) => {
      const reader = createSql(db.url, { max: 1 });
      readers.push(reader);
      return readUntil(reader, level, () => stop);
    });
    // A long repeatable-read reader keeps seeing its snapshot across the builds.
    const long = createSql(db.url, { max: 1 });
    readers.push(long);
    const snapshot = long.begin('isolation level repeatable read', async (tx) => {
      const read = () => tx<[{ rows: number; build: string }]>`select count(*)::int as rows, max(build_id) as build from asset_360`;
      const [first] = await read();
      while (!stop) await tx`select pg_sleep(0.01)`;
      const [last] = await read();
      return { first: first!, last: last! };
    });

    const builds: string[] = [];
    const started = performance.now();
    for (let i = 0; i < 5; i++) builds.push((await buildAsset360(db.sql, AS_OF)).buildId);
    const seconds = (performance.now() - started) / 1000;
    stop = true;
    const results = await Promise.all(loops);

    expect(seconds / 5, 'a build takes long enough for readers to overlap it').toBeGreaterThan(0.02);
    for (const result of results) {
      expect(result.problems).toEqual([]);
      expect(result.reads).toBeGreaterThan(20);
      expect(result.builds.size, 'readers saw the builds switch').toBeGreaterThan(1);
    }
    const { first, last } = await snapshot;
    expect(last).toEqual(first);
    expect(first.rows).toBe(ASSETS);
  });
});

describe('two builds at once', () => {
  it('never overlap: the second waits for the first, and says so', async () => {
    const notices: string[] = [];
    const sql = createSql(db.url, { max: 4, onnotice: (notice) => notices.push(notice.message ?? '') });
    try {
      await db.sql.unsafe(`
        create function test_slow_publication() returns trigger language plpgsql as $$
        begin perform pg_sleep(0.3); return null; end $$;
        create trigger test_slow_publication after insert on asset_360 for each statement execute function test_slow_publication();`);
      const results = await Promise.all([1, 2, 3].map(() => buildAsset360(sql, AS_OF)));
      await db.sql`drop trigger test_slow_publication on asset_360`;

      expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      const ids = results.map((result) => result.buildId);
      const [overlaps] = await db.sql<[{ count: number }]>`
        select count(*)::int as count
        from asset_360_builds a join asset_360_builds b on a.build_id < b.build_id
        where a.build_id = any(${ids}::bigint[]) and b.build_id = any(${ids}::bigint[])
          and tstzrange(a.locked_at, a.finished_at) && tstzrange(b.locked_at, b.finished_at)`;
      expect(overlaps!.count).toBe(0);

      const waited = results.filter((result) => result.waitedSeconds > 0.2);
      expect(waited.length).toBeGreaterThanOrEqual(2);
      const said = notices.flatMap((message) => {
        const match = /^create_asset_360: build (\d+) waited [\d.]+ s for build (\d+) to finish$/.exec(message);
        return match ? [match] : [];
      });
      expect(said.map((match) => match[1]).sort()).toEqual(waited.map((result) => result.buildId).sort());
      for (const match of said) expect(ids).toContain(match[2]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
