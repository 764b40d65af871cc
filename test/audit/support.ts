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
    select seq::text as seq, actor_subject as "actorSubject", actor_role as "actorRole", action, entity, entity_id as "entityId", payload
    from audit_log where seq > ${afterSeq}::bigint order by seq`;
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
