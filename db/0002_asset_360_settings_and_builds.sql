-- The knobs create_asset_360 reads on every run, and the record of every run.

create table asset_360_settings (
  singleton boolean primary key default true check (singleton),
  base_currency char(3) not null default 'USD',
  performance_window interval not null default interval '1 year' check (performance_window >= interval '0'),
  risk_window interval not null default interval '3 months' check (risk_window >= interval '0'),
  transaction_window interval not null default interval '1 year' check (transaction_window >= interval '0'),
  compliance_window interval not null default interval '6 months' check (compliance_window >= interval '0'),
  var_high double precision not null default 0.15,
  var_medium double precision not null default 0.10,
  return_outperform double precision not null default 0.20,
  return_underperform double precision not null default -0.10,
  size_large numeric not null default 1000000,
  size_medium numeric not null default 100000,
  check (var_high >= var_medium),
  check (return_outperform >= return_underperform),
  check (size_large >= size_medium)
);
insert into asset_360_settings default values;

create table asset_360_builds (
  build_id bigint generated always as identity primary key,
  as_of date not null,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  row_count integer,
  error text,
  -- Which session ran it, so that the next build can tell a crashed run from a live one.
  backend_pid integer not null default pg_backend_pid(),
  backend_start timestamptz,
  check ((status = 'running') = (finished_at is null))
);
create index asset_360_builds_latest_succeeded on asset_360_builds (build_id desc) where status = 'succeeded';
