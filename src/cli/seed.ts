import type { Config } from '../config.js';
import { createSql } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { SEED_LIMITS, SeedError, type SeedOptions, seedDemo } from '../demo/seed.js';
import { asOfOption, databaseUrl, environment, parseCommandLine, runCommand, UsageError } from './command.js';

const USAGE = `usage: npm run seed -- [--assets N] [--days D] [--portfolios P] [--seed S] [--as-of YYYY-MM-DD] [--reset]

Fills the source tables of DATABASE_URL with deterministic demo data. The counts default to
DEMO_ASSETS, DEMO_DAYS, DEMO_PORTFOLIOS and DEMO_SEED; --as-of to today (UTC). Tables that already
hold data are left alone unless --reset is given, which empties them (and asset_360, asset_360_builds).`;

function parseOptions(defaults: Config['demo']): SeedOptions {
  const { values } = parseCommandLine({
    options: {
      assets: { type: 'string' },
      days: { type: 'string' },
      portfolios: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const integer = (flag: keyof typeof SEED_LIMITS, fallback: number): number => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const { min, max } = SEED_LIMITS[flag];
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`);
    }
    return value;
  };
  const asOf = asOfOption(values['as-of']);
  return {
    assets: integer('assets', defaults.assets),
    days: integer('days', defaults.days),
    portfolios: integer('portfolios', defaults.portfolios),
    seed: integer('seed', defaults.seed),
    asOf,
    reset: values.reset ?? false,
  };
}

await runCommand({ name: 'seed', usage: USAGE }, async () => {
  const config = environment();
  const options = parseOptions(config.demo);
  const logger = createLogger(config);
  const sql = createSql(databaseUrl(config, 'point it at the (migrated) database to fill'), { max: 1 });
  try {
    const report = await seedDemo(sql, options, (message) => logger.info(message));
    const total = Object.values(report.rows).reduce((sum, count) => sum + count, 0);
    logger.info(
      `seeded ${total.toLocaleString('en-US')} rows (${report.firstDate} to ${report.lastDate}) in ${report.seconds.toFixed(1)} s`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    process.stderr.write(`seed: ${error.message}\n`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
});
