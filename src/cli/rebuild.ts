/**
 * npm run rebuild -- [--as-of YYYY-MM-DD]
 *
 * Rebuilds and publishes asset_360 (as of the database's current date by default) and prints the build.
 */
import { systemActor } from '../audit/actor.js';
import { createSql } from '../infra/db.js';
import { BuildFailedError, buildAsset360, type BuildResult } from '../jobs/build-asset-360.js';
import { asOfOption, databaseUrl, environment, parseCommandLine, runCommand } from './command.js';

function describe(build: BuildResult): string {
  const waited = build.waitedSeconds >= 0.01 ? ` (waited ${build.waitedSeconds.toFixed(2)} s for another build)` : '';
  const outcome = build.status === 'succeeded' ? `${build.rowCount ?? 0} rows` : (build.error ?? 'no error recorded');
  return `build ${build.buildId} as of ${build.asOf} ${build.status} in ${build.seconds.toFixed(2)} s${waited}: ${outcome}`;
}

await runCommand({ name: 'rebuild', usage: 'usage: npm run rebuild -- [--as-of YYYY-MM-DD]' }, async () => {
  const { values } = parseCommandLine({ options: { 'as-of': { type: 'string' } } });
  const asOf = asOfOption(values['as-of']);
  const url = databaseUrl(environment(), 'rebuild needs the database to build in');
  const sql = createSql(url, { max: 1, onnotice: (notice) => console.error(notice.message) });
  try {
    console.log(describe(await buildAsset360(sql, asOf, { actor: systemActor('rebuild-cli') })));
    return 0;
  } catch (error) {
    console.error(error instanceof BuildFailedError ? describe(error.build) : (error as Error).message);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
});
