import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createSql, type Sql } from '../../src/infra/db.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A fresh database with every migration and procedure applied, cloned from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `asset360_test_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin`create database ${admin(name)} template ${admin(inject('templateDatabase'))}`;
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const sql = createSql(url, { max: 10 });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const admin = createSql(adminUrl, { max: 1 });
      try {
        await admin`drop database if exists ${admin(name)} with (force)`;
      } finally {
        await admin.end();
      }
    },
  };
}

/** Registers a fresh database for the enclosing test file (or describe block). */
export function useTestDatabase(): { readonly sql: Sql; readonly url: string; readonly name: string } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const current = (): TestDatabase => {
    if (!db) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
    return db;
  };
  return {
    get sql() {
      return current().sql;
    },
    get url() {
      return current().url;
    },
    get name() {
      return current().name;
    },
  };
}
