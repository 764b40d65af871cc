import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createSql, type Sql } from '../infra/db.js';
import { databaseUrl, environment, parseCommandLine, runCommand, UsageError } from './command.js';

export interface FileImport {
  rows: number;
  imported: number;
  duplicates: number;
  errors: ReadonlyArray<{ line: number; column: string | null; message: string }>;
}

/**
 * `npm run <name> -- FILE`: imports one CSV into DATABASE_URL, all or nothing, and prints what it
 * imported or every error by line and column, exiting with 1 when the file is rejected.
 */
export function importFileCommand(
  name: string,
  usage: string,
  load: (sql: Sql, input: Readable, fileName: string) => Promise<FileImport>,
): Promise<void> {
  return runCommand({ name, usage }, async () => {
    const { positionals } = parseCommandLine({ options: {}, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('give one file to import');
    const file = positionals[0]!;
    const sql = createSql(databaseUrl(environment(), `${name} needs the database to import into`), { max: 1 });
    const started = performance.now();
    try {
      const result = await load(sql, createReadStream(file), path.basename(file));
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
}
