import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import type { AuditAction } from './actions.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  entity: string;
  entityId: string | null;
  /** What changed: the inputs and the resulting ids. Money as decimal strings, as everywhere. */
  payload: Record<string, unknown>;
}

export interface Recorded {
  seq: string;
  hash: Buffer;
  at: Date;
}

/**
 * Appends an entry to the audit log inside `tx`, the transaction of the change it records, so that
 * both commit or neither does. Call it last in the transaction: from here to the commit, other
 * writers of the log wait (procedures/audit.sql).
 */
export async function recordAudit(tx: postgres.TransactionSql, entry: AuditEntry): Promise<Recorded> {
  const [row] = await tx<Recorded[]>`
    select seq::text as seq, hash, at
    from audit_append(${entry.actor.subject}, ${entry.actor.role}, ${entry.action}, ${entry.entity}, ${entry.entityId},
      ${tx.json(entry.payload as postgres.JSONValue)}::jsonb)`;
  return row!;
}

/**
 * For a change made outside PostgreSQL (a Redis queue): makes it inside a transaction that then
 * records it, so that a change that fails leaves no entry. Redis cannot join the transaction: if
 * the commit itself failed after the change, the change would stand unrecorded; docs/audit.md.
 */
export function audited<T>(sql: Sql, change: () => Promise<T>, entry: (result: T) => AuditEntry): Promise<T> {
  return sql.begin(async (tx) => {
    const result = await change();
    await recordAudit(tx, entry(result));
    return result;
  }) as Promise<T>;
}

/**
 * Names the actor for what the database itself records in this session (builds, settings): see
 * audit_actor_subject in procedures/audit.sql. Session-wide: for a reserved connection.
 */
export async function actAs(session: Sql | postgres.ReservedSql, actor: Actor, jobId: string | null = null): Promise<void> {
  await session`
    select set_config('asset360.actor_subject', ${actor.subject}, false), set_config('asset360.actor_role', ${actor.role ?? ''}, false),
      set_config('asset360.job_id', ${jobId ?? ''}, false)`;
}
