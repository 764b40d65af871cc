-- The dashboard of the current build: what depends on asset_360 alone, computed whenever asset_360
-- changes (by the statement trigger of procedures/refresh_asset_360_dashboard.sql, so in the build's
-- own transaction) and read as a few rows per request.

-- The book by each dimension of the dashboard: one row per dimension and value (null included).
create table asset_360_dashboard_slices (
  dimension text not null,
  key text,
  market_value numeric not null,
  asset_count integer not null,
  -- Of the dimension's total market value in base currency, in percent; 0 when that total is 0.
  value_percentage double precision not null,
  -- Of the number of assets, in percent.
  count_percentage double precision not null
);
create index asset_360_dashboard_slices_dimension on asset_360_dashboard_slices (dimension);

-- The first assets of each ranking, at most 500 (MAX_TOP of the graph), and every asset in violation.
create table asset_360_dashboard_rankings (
  ranking text not null,
  position integer not null,
  asset_id bigint not null,
  primary key (ranking, position)
);

-- One row: the book's totals.
create table asset_360_dashboard_totals (
  total_assets integer not null,
  total_value numeric not null,
  average_return double precision not null,
  total_active_violations integer not null
);
