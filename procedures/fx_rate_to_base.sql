-- The units of the build settings' base currency for one unit of `currency` on `day`: exactly 1 for
-- the base currency, else the latest fx_rates row on or before the day; no row before its first rate.
-- create_asset_360 and the graph's positions both take the rate from here. A one-row set, not a
-- scalar, because the planner inlines a set-returning SQL function into the calling query and runs a
-- scalar one that reads a table through the SQL-function executor, at about 0.1 ms a call.
create or replace function fx_rate_to_base(currency char, day date)
returns table (rate_to_base numeric)
language sql
stable
parallel safe
rows 1
as $$
  select case when fx_rate_to_base.currency = s.base_currency then 1::numeric else (
    select f.rate_to_base
    from fx_rates f
    where f.currency = fx_rate_to_base.currency and f.rate_date <= fx_rate_to_base.day
    order by f.rate_date desc
    limit 1)
  end
  from asset_360_settings s
$$;
