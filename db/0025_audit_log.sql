-- The audit log: an append-only hash chain of every change that moves money or changes what the
-- book says (docs/audit.md). Rows are written only by audit_append (procedures/audit.sql), which
-- numbers them without gaps and links each to the previous one by its SHA-256.

create table audit_log (
  seq bigint primary key check (seq > 0),
  at timestamptz not null,
  -- The token's subject for a request, 'system:<name>' for schedules, workers and command lines.
  actor_subject text not null check (actor_subject <> ''),
  -- The token's role; null for system actors.
  actor_role text,
  action text not null check (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  entity text not null check (entity <> ''),
  entity_id text,
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  prev_hash bytea not null check (length(prev_hash) = 32),
  hash bytea not null check (length(hash) = 32)
);
create index audit_log_action on audit_log (action, seq);
create index audit_log_actor on audit_log (actor_subject, seq);
create index audit_log_entity on audit_log (entity, entity_id, seq);
create index audit_log_at on audit_log (at, seq);

-- Refuses every change to written entries. A trigger rather than a grant or a rule: grants do not
-- bind a superuser, and a DO INSTEAD NOTHING rule would make the change silently do nothing.
create function audit_log_refuse_change() returns trigger
language plpgsql
as $function$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege',
      hint = 'entries are never changed or removed; the verifier (npm run audit:verify) detects any change made around this guard';
end
$function$;

create trigger audit_log_no_update_or_delete
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
-- ALWAYS: they fire under session_replication_role = replica too, which skips ordinary triggers.
alter table audit_log enable always trigger audit_log_no_update_or_delete;
alter table audit_log enable always trigger audit_log_no_truncate;
