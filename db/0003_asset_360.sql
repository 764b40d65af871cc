-- asset_360, the table create_asset_360 publishes, and what the builds need to be serialized and traced.

create table asset_360 (
  asset_id bigint primary key,
  asset_name text not null,
  asset_type text not null,
  isin text,
  currency char(3) not null,
  issuer text,
  issue_date date,
  maturity_date date,
  par_value numeric,
  rating text,
  sector text,
  issuing_country text,
  status text not null,
  current_price numeric,
  price_date date,
  position_quantity numeric not null,
  market_value numeric,
  fx_rate numeric,
  market_value_base numeric,
  avg_daily_return double precision,
  total_return double precision,
  avg_volatility double precision,
  value_at_risk double precision,
  beta double precision,
  sharpe_ratio double precision,
  total_transactions integer not null,
  total_purchases integer not null,
  total_sales integer not null,
  avg_transaction_cost numeric,
  active_violations integer not null,
  last_compliance_check date,
  risk_category text not null check (risk_category in ('HIGH', 'MEDIUM', 'LOW', 'UNKNOWN')),
  performance_category text not null check (performance_category in ('OUTPERFORMING', 'NEUTRAL', 'UNDERPERFORMING', 'UNKNOWN')),
  position_size text not null check (position_size in ('LARGE', 'MEDIUM', 'SMALL', 'UNKNOWN')),
  as_of date not null,
  -- The build that wrote the row. No foreign key: its check, run once per row, would cost every build
  -- about 12 µs per asset (15 % of a build); only create_asset_360 writes this column, with the id
  -- of the asset_360_builds row it has committed.
  build_id bigint not null
);

-- Filters of the graph. Every index costs each build about 1 µs per row to maintain (the whole table
-- is rewritten), so there is none for sorting: ordering 40,000 rows, or a filtered part of them, takes
-- milliseconds, and the graph's sorts run over asset_master left-joined to asset_360, which an index of
-- asset_360 cannot order.
create index asset_360_isin on asset_360 (isin);
create index asset_360_asset_type on asset_360 (asset_type);
create index asset_360_sector on asset_360 (sector);
create index asset_360_issuing_country on asset_360 (issuing_country);
create index asset_360_risk_category on asset_360 (risk_category);
create index asset_360_performance_category on asset_360 (performance_category);
create index asset_360_position_size on asset_360 (position_size);
-- Only the assets with open violations, the few that the hasActiveViolations filter looks for.
create index asset_360_with_violations on asset_360 (active_violations, asset_id) where active_violations > 0;

-- The graph's case-insensitive substring search (ILIKE '%…%') reads name and ISIN from asset_master,
-- which changes rarely; on asset_360 these GIN indexes would double the cost of every publication.
create extension if not exists pg_trgm;
create index asset_master_asset_name_trgm on asset_master using gin (asset_name gin_trgm_ops);
create index asset_master_isin_trgm on asset_master using gin (isin gin_trgm_ops);
-- The graph's default order, by name then id, also reads asset_master.
create index asset_master_by_asset_name on asset_master (asset_name, asset_id);

-- When the build got the build lock: [locked_at, finished_at] of two builds never overlap,
-- and locked_at - started_at is how long it waited for another one.
alter table asset_360_builds add column locked_at timestamptz;

-- The next build looks up the running rows to fail those whose session is gone.
create index asset_360_builds_running on asset_360_builds (build_id) where status = 'running';
