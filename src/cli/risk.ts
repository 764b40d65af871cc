/**
 * npm run risk -- [--as-of YYYY-MM-DD]
 *
 * Runs the risk engine: writes risk_metrics for every asset as of the date (the database's current
 * date by default), replacing that date's rows, and prints what it wrote. A build after it carries
 * the new figures into asset_360.
 */
import { createSql } from '../infra/db.js';
import { runRiskEngine } from '../risk/engine.js';
import { asOfOption, databaseUrl, environment, parseCommandLine, runCommand } from './command.js';

await runCommand({ name: 'risk', usage: 'usage: npm run risk -- [--as-of YYYY-MM-DD]' }, async () => {
  const { values } = parseCommandLine({ options: { 'as-of': { type: 'string' } } });
  const asOf = asOfOption(values['as-of']);
  const sql = createSql(databaseUrl(environment(), 'the risk engine needs the database it reads and writes'), { max: 1 });
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
});
