-- assetAggregates' base grain (db/0092_asset_360_cube.sql), from asset_360 as it is now.
create or replace function refresh_asset_360_cube() returns void
language plpgsql
as $$
begin
  delete from asset_360_cube;
  insert into asset_360_cube (
    asset_type, sector, issuing_country, currency, rating, status, risk_category, performance_category, position_size,
    has_active_violations, asset_count,
    market_value_base_sum, market_value_base_count, market_value_base_min, market_value_base_max,
    position_quantity_sum, position_quantity_count, position_quantity_min, position_quantity_max,
    avg_daily_return_sum, avg_daily_return_count, avg_daily_return_min, avg_daily_return_max,
    total_return_sum, total_return_count, total_return_min, total_return_max,
    avg_volatility_sum, avg_volatility_count, avg_volatility_min, avg_volatility_max,
    value_at_risk_sum, value_at_risk_count, value_at_risk_min, value_at_risk_max,
    beta_sum, beta_count, beta_min, beta_max,
    sharpe_ratio_sum, sharpe_ratio_count, sharpe_ratio_min, sharpe_ratio_max,
    active_violations_sum, active_violations_count, active_violations_min, active_violations_max,
    total_transactions_sum, total_transactions_count, total_transactions_min, total_transactions_max
  )
  select a.asset_type, a.sector, a.issuing_country, a.currency, a.rating, a.status, a.risk_category, a.performance_category,
    a.position_size, a.active_violations > 0, count(*)::int,
    sum(a.market_value_base), count(a.market_value_base), min(a.market_value_base), max(a.market_value_base),
    sum(a.position_quantity), count(a.position_quantity), min(a.position_quantity), max(a.position_quantity),
    sum(a.avg_daily_return), count(a.avg_daily_return), min(a.avg_daily_return), max(a.avg_daily_return),
    sum(a.total_return), count(a.total_return), min(a.total_return), max(a.total_return),
    sum(a.avg_volatility), count(a.avg_volatility), min(a.avg_volatility), max(a.avg_volatility),
    sum(a.value_at_risk), count(a.value_at_risk), min(a.value_at_risk), max(a.value_at_risk),
    sum(a.beta), count(a.beta), min(a.beta), max(a.beta),
    sum(a.sharpe_ratio), count(a.sharpe_ratio), min(a.sharpe_ratio), max(a.sharpe_ratio),
    sum(a.active_violations), count(a.active_violations), min(a.active_violations), max(a.active_violations),
    sum(a.total_transactions), count(a.total_transactions), min(a.total_transactions), max(a.total_transactions)
  from asset_360 a
  group by a.asset_type, a.sector, a.issuing_country, a.currency, a.rating, a.status, a.risk_category, a.performance_category,
    a.position_size, a.active_violations > 0;
end
$$;

-- Recomputes the asset_360_dashboard_* tables and asset_360_cube from asset_360 after every statement
-- that changes it: the build's delete and insert, in the transaction that publishes the build, or anyone else's write.
-- Percentages and orders are those the graph's analytics promise (docs/graph.md); rankings skip nulls
-- and break ties by asset id.
-- create_asset_360 replaces asset_360 in more than one statement of its transaction: it defers the
-- refresh (asset360.dashboard_deferred, local to the transaction) for all but the last, so that
-- each build computes the dashboard once, over its own rows (after its delete the table holds
-- only rows the build has just deleted, which every scan would step over).
create or replace function refresh_asset_360_dashboard() returns trigger
language plpgsql
as $$
begin
  if current_setting('asset360.dashboard_deferred', true) = 'on' then
    return null;
  end if;
  delete from asset_360_dashboard_slices;
  insert into asset_360_dashboard_slices (dimension, key, market_value, asset_count, value_percentage, count_percentage)
  select s.dimension, s.key, s.market_value, s.asset_count,
    coalesce((100 * s.market_value / nullif(sum(s.market_value) over (partition by s.dimension), 0))::float8, 0),
    coalesce((100 * s.asset_count / nullif(sum(s.asset_count::bigint) over (partition by s.dimension), 0))::float8, 0)
  from (
    select d.dimension, d.key, coalesce(sum(a.market_value_base), 0) as market_value, count(*)::int as asset_count
    from asset_360 a
    cross join lateral (values
      ('ASSET_TYPE', a.asset_type), ('SECTOR', a.sector), ('COUNTRY', a.issuing_country::text),
      ('CURRENCY', a.currency::text), ('RISK_CATEGORY', a.risk_category),
      ('PERFORMANCE_CATEGORY', a.performance_category), ('POSITION_SIZE', a.position_size)
    ) as d(dimension, key)
    group by d.dimension, d.key
  ) s;

  delete from asset_360_dashboard_rankings;
  insert into asset_360_dashboard_rankings (ranking, position, asset_id)
  select r.ranking, r.position, r.asset_id
  from (
    select 'VALUE_AT_RISK_DESC' as ranking, row_number() over (order by a.value_at_risk desc, a.asset_id)::int as position, a.asset_id
    from asset_360 a where a.value_at_risk is not null
    union all
    select 'TOTAL_RETURN_DESC', row_number() over (order by a.total_return desc, a.asset_id)::int, a.asset_id
    from asset_360 a where a.total_return is not null
    union all
    select 'TOTAL_RETURN_ASC', row_number() over (order by a.total_return asc, a.asset_id)::int, a.asset_id
    from asset_360 a where a.total_return is not null
  ) r
  where r.position <= 500
  union all
  select 'ACTIVE_VIOLATIONS_DESC', row_number() over (order by a.active_violations desc, a.asset_id)::int, a.asset_id
  from asset_360 a where a.active_violations > 0;

  delete from asset_360_dashboard_totals;
  insert into asset_360_dashboard_totals (total_assets, total_value, average_return, total_active_violations)
  select count(*)::int, coalesce(sum(a.market_value_base), 0), coalesce(avg(a.total_return), 0),
    coalesce(sum(a.active_violations), 0)::int
  from asset_360 a;

  perform refresh_asset_360_cube();
  return null;
end
$$;

create or replace trigger asset_360_dashboard_refresh
after insert or update or delete or truncate on asset_360
for each statement execute function refresh_asset_360_dashboard();

-- A database built before the cube existed gets its cube now, once; from then on every change to
-- asset_360 keeps it current.
select refresh_asset_360_cube()
where not exists (select from asset_360_cube) and exists (select from asset_360);
