import type { Sql } from '../../infra/db.js';
import { BadUserInputError } from '../../lib/errors.js';
import { boundedText } from '../common/arguments.js';
import type { Page } from '../common/connection.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { and, type Fragment } from '../common/sql.js';
import type { AuditEntry, AuditLogArgs, AuditLogFilter, AuditLogHead } from './audit.type.js';

function auditConditions(sql: Sql, filter: AuditLogFilter | null | undefined): Fragment {
  const conditions: Fragment[] = [];
  const exact = (value: string | null | undefined, argument: string, column: string) => {
    if (value != null) conditions.push(sql`a.${sql(column)} = ${boundedText(value, `filter.${argument}`, 200)}`);
  };
  exact(filter?.action, 'action', 'action');
  exact(filter?.actor, 'actor', 'actor_subject');
  exact(filter?.entity, 'entity', 'entity');
  exact(filter?.entityId, 'entityId', 'entity_id');
  if (filter?.from && filter.to && filter.from > filter.to) {
    throw new BadUserInputError('filter.to must not be before filter.from', 'filter.to');
  }
  if (filter?.from) conditions.push(sql`a.at >= ${filter.from}`);
  if (filter?.to) conditions.push(sql`a.at <= ${filter.to}`);
  return and(sql, conditions);
}

function auditColumns(sql: Sql): Fragment {
  return sql`
    a.seq::text as seq, a.at, a.actor_subject as "actorSubject", a.actor_role as "actorRole", a.action, a.entity,
    a.entity_id as "entityId", a.payload, encode(a.prev_hash, 'hex') as "prevHash", encode(a.hash, 'hex') as hash`;
}

/** Newest first: the primary key serves every page, the filters' indexes end with seq. */
export function auditLogPage(sql: Sql, args: AuditLogArgs): Promise<Page<AuditEntry>> {
  return rootConnection(sql, {
    keyset: new Keyset(sql, [{ name: 'SEQ', expression: sql`a.seq`, kind: 'id', direction: 'DESC', nullable: false }]),
    args,
    columns: auditColumns(sql),
    from: sql`audit_log a`,
    where: auditConditions(sql, args.filter),
  });
}

export async function auditLogHead(sql: Sql): Promise<AuditLogHead | null> {
  const [head] = await sql<AuditLogHead[]>`
    select a.seq::text as seq, encode(a.hash, 'hex') as hash, a.at from audit_log a order by a.seq desc limit 1`;
  return head ?? null;
}
