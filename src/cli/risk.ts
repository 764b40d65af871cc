/**
 * npm run risk -- [--as-of YYYY-MM-DD]
 *
 * Runs the risk engine: writes risk_metrics for every asset as of the date (the database's current
 * date by default), replacing that date's rows, and prints what it wrote. A build after it carries
 * the new figures into asset_360.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createSql } from '../infra/db.js';
import { isIsoDate, runRiskEngine } from '../risk/engine.js';

async function main(): Promise<number> {
  let asOf: string | undefined;
  let databaseUrl: string | undefined;
  try {
    const { values } = parseArgs({ options: { 'as-of': { type: 'string' } }, strict: true, allowPositionals: false });
    asOf = values['as-of'];
    if (asOf !== undefined && !isIsoDate(asOf)) throw new Error(`--as-of must be a date as YYYY-MM-DD (got ${JSON.stringify(asOf)})`);
    databaseUrl = loadConfig(process.env).databaseUrl;
    if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: the risk engine needs the database it reads and writes');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const sql = createSql(databaseUrl, { max: 1 });
  try {
    const day = asOf ?? (await sql<[{ today: string }]>`select current_date::text as today`)[0].today;
    const run = await runRiskEngine(sql, [day]);
    console.log(
      `risk_metrics as of ${day}: ${run.rows} assets written, ${run.removed} removed, in ${run.seconds.toFixed(2)} s ` +
        `(window ${run.window}, benchmark ${run.benchmarkId ?? 'none'}, risk-free ${run.riskFreeRate})`,
    );
    return 0;
  } catch (error) {
    console.error(`risk engine failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
