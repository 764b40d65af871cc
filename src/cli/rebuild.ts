/**
 * npm run rebuild -- [--as-of YYYY-MM-DD]
 *
 * Rebuilds and publishes asset_360 (as of the database's current date by default) and prints the build.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createSql } from '../infra/db.js';
import { isIsoDate } from '../lib/dates.js';
import { BuildFailedError, buildAsset360, type BuildResult } from '../jobs/build-asset-360.js';

function describe(build: BuildResult): string {
  const waited = build.waitedSeconds >= 0.01 ? ` (waited ${build.waitedSeconds.toFixed(2)} s for another build)` : '';
  const outcome = build.status === 'succeeded' ? `${build.rowCount ?? 0} rows` : (build.error ?? 'no error recorded');
  return `build ${build.buildId} as of ${build.asOf} ${build.status} in ${build.seconds.toFixed(2)} s${waited}: ${outcome}`;
}

async function main(): Promise<number> {
  let asOf: string | undefined;
  let databaseUrl: string | undefined;
  try {
    const { values } = parseArgs({ options: { 'as-of': { type: 'string' } }, strict: true, allowPositionals: false });
    asOf = values['as-of'];
    if (asOf !== undefined && !isIsoDate(asOf)) throw new Error(`--as-of must be a date as YYYY-MM-DD (got ${JSON.stringify(asOf)})`);
    databaseUrl = loadConfig(process.env).databaseUrl;
    if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: rebuild needs the database to build in');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }

  const sql = createSql(databaseUrl, { max: 1, onnotice: (notice) => console.error(notice.message) });
  try {
    console.log(describe(await buildAsset360(sql, asOf)));
    return 0;
  } catch (error) {
    console.error(error instanceof BuildFailedError ? describe(error.build) : (error as Error).message);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
