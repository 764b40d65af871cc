-- assetAggregates' base grain: asset_360 grouped by every dimension but the issuer (and by whether an
-- asset has active violations, which the filter may ask), with the partial aggregates of every
-- measure. Computed with the dashboard, in the build's own transaction, by
-- procedures/refresh_asset_360_dashboard.sql. A request that groups and filters by these columns only
-- adds up these rows, a fraction of the assets, instead of the assets' wide rows (docs/aggregates.md).
create table asset_360_cube (
  asset_type text not null,
  sector text,
  issuing_country text,
  currency character(3) not null,
  rating text,
  status text not null,
  risk_category text not null,
  performance_category text not null,
  position_size text not null,
  has_active_violations boolean not null,
  asset_count integer not null,
  -- For each measure: sum, count of non-null values, least and greatest.
  market_value_base_sum numeric,
  market_value_base_count integer not null,
  market_value_base_min numeric,
  market_value_base_max numeric,
  position_quantity_sum numeric,
  position_quantity_count integer not null,
  position_quantity_min numeric,
  position_quantity_max numeric,
  avg_daily_return_sum double precision,
  avg_daily_return_count integer not null,
  avg_daily_return_min double precision,
  avg_daily_return_max double precision,
  total_return_sum double precision,
  total_return_count integer not null,
  total_return_min double precision,
  total_return_max double precision,
  avg_volatility_sum double precision,
  avg_volatility_count integer not null,
  avg_volatility_min double precision,
  avg_volatility_max double precision,
  value_at_risk_sum double precision,
  value_at_risk_count integer not null,
  value_at_risk_min double precision,
  value_at_risk_max double precision,
  beta_sum double precision,
  beta_count integer not null,
  beta_min double precision,
  beta_max double precision,
  sharpe_ratio_sum double precision,
  sharpe_ratio_count integer not null,
  sharpe_ratio_min double precision,
  sharpe_ratio_max double precision,
  active_violations_sum bigint,
  active_violations_count integer not null,
  active_violations_min integer,
  active_violations_max integer,
  total_transactions_sum bigint,
  total_transactions_count integer not null,
  total_transactions_min integer,
  total_transactions_max integer
);

create trigger asset_360_cube_data_version
after insert or update or delete or truncate on asset_360_cube
for each statement execute function data_versions_bump('build');
alter table asset_360_cube enable always trigger asset_360_cube_data_version;
