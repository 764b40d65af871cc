import { seedDemo } from '../src/demo/seed.js';
import { createSql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';

/** A `--name` flag's value as a positive integer, or `fallback` when the flag is absent. */
export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** The q-quantile (0 to 1) of already sorted values, by the nearest rank below. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function quantile(values: readonly number[], q: number): number {
  return quantileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** The same server as `serverUrl`, another database on it. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the benchmark's own database on the server of `serverUrl` when it is missing. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  const admin = createSql(serverUrl, { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) await admin`create database ${admin(database)}`;
  } finally {
    await admin.end();
  }
  return databaseUrl(serverUrl, database);
}

/**
 * The demo book in its own database (500 assets, two years ending `asOf`), seeded on the first run
 * and reused after, so that runs compare.
 */
export async function demoBook(serverUrl: string, database: string, asOf: string): Promise<string> {
  const url = await ensureDatabase(serverUrl, database);
  const sql = createSql(url, { max: 1 });
  try {
    await migrate(sql);
    const [seeded] = await sql`select 1 from accounts limit 1`;
    if (seeded) {
      console.log(`reusing ${database}`);
      return url;
    }
    console.log(`seeding ${database}`);
    const report = await seedDemo(sql, { assets: 500, days: 504, portfolios: 8, seed: 1, asOf, reset: true }, (line) =>
      console.log(`  ${line}`),
    );
    console.log(`seeded in ${report.seconds.toFixed(1)} s`);
    return url;
  } finally {
    await sql.end();
  }
}
