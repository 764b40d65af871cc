import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql, isReachable } from '../../src/infra/db.js';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { migrate, readMigrations, readProcedures } from '../../src/infra/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE_LOCK = 0x7465737474706cn;

/**
 * One template database per version of the migrations and procedures; every test file clones it,
 * which takes milliseconds instead of re-running the migrations.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let stopEmbedded: (() => Promise<void>) | undefined;

  const probe = createSql(adminUrl, { max: 1 });
  const reachable = await isReachable(probe);
  await probe.end();
  if (!reachable) {
    const dir = await mkdtemp(path.join(tmpdir(), 'asset360-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    adminUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }

  const hash = createHash('sha256');
  for (const file of [...(await readMigrations()), ...(await readProcedures())]) hash.update(file.name).update(file.checksum);
  // Templates are namespaced by checkout, so that test runs of two work trees on one server never
  // drop each other's template as stale.
  const checkout = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8);
  const templateDatabase = `asset360_template_${checkout}_${hash.digest('hex').slice(0, 16)}`;

  const admin = createSql(adminUrl, { max: 1 });
  const conn = await admin.reserve();
  try {
    await conn`select pg_advisory_lock(${TEMPLATE_LOCK.toString()}::bigint)`;
    const [exists] = await conn`select 1 from pg_database where datname = ${templateDatabase}`;
    if (!exists) {
      const building = `${templateDatabase}_building`;
      await conn`drop database if exists ${conn(building)}`;
      await conn`create database ${conn(building)}`;
      const sql = createSql(withDatabase(adminUrl, building), { max: 1 });
      try {
        await migrate(sql);
      } finally {
        await sql.end();
      }
      await conn`alter database ${conn(building)} rename to ${conn(templateDatabase)}`;
      await conn`alter database ${conn(templateDatabase)} with is_template true`;
    }
    const stale = await conn<{ datname: string }[]>`
      select datname from pg_database
      where datname like ${`asset360\\_template\\_${checkout}\\_%`} and datname <> ${templateDatabase}`;
    for (const { datname } of stale) {
      await conn`alter database ${conn(datname)} with is_template false`.catch(() => {});
      await conn`drop database if exists ${conn(datname)}`.catch(() => {});
    }
    await conn`select pg_advisory_unlock(${TEMPLATE_LOCK.toString()}::bigint)`;
  } finally {
    conn.release();
    await admin.end();
  }

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    await stopEmbedded?.();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
