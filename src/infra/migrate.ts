import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';
import type { Sql } from './db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MIGRATIONS_DIR = path.join(root, 'db');
export const PROCEDURES_DIR = path.join(root, 'procedures');

/** Any fixed bigint works; this one spells "asset360" in ASCII. */
const MIGRATION_LOCK = 0x6173736574333630n;

/** Also quiets the "already exists, skipping" notices that idempotent DDL raises on every start. */
async function lock(tx: postgres.TransactionSql): Promise<void> {
  await tx`set local client_min_messages = warning`;
  await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface SqlFile {
  id: number;
  name: string;
  text: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  procedures: string[];
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<SqlFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const files: SqlFile[] = [];
  for (const name of names) {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match) throw new MigrationError(`${name}: migration files are named NNNN_snake_case.sql`);
    const id = Number(match[1]);
    if (files.some((file) => file.id === id)) throw new MigrationError(`${name}: number ${match[1]} is used twice`);
    files.push(await sqlFile(dir, name, id));
  }
  return files;
}

export async function readProcedures(dir = PROCEDURES_DIR): Promise<SqlFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(names.map((name, index) => sqlFile(dir, name, index)));
}

async function sqlFile(dir: string, name: string, id: number): Promise<SqlFile> {
  const text = await readFile(path.join(dir, name), 'utf8');
  return { id, name, text, checksum: createHash('sha256').update(text).digest('hex') };
}

/**
 * Applies each pending migration in its own transaction, then re-creates every procedure.
 * Every transaction takes the same advisory lock, so concurrent migrators queue instead of racing.
 */
export async function migrate(sql: Sql, { migrationsDir = MIGRATIONS_DIR, proceduresDir = PROCEDURES_DIR } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(migrationsDir);
  const procedures = await readProcedures(proceduresDir);
  const applied: string[] = [];

  await sql.begin(async (tx) => {
    await lock(tx);
    await tx`
      create table if not exists schema_migrations (
        id integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const recorded = await tx<{ id: number; name: string; checksum: string }[]>`
      select id, name, checksum from schema_migrations order by id`;
    for (const row of recorded) {
      const file = migrations.find((migration) => migration.id === row.id);
      if (!file) {
        throw new MigrationError(
          `migration ${row.name} is applied to this database but missing from ${migrationsDir}: the database is ahead of this code`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `migration ${file.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)} became ${file.checksum.slice(0, 12)}); migrations are forward-only, so add a new one instead`,
        );
      }
    }
  });

  for (const file of migrations) {
    await sql.begin(async (tx) => {
      await lock(tx);
      const [done] = await tx`select 1 from schema_migrations where id = ${file.id}`;
      if (done) return;
      try {
        await tx.unsafe(file.text);
      } catch (error) {
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`);
      }
      await tx`insert into schema_migrations (id, name, checksum) values (${file.id}, ${file.name}, ${file.checksum})`;
      applied.push(file.name);
    });
  }

  await sql.begin(async (tx) => {
    await lock(tx);
    for (const file of procedures) {
      try {
        await tx.unsafe(file.text);
      } catch (error) {
        throw new MigrationError(`procedure ${file.name} failed to install: ${(error as Error).message}`);
      }
    }
  });

  return { applied, procedures: procedures.map((file) => file.name) };
}
