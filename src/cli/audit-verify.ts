/**
 * npm run audit:verify [-- --checkpoint FILE]
 *
 * Re-computes the audit log's hash chain in DATABASE_URL and prints `OK <count> <head hash>`, or
 * `FAIL seq <n> <edited|missing|reordered>: <why>` and exits with 1. With --checkpoint (repeatable),
 * also proves that the log still extends every checkpoint in the files (npm run audit:checkpoint).
 */
import { parseArgs } from 'node:util';
import { CheckpointFileError, readCheckpoints, type Checkpoint } from '../audit/checkpoint.js';
import { verifyChain } from '../audit/verify.js';
import { loadConfig } from '../config.js';
import { createSql } from '../infra/db.js';

const USAGE = 'usage: npm run audit:verify [-- --checkpoint FILE ...]';

async function main(): Promise<number> {
  let databaseUrl: string | undefined;
  const checkpoints: Checkpoint[] = [];
  try {
    const { values } = parseArgs({ options: { checkpoint: { type: 'string', multiple: true } }, strict: true, allowPositionals: false });
    databaseUrl = loadConfig(process.env).databaseUrl;
    if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set: audit:verify reads the audit log there');
    for (const file of values.checkpoint ?? []) checkpoints.push(...(await readCheckpoints(file)));
  } catch (error) {
    console.error(error instanceof CheckpointFileError ? error.message : `${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const sql = createSql(databaseUrl, { max: 2 });
  try {
    const result = await verifyChain(sql, checkpoints);
    if (!result.ok) {
      console.log(`FAIL seq ${result.seq} ${result.reason}: ${result.detail}`);
      return 1;
    }
    const against = checkpoints.length ? ` (extends ${checkpoints.length} checkpoint${checkpoints.length > 1 ? 's' : ''})` : '';
    console.log(`OK ${result.count} ${result.head?.hash ?? '-'}${against}`);
    return 0;
  } catch (error) {
    console.error(`audit:verify: ${(error as Error).message}`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
