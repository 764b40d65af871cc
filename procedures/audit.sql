-- The audit log's writer (docs/audit.md): the canonical serialization of an entry, its hash, and
-- audit_append, the only way entries are written. src/audit/canonical.ts computes the same bytes.

-- The canonical JSON text of a jsonb value: object keys sorted by their UTF-8 bytes (Unicode code
-- point order), no whitespace, strings escaped as jsonb prints them, numbers as jsonb prints them
-- (PostgreSQL numeric: plain decimal, no exponent, scale kept: 1.50 stays 1.50, 1e2 becomes 100).
create or replace function audit_canonical(value jsonb) returns text
language plpgsql immutable strict parallel safe
as $function$
declare
  result text;
begin
  case jsonb_typeof(value)
    when 'object' then
      -- Scalars print themselves: recursing only into containers keeps a flat payload to one call.
      select '{' || coalesce(string_agg(to_json(e.key)::text || ':' ||
          case when jsonb_typeof(e.value) in ('object', 'array') then audit_canonical(e.value) else e.value::text end,
          ',' order by convert_to(e.key, 'UTF8')), '') || '}'
      into result
      from jsonb_each(value) e;
    when 'array' then
      select '[' || coalesce(string_agg(
          case when jsonb_typeof(e.value) in ('object', 'array') then audit_canonical(e.value) else e.value::text end,
          ',' order by e.ordinality), '') || ']'
      into result
      from jsonb_array_elements(value) with ordinality e;
    else
      result := value::text;
  end case;
  return result;
end
$function$;

-- SHA-256 over the previous entry's hash followed by the UTF-8 bytes of the entry's canonical JSON:
-- the object {action, actor_role, actor_subject, at, entity, entity_id, payload, seq}, its keys
-- written here in their sorted order.
create or replace function audit_entry_hash(entry audit_log) returns bytea
language sql immutable strict parallel safe
as $function$
  select sha256(entry.prev_hash || convert_to(
    '{"action":' || to_json(entry.action)::text ||
    ',"actor_role":' || coalesce(to_json(entry.actor_role)::text, 'null') ||
    ',"actor_subject":' || to_json(entry.actor_subject)::text ||
    ',"at":"' || to_char(entry.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"' ||
    ',"entity":' || to_json(entry.entity)::text ||
    ',"entity_id":' || coalesce(to_json(entry.entity_id)::text, 'null') ||
    ',"payload":' || audit_canonical(entry.payload) ||
    ',"seq":' || entry.seq::text || '}', 'UTF8'))
$function$;

-- Who the current session acts for: set by the application (src/audit/actor.ts) with
-- set_config('asset360.actor_subject', …); otherwise the database role of a session at a SQL prompt.
create or replace function audit_actor_subject() returns text
language sql stable
as $function$
  select coalesce(nullif(current_setting('asset360.actor_subject', true), ''), 'system:sql:' || session_user)
$function$;

create or replace function audit_actor_role() returns text
language sql stable
as $function$
  select nullif(current_setting('asset360.actor_role', true), '')
$function$;

-- Appends one entry in the caller's transaction and returns it. The transaction-level lock makes
-- writers take turns from here to their commit, so the chain stays linear and gap-free: a
-- transaction that rolls back takes its number with it before the next writer reads the head.
-- Call it as the last statement of a change, so that the lock is held for as short as possible and
-- always taken after any other lock (no lock-order deadlocks).
create or replace function audit_append(
  p_actor_subject text, p_actor_role text, p_action text, p_entity text, p_entity_id text, p_payload jsonb
) returns audit_log
language plpgsql
as $function$
declare
  -- 'a360audt' in ASCII.
  lock_key constant bigint := 7004001426912666740;
  head audit_log;
  entry audit_log;
begin
  perform pg_advisory_xact_lock(lock_key);
  -- A new snapshot under READ COMMITTED; under REPEATABLE READ a stale head fails on the primary
  -- key rather than forking the chain.
  select * into head from audit_log order by seq desc limit 1;
  entry.seq := coalesce(head.seq, 0) + 1;
  -- Never before the previous entry, so that time ranges and seq ranges agree.
  entry.at := greatest(clock_timestamp(), head.at);
  entry.actor_subject := p_actor_subject;
  entry.actor_role := p_actor_role;
  entry.action := p_action;
  entry.entity := p_entity;
  entry.entity_id := p_entity_id;
  entry.payload := coalesce(p_payload, '{}'::jsonb);
  entry.prev_hash := coalesce(head.hash, decode(repeat('00', 32), 'hex'));
  entry.hash := audit_entry_hash(entry);
  insert into audit_log values (entry.*);
  return entry;
end
$function$;

-- Settings change at a SQL prompt (there is no API for them): each UPDATE that changes a value
-- records the columns changed, before and after, in the same transaction.
create or replace function audit_settings_changed() returns trigger
language plpgsql
as $function$
declare
  changed jsonb;
begin
  select jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value))
  into changed
  from jsonb_each(to_jsonb(new)) n
  join jsonb_each(to_jsonb(old)) o on o.key = n.key
  where n.value is distinct from o.value;
  if changed is not null then
    perform audit_append(audit_actor_subject(), audit_actor_role(), 'settings.changed', 'asset_360_settings', null,
      jsonb_build_object('changed', changed));
  end if;
  return null;
end
$function$;

create or replace trigger asset_360_settings_audit
  after update on asset_360_settings
  for each row execute function audit_settings_changed();
