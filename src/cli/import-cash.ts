/**
 * npm run import:cash -- movements.csv
 *
 * Imports a cash CSV (format in the README, Accounts and cash) into DATABASE_URL, all or nothing, as
 * the bank's ADMIN (into any account), and prints what it imported or every error, by line and
 * column. Exits with 1 when the file is rejected.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { systemActor } from '../audit/actor.js';
import { ADMIN } from '../auth/viewer.js';
import { createSql } from '../infra/db.js';
import { importCashTransactions } from '../ledger/import/import-cash.js';
import { databaseUrl, environment, parseCommandLine, runCommand, UsageError } from './command.js';

await runCommand({ name: 'import:cash', usage: 'usage: npm run import:cash -- <movements.csv>' }, async () => {
  const { positionals } = parseCommandLine({ options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('give one file to import');
  const file = positionals[0]!;
  const sql = createSql(databaseUrl(environment(), 'import:cash needs the database to import into'), { max: 1 });
  const started = performance.now();
  try {
    const result = await importCashTransactions(sql, ADMIN, createReadStream(file), systemActor('import-cash-cli'), path.basename(file));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.errors.length > 0) {
      for (const error of result.errors)
        console.error(`line ${error.line}${error.column === null ? '' : `, ${error.column}`}: ${error.message}`);
      console.error(`${file}: rejected with ${result.errors.length} errors in ${result.rows} rows; nothing imported`);
      return 1;
    }
    console.log(`${file}: imported ${result.imported} of ${result.rows} rows, skipped ${result.duplicates} duplicates, in ${seconds} s`);
    return 0;
  } catch (error) {
    console.error(`${file}: ${(error as Error).message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
});
