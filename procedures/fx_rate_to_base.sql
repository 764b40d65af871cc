-- The FX rule, once: the units of the build settings' base currency for one unit of a currency on a
-- day are exactly 1 for the base currency, else the rate_to_base of the latest fx_rates row on or
-- before the day, and null before the currency's first rate. fx_rates_to_base applies it to every
-- day of a range (Portfolio.risk, the optimizer's prices), fx_rate_to_base to one day
-- (create_asset_360, the graph's positions) as the range [day, day], so the two cannot drift apart.

-- One row per calendar day of [from_day, to_day] (order by day where the order matters). The rates that can apply are the
-- latest on or before from_day (a backward probe of fx_rates' key) and those of the range; each
-- day takes the last of them on or before it by binary search (width_bucket over their dates, 0
-- before the first, and an array's element 0 is null), not by a probe or a join per day.
create or replace function fx_rates_to_base(currency char, from_day date, to_day date)
returns table (day date, rate_to_base numeric)
language sql
stable
parallel safe
rows 366
as $$
  select from_day + k,
    case when fx_rates_to_base.currency = s.base_currency then 1::numeric
    else r.rates[width_bucket(from_day + k, r.dates)] end
  from asset_360_settings s
  cross join (
    select array_agg(r.rate_date order by r.rate_date) as dates, array_agg(r.rate_to_base order by r.rate_date) as rates
    from (
      (select f.rate_date, f.rate_to_base from fx_rates f
        where f.currency = fx_rates_to_base.currency and f.rate_date <= from_day
        order by f.rate_date desc limit 1)
      union all
      select f.rate_date, f.rate_to_base from fx_rates f
      where f.currency = fx_rates_to_base.currency and f.rate_date > from_day and f.rate_date <= to_day
    ) r
  ) r
  -- One day is one row even when it is 'infinity' (positions as of now), which cannot be subtracted.
  cross join generate_series(0, case when to_day = from_day then 0 else to_day - from_day end) k
$$;

-- One day. A one-row set, not a scalar, because the planner inlines a set-returning SQL function
-- into the calling query and runs a scalar one that reads a table through the SQL-function
-- executor, at about 0.1 ms a call.
create or replace function fx_rate_to_base(currency char, day date)
returns table (rate_to_base numeric)
language sql
stable
parallel safe
rows 1
as $$
  select r.rate_to_base from fx_rates_to_base(fx_rate_to_base.currency, fx_rate_to_base.day, fx_rate_to_base.day) r
$$;
