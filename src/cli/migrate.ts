/**
 * npm run migrate
 *
 * Applies the pending migrations of db/ to DATABASE_URL and re-creates the procedures/.
 */
import { loadConfig } from '../config.js';
import { redactUrl } from '../lib/redact.js';
import { createSql } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';

async function main(): Promise<number> {
  let databaseUrl: string | undefined;
  try {
    databaseUrl = loadConfig(process.env).databaseUrl;
    if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: migrate needs the database to migrate');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }

  const sql = createSql(databaseUrl, { max: 1 });
  try {
    const result = await migrate(sql);
    console.log(
      `${redactUrl(databaseUrl)}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'no pending migrations'}; ` +
        `procedures ${result.procedures.join(', ')} re-created`,
    );
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
