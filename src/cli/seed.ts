import { parseArgs } from 'node:util';
import { ConfigError, type Config, loadConfig } from '../config.js';
import { createSql } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { isIsoDate } from '../lib/dates.js';
import { SEED_LIMITS, SeedError, type SeedOptions, seedDemo } from '../demo/seed.js';

const USAGE = `usage: npm run seed -- [--assets N] [--days D] [--portfolios P] [--seed S] [--as-of YYYY-MM-DD] [--reset]

Fills the source tables of DATABASE_URL with deterministic demo data. The counts default to
DEMO_ASSETS, DEMO_DAYS, DEMO_PORTFOLIOS and DEMO_SEED; --as-of to today (UTC). Tables that already
hold data are left alone unless --reset is given, which empties them (and asset_360, asset_360_builds).`;

class UsageError extends Error {}

function parseOptions(args: string[], defaults: Config['demo']): SeedOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        assets: { type: 'string' },
        days: { type: 'string' },
        portfolios: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf))
    throw new UsageError(`--as-of must be a date written YYYY-MM-DD (got ${JSON.stringify(asOf)})`);
  return {
    assets: integer('assets', defaults.assets),
    days: integer('days', defaults.days),
    portfolios: integer('portfolios', defaults.portfolios),
    seed: integer('seed', defaults.seed),
    asOf,
    reset: values.reset ?? false,
  };
}

function fail(message: string, exitCode: number): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  let options: SeedOptions;
  try {
    options = parseOptions(process.argv.slice(2), config.demo);
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n${USAGE}`, 2);
    throw error;
  }
  if (config.databaseUrl === undefined) fail('DATABASE_URL is not set: point it at the (migrated) database to fill', 1);

  const logger = createLogger(config);
  const sql = createSql(config.databaseUrl, { max: 1 });
  try {
    const report = await seedDemo(sql, options, (message) => logger.info(message));
    const total = Object.values(report.rows).reduce((sum, count) => sum + count, 0);
    logger.info(
      `seeded ${total.toLocaleString('en-US')} rows (${report.firstDate} to ${report.lastDate}) in ${report.seconds.toFixed(1)} s`,
    );
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    process.stderr.write(`seed: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

await main();
