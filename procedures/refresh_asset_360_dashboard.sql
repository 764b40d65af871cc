-- Recomputes the asset_360_dashboard_* tables from asset_360 after every statement that changes it:
-- the build's delete and insert, in the transaction that publishes the build, or anyone else's write.
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
  return null;
end
$$;

create or replace trigger asset_360_dashboard_refresh
after insert or update or delete or truncate on asset_360
for each statement execute function refresh_asset_360_dashboard();
