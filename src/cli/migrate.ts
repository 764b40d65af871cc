/**
 * npm run migrate
 *
 * Applies the pending migrations of db/ to DATABASE_URL and re-creates the procedures/.
 */
import { redactUrl } from '../lib/redact.js';
import { createSql } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { databaseUrl, environment, parseCommandLine, runCommand } from './command.js';

await runCommand({ name: 'migrate', usage: 'usage: npm run migrate' }, async () => {
  parseCommandLine({ options: {} });
  const url = databaseUrl(environment(), 'migrate needs the database to migrate');
  const sql = createSql(url, { max: 1 });
  try {
    const result = await migrate(sql);
    console.log(
      `${redactUrl(url)}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'no pending migrations'}; ` +
        `procedures ${result.procedures.join(', ')} re-created`,
    );
    return 0;
  } catch (error) {
    console.error(`migrate: ${(error as Error).message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
});
