import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/infra/db.js';
import { BuildFailedError, buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { useTestDatabase } from '../support/database.js';
import { insertAssets, insertPrices } from './fixtures.js';

const db = useTestDatabase();
const AS_OF = '2024-06-30';

async function published(): Promise<{ rows: number; builds: string[] }> {
  const [row] = await db.sql<[{ rows: number; builds: string[] }]>`
    select count(*)::int as rows, coalesce(array_agg(distinct build_id::text), '{}') as builds from asset_360`;
  return row!;
}

async function buildRow(buildId: string) {
  const [row] =
    await db.sql`select status, row_count, error, finished_at is not null as finished from asset_360_builds where build_id = ${buildId}`;
  return row;
}

/** A trigger that makes the publication of the next builds sleep, so that a test can act mid-build. */
async function slowPublication(seconds: number): Promise<void> {
  await db.sql.unsafe(`
    create or replace function test_slow_publication() returns trigger language plpgsql as $$
    begin perform pg_sleep(${seconds}); return null; end $$;
    create or replace trigger test_slow_publication after insert on asset_360
      for each statement execute function test_slow_publication();`);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = await probe();
    if (found !== undefined) return found;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  await insertAssets(db.sql, [{ asset_id: 1 }, { asset_id: 2 }, { asset_id: 3 }]);
  await insertPrices(db.sql, [[1, '2024-06-28', '10']]);
});

afterEach(async () => {
  await db.sql`drop trigger if exists test_failure on asset_360`;
  await db.sql`drop trigger if exists test_slow_publication on asset_360`;
});

describe('a build that fails', () => {
  it('keeps the previous asset_360, records the error, and reports it to the caller', async () => {
    const previous = await buildAsset360(db.sql, AS_OF);
    expect(previous).toMatchObject({ status: 'succeeded', rowCount: 3, error: null, asOf: AS_OF });

    await db.sql.unsafe(`
      create or replace function test_failure() returns trigger language plpgsql as $$
      begin raise exception 'forced failure' using detail = 'the test trigger refuses every row'; end $$;
      create trigger test_failure before insert or update on asset_360 for each row execute function test_failure();`);
    const error = await buildAsset360(db.sql, AS_OF).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BuildFailedError);
    const failure = error as BuildFailedError;
    expect(failure.code).toBe('BUILD_FAILED');
    expect(failure.sqlState).toBe('P0001');
    expect(failure.build).toMatchObject({ status: 'failed', rowCount: null, error: 'P0001: forced failure', asOf: AS_OF });
    expect(failure.build.finishedAt).toBeInstanceOf(Date);
    expect(failure.message).toContain('forced failure');
    expect(await buildRow(failure.build.buildId)).toEqual({
      status: 'failed',
      row_count: null,
      error: 'P0001: forced failure',
      finished: true,
    });

    expect(await published()).toEqual({ rows: 3, builds: [previous.buildId] });
    const [stage] = await db.sql`select count(*)::int as tables from pg_class where relname = 'asset_360_stage'`;
    expect(stage).toEqual({ tables: 0 });
  });

  it('raises from a plain CALL too, after committing its failed row', async () => {
    await db.sql`create trigger test_failure before insert or update on asset_360 for each row execute function test_failure()`;
    const error = await db.sql`call create_asset_360(${AS_OF}::date)`.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'P0001', detail: 'the test trigger refuses every row' });
    const buildId = /^asset_360 build (\d+) failed: forced failure$/.exec((error as Error).message)?.[1];
    expect(buildId).toBeDefined();
    expect(await buildRow(buildId!)).toMatchObject({ status: 'failed', error: 'P0001: forced failure' });
  });

  it('records a canceled build as failed and releases the build lock', async () => {
    await slowPublication(5);
    const session = await db.sql.reserve();
    try {
      await session`set statement_timeout = '300ms'`;
      const error = await session`call create_asset_360(${AS_OF}::date)`.catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: '57014' });
    } finally {
      await session`reset statement_timeout`;
      session.release();
    }
    const [last] = await db.sql`select status, error from asset_360_builds order by build_id desc limit 1`;
    expect(last).toEqual({ status: 'failed', error: '57014: canceling statement due to statement timeout' });

    await db.sql`drop trigger test_slow_publication on asset_360`;
    expect((await buildAsset360(db.sql, AS_OF)).status).toBe('succeeded');
  });

  it('refuses to run inside a transaction block, changing nothing', async () => {
    const before = await published();
    const error = await db.sql.begin((tx) => tx`call create_asset_360(${AS_OF}::date)`).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/invalid transaction termination/);
    expect(await published()).toEqual(before);
  });
});

describe('a build whose session ended', () => {
  it('is marked failed by the next build, while a running row of a live session is left alone', async () => {
    const [gone] = await db.sql<[{ build_id: string }]>`
      insert into asset_360_builds (as_of, backend_pid, backend_start)
      values (${AS_OF}, 2147483000, now() - interval '1 hour') returning build_id`;
    const live = await db.sql.reserve();
    try {
      const [alive] = await live<[{ build_id: string }]>`
        insert into asset_360_builds (as_of, backend_start)
        select ${AS_OF}, backend_start from pg_stat_activity where pid = pg_backend_pid() returning build_id`;

      await buildAsset360(db.sql, AS_OF);
      expect(await buildRow(gone!.build_id)).toEqual({
        status: 'failed',
        row_count: null,
        error: 'abandoned: the session running it ended',
        finished: true,
      });
      expect(await buildRow(alive!.build_id)).toMatchObject({ status: 'running', finished: false });
      await db.sql`update asset_360_builds set status = 'failed', finished_at = now(), error = 'test' where build_id = ${alive!.build_id}`;
    } finally {
      live.release();
    }
  });

  it('when its backend is killed mid-build, leaves asset_360 as it was and is marked failed by the next build', async () => {
    const before = await published();
    await slowPublication(30);
    const doomed = createSql(db.url, { max: 1 });
    try {
      const call = doomed`call create_asset_360(${AS_OF}::date)`.catch((caught: unknown) => caught);
      const victim = await waitFor(async () => {
        const [row] = await db.sql<[{ build_id: string; backend_pid: number }?]>`
          select b.build_id, b.backend_pid from asset_360_builds b join pg_stat_activity a on a.pid = b.backend_pid
          where b.status = 'running' and a.wait_event = 'PgSleep'`;
        return row;
      }, 'the build to reach its publication');
      await db.sql`select pg_terminate_backend(${victim.backend_pid})`;
      expect(await call).toBeInstanceOf(Error);
      await waitFor(async () => {
        const [row] = await db.sql`select 1 from pg_stat_activity where pid = ${victim.backend_pid}`;
        return row ? undefined : true;
      }, 'the backend to exit');

      expect(await buildRow(victim.build_id)).toMatchObject({ status: 'running' });
      expect(await published()).toEqual(before);
      await db.sql`drop trigger test_slow_publication on asset_360`;
      const next = await buildAsset360(db.sql, AS_OF);
      expect(await buildRow(victim.build_id)).toMatchObject({ status: 'failed', error: 'abandoned: the session running it ended' });
      expect(await published()).toEqual({ rows: 3, builds: [next.buildId] });
    } finally {
      await doomed.end({ timeout: 1 });
    }
  });
});

describe('buildAsset360 whose session is killed', () => {
  it('rejects instead of hanging, and the pool stays usable', async () => {
    await slowPublication(30);
    const pool = createSql(db.url, { max: 2 });
    try {
      const build = buildAsset360(pool, AS_OF).catch((caught: unknown) => caught);
      const victim = await waitFor(async () => {
        const [row] = await db.sql<[{ backend_pid: number }?]>`
          select b.backend_pid from asset_360_builds b join pg_stat_activity a on a.pid = b.backend_pid
          where b.status = 'running' and a.wait_event = 'PgSleep'`;
        return row;
      }, 'the build to reach its publication');
      await db.sql`select pg_terminate_backend(${victim.backend_pid})`;
      expect(await build).toBeInstanceOf(Error);
      await db.sql`drop trigger test_slow_publication on asset_360`;
      expect(await buildAsset360(pool, AS_OF)).toMatchObject({ status: 'succeeded' });
    } finally {
      await pool.end({ timeout: 1 });
    }
  });
});

describe('asset_360_builds', () => {
  it('gets one row per CALL, failed ones included', async () => {
    const [{ count: before }] = await db.sql<[{ count: number }]>`select count(*)::int as count from asset_360_builds`;
    await buildAsset360(db.sql, AS_OF);
    await buildAsset360(db.sql);
    await db.sql`call create_asset_360()`;
    await db.sql`create trigger test_failure before insert or update on asset_360 for each row execute function test_failure()`;
    await expect(buildAsset360(db.sql, AS_OF)).rejects.toBeInstanceOf(BuildFailedError);
    await expect(db.sql`call create_asset_360('2024-01-01')`).rejects.toThrow(/forced failure/);
    const rows = await db.sql`
      select status, as_of = current_date as today, started_at <= locked_at and locked_at <= finished_at as ordered
      from asset_360_builds order by build_id offset ${before}`;
    expect(rows).toEqual([
      { status: 'succeeded', today: false, ordered: true },
      { status: 'succeeded', today: true, ordered: true },
      { status: 'succeeded', today: true, ordered: true },
      { status: 'failed', today: false, ordered: true },
      { status: 'failed', today: false, ordered: true },
    ]);
  });
});
