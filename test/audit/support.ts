import type { Sql } from '../../src/infra/db.js';

export interface LoggedEntry {
  seq: string;
  actorSubject: string;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  payload: Record<string, unknown>;
}

/** The entries written after `afterSeq`, oldest first. */
export async function entriesAfter(sql: Sql, afterSeq: string): Promise<LoggedEntry[]> {
  return sql<LoggedEntry[]>`
    select a.seq::text as seq, a.actor_subject as "actorSubject", a.actor_role as "actorRole", a.action, a.entity,
      a.entity_id as "entityId", a.payload
    from audit_log a where a.seq > ${afterSeq}::bigint order by a.seq`;
}

export async function headSeq(sql: Sql): Promise<string> {
  const [row] = await sql<[{ seq: string }]>`select coalesce(max(seq), 0)::text as seq from audit_log`;
  return row.seq;
}

/** Runs `tamper` with the guard triggers off, as an attacker with superuser rights could, and puts them back. */
export async function tamper(sql: Sql, change: (sql: Sql) => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`;
  try {
    await change(sql);
  } finally {
    await sql`alter table audit_log enable always trigger audit_log_no_update_or_delete`;
  }
}
