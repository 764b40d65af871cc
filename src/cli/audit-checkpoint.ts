/**
 * npm run audit:checkpoint [-- --file FILE]
 *
 * Prints the head of the audit log in DATABASE_URL as `<seq> <hash> <at>`, and with --file appends
 * that line to FILE, which the operator keeps outside the database: audit:verify --checkpoint FILE
 * then proves that the log still extends it.
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { auditHead, formatCheckpoint } from '../audit/checkpoint.js';
import { loadConfig } from '../config.js';
import { createSql } from '../infra/db.js';

async function main(): Promise<number> {
  let databaseUrl: string | undefined;
  let file: string | undefined;
  try {
    const { values } = parseArgs({ options: { file: { type: 'string' } }, strict: true, allowPositionals: false });
    file = values.file;
    databaseUrl = loadConfig(process.env).databaseUrl;
    if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: audit:checkpoint reads the audit log there');
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run audit:checkpoint [-- --file FILE]`);
    return 2;
  }
  const sql = createSql(databaseUrl, { max: 1 });
  try {
    const head = await auditHead(sql);
    if (!head) {
      console.error('audit:checkpoint: the audit log is empty; there is nothing to checkpoint yet');
      return 1;
    }
    const line = formatCheckpoint({ seq: head.seq, hash: head.hash, at: head.at.toISOString() });
    if (file !== undefined) await appendFile(file, `${line}\n`);
    console.log(line);
    return 0;
  } catch (error) {
    console.error(`audit:checkpoint: ${(error as Error).message}`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
