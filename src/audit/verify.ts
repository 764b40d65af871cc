import type { Sql } from '../infra/db.js';
import type { Checkpoint } from './checkpoint.js';
import { entryHash, entryTextBeforeSeq, GENESIS_HASH, hashText, type StoredEntry } from './canonical.js';

/** Why an entry fails: its content changed, entries before it are gone, or it sits out of order. */
export type FailureReason = 'edited' | 'missing' | 'reordered';

export type Verification =
  | { ok: true; count: bigint; head: { seq: string; hash: string } | null }
  | { ok: false; seq: string; reason: FailureReason; detail: string };

interface Row extends StoredEntry {
  prevHash: Buffer;
  hash: Buffer;
}

/** A break in the chain found while streaming, explained once the cursor is closed. */
type Break =
  { seq: bigint; kind: 'gap' | 'edited' | 'link' | 'checkpoint'; row: Row; checkpoint?: Checkpoint } | { seq: bigint; kind: 'end' };

const BATCH = 1000;
/** How far from its place the verifier looks for the number a moved entry was written with. */
const MOVE_SEARCH = 100_000n;

/**
 * Re-computes the whole chain from the rows, a batch at a time through a cursor, and checks that
 * it extends every checkpoint (docs/audit.md). Returns the first bad sequence number and why.
 */
export async function verifyChain(sql: Sql, checkpoints: readonly Checkpoint[] = []): Promise<Verification> {
  const pending = new Map(checkpoints.map((checkpoint) => [BigInt(checkpoint.seq), checkpoint]));
  let expected = 1n;
  let previous: Buffer = GENESIS_HASH;
  let found: Break | undefined;
  const cursor = sql<Row[]>`
    select seq::text as seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
      actor_subject as "actorSubject", actor_role as "actorRole", action, entity, entity_id as "entityId",
      payload::text as payload, prev_hash as "prevHash", hash
    from audit_log a
    order by a.seq`.cursor(BATCH);
  scan: for await (const rows of cursor) {
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expected) {
        found = { seq: expected, kind: 'gap', row };
        break scan;
      }
      if (!entryHash(row.prevHash, row).equals(row.hash)) {
        found = { seq, kind: 'edited', row };
        break scan;
      }
      if (!row.prevHash.equals(previous)) {
        found = { seq, kind: 'link', row };
        break scan;
      }
      const checkpoint = pending.get(seq);
      if (checkpoint && checkpoint.hash !== row.hash.toString('hex')) {
        found = { seq, kind: 'checkpoint', row, checkpoint };
        break scan;
      }
      pending.delete(seq);
      previous = row.hash;
      expected = seq + 1n;
    }
  }
  if (!found && pending.size > 0) found = { seq: [...pending.keys()].reduce((a, b) => (a < b ? a : b)), kind: 'end' };
  if (found) return explain(sql, found, expected - 1n);
  return { ok: true, count: expected - 1n, head: expected > 1n ? { seq: String(expected - 1n), hash: previous.toString('hex') } : null };
}

async function explain(sql: Sql, found: Break, last: bigint): Promise<Verification> {
  const seq = String(found.seq);
  switch (found.kind) {
    case 'gap': {
      const next = BigInt(found.row.seq);
      const range = next - found.seq > 1n ? `seq ${seq} to ${next - 1n} are` : `seq ${seq} is`;
      const where = found.seq === 1n ? `the log starts at seq ${next}` : `seq ${last} is followed by seq ${next}`;
      return { ok: false, seq, reason: 'missing', detail: `${range} missing: ${where}` };
    }
    case 'edited': {
      // Its hash covers its seq: an entry that only moved verifies under the number it was written with.
      const written = await writtenAs(sql, found.row);
      if (written !== undefined) return { ok: false, seq, reason: 'reordered', detail: `this entry was written as seq ${written}` };
      return { ok: false, seq, reason: 'edited', detail: 'its content no longer matches its hash' };
    }
    case 'link': {
      // Consistent in itself but not linked to its predecessor: it was moved here, or the entry
      // before it was edited and given a new hash.
      const [origin] = await sql<{ seq: string }[]>`select seq::text as seq from audit_log where hash = ${found.row.prevHash} limit 1`;
      if (origin) return { ok: false, seq, reason: 'reordered', detail: `it follows seq ${origin.seq} in the chain, not seq ${last}` };
      return {
        ok: false,
        seq: String(last),
        reason: 'edited',
        detail: `its hash was recomputed after a change: seq ${seq} was chained to a different seq ${last}`,
      };
    }
    case 'checkpoint':
      return {
        ok: false,
        seq,
        reason: 'edited',
        detail: `its hash ${found.row.hash.toString('hex')} differs from the checkpoint's ${found.checkpoint!.hash}: the log was rewritten and re-hashed from here or before`,
      };
    case 'end':
      return {
        ok: false,
        seq,
        reason: 'missing',
        detail: `the log ends at seq ${last}, but a checkpoint records seq ${seq}: entries were removed from the end`,
      };
  }
}

/** The seq under which this entry's content matches its hash, if it differs from the present one and lies near. */
async function writtenAs(sql: Sql, row: Row): Promise<bigint | undefined> {
  const [range] = await sql<
    [{ first: string | null; last: string | null }]
  >`select min(seq)::text as first, max(seq)::text as last from audit_log`;
  const first = BigInt(range.first ?? '1');
  const last = BigInt(range.last ?? '1') + 1n;
  const seq = BigInt(row.seq);
  const before = entryTextBeforeSeq(row);
  for (let distance = 1n; distance <= MOVE_SEARCH; distance++) {
    for (const candidate of [seq - distance, seq + distance]) {
      if (candidate >= first && candidate <= last && hashText(row.prevHash, `${before}${candidate}}`).equals(row.hash)) return candidate;
    }
    if (seq - distance < first && seq + distance > last) return undefined;
  }
  return undefined;
}
