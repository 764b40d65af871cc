import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, PROCEDURES_DIR, MigrationError, migrate, readMigrations } from '../../src/infra/migrate.js';
import { createTestDatabase, useTestDatabase } from '../support/database.js';

const db = useTestDatabase();

describe('migrate', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function copyOfMigrations(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'asset360-migrations-'));
    dirs.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  }

  it('has applied every migration to a fresh database and records each with its checksum', async () => {
    const files = await readMigrations();
    const rows = await db.sql<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by id`;
    expect(rows).toEqual(files.map((file) => ({ name: file.name, checksum: file.checksum })));
  });

  it('is a no-op when run again', async () => {
    const before = await db.sql`select id, applied_at from schema_migrations order by id`;
    const result = await migrate(db.sql);
    expect(result.applied).toEqual([]);
    expect(await db.sql`select id, applied_at from schema_migrations order by id`).toEqual(before);
  });

  it('applies a new migration once, in order', async () => {
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, '9000_extra_table.sql'), 'create table extra_table (id int primary key);');
    expect((await migrate(db.sql, { migrationsDir: dir })).applied).toEqual(['9000_extra_table.sql']);
    expect((await migrate(db.sql, { migrationsDir: dir })).applied).toEqual([]);
    await db.sql`select * from extra_table`;
  });

  it('rolls back a failing migration entirely and records nothing', async () => {
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, '9000_extra_table.sql'), 'create table extra_table (id int primary key);');
    await writeFile(path.join(dir, '9001_half_broken.sql'), 'create table half_written (id int); select 1/0;');
    await expect(migrate(db.sql, { migrationsDir: dir })).rejects.toThrow(/9001_half_broken.sql failed: division by zero/);
    const [table] = await db.sql`select to_regclass('half_written') as oid`;
    expect(table!.oid).toBeNull();
    expect(await db.sql`select 1 from schema_migrations where id = 9001`).toHaveLength(0);
  });

  it('refuses an applied migration that was edited, naming it', async () => {
    const dir = await copyOfMigrations();
    await appendFile(path.join(dir, '0001_source_tables.sql'), '\n-- an edit\n');
    const error = await migrate(db.sql, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/0001_source_tables\.sql was edited after it was applied/);
  });

  it('runs concurrent migrators one at a time', async () => {
    const own = await createTestDatabase();
    try {
      const dir = await copyOfMigrations();
      await writeFile(path.join(dir, '9100_concurrent.sql'), 'create table concurrent_table (id int);');
      const results = await Promise.all([1, 2, 3].map(() => migrate(own.sql, { migrationsDir: dir, proceduresDir: PROCEDURES_DIR })));
      expect(results.flatMap((result) => result.applied)).toEqual(['9100_concurrent.sql']);
    } finally {
      await own.drop();
    }
  });

  it('is what npm run migrate runs, on DATABASE_URL', async () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const own = await createTestDatabase();
    try {
      const done = run({ DATABASE_URL: own.url });
      expect(done.stderr).toBe('');
      expect(done.status).toBe(0);
      expect(done.stdout).toMatch(/no pending migrations; procedures (.*, )?create_asset_360\.sql.* re-created/);
    } finally {
      await own.drop();
    }
    const missing = run({});
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('migrate: DATABASE_URL is not set: migrate needs the database to migrate');
  });
});
