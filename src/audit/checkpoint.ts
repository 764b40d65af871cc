import { readFile } from 'node:fs/promises';
import type { Sql } from '../infra/db.js';

/** An entry's seq and hash, kept outside the database; the log must extend it forever after. */
export interface Checkpoint {
  seq: string;
  /** Lowercase hex. */
  hash: string;
  /** ISO 8601, UTC; informative only. */
  at?: string;
}

export class CheckpointFileError extends Error {
  readonly code = 'CHECKPOINT_INVALID';
}

/** The head of the log; null while it is empty. */
export async function auditHead(sql: Sql): Promise<{ seq: string; hash: string; at: Date } | null> {
  const [head] = await sql<{ seq: string; hash: Buffer; at: Date }[]>`
    select a.seq::text as seq, a.hash, a.at from audit_log a order by a.seq desc limit 1`;
  return head ? { seq: head.seq, hash: head.hash.toString('hex'), at: head.at } : null;
}

/** One line of a checkpoint file: `<seq> <hash> <at>`. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return [checkpoint.seq, checkpoint.hash, ...(checkpoint.at ? [checkpoint.at] : [])].join(' ');
}

/** The checkpoints of a file: one per line as formatCheckpoint writes them; blank lines and # comments are skipped. */
export function parseCheckpoints(text: string, name = 'checkpoint file'): Checkpoint[] {
  const checkpoints: Checkpoint[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([1-9]\d{0,18})\s+([0-9a-fA-F]{64})(?:\s+(\S+))?$/.exec(line);
    if (!match)
      throw new CheckpointFileError(
        `${name}, line ${index + 1}: expected "<seq> <sha-256 in hex> [at]", got ${JSON.stringify(line.slice(0, 120))}`,
      );
    checkpoints.push({ seq: match[1]!, hash: match[2]!.toLowerCase(), ...(match[3] ? { at: match[3] } : {}) });
  });
  const seen = new Map<string, string>();
  for (const checkpoint of checkpoints) {
    const other = seen.get(checkpoint.seq);
    if (other !== undefined && other !== checkpoint.hash) {
      throw new CheckpointFileError(`${name}: seq ${checkpoint.seq} is checkpointed with two different hashes`);
    }
    seen.set(checkpoint.seq, checkpoint.hash);
  }
  return checkpoints;
}

export async function readCheckpoints(file: string): Promise<Checkpoint[]> {
  return parseCheckpoints(await readFile(file, 'utf8'), file);
}
