-- fx_rate_between(from, to, day): the price of one unit of `from` in `to` on a day, from each
-- currency's latest rate_to_base on or before it, or, for a day before its first rate, that first
-- rate (the base currency of asset_360_settings is 1); null when a currency has no rate at all.
-- Trade settlement and transfers between currencies both use it. The currencies are compared as
-- char(3), fx_rates' type: as text, the comparison could not use its key.
create or replace function fx_rate_between(from_currency text, to_currency text, day date) returns numeric
language sql stable parallel safe
as $$
  select case when from_currency = to_currency then 1::numeric else f.rate / t.rate end
  from asset_360_settings s
  cross join lateral (
    select case when from_currency = s.base_currency then 1::numeric else coalesce(
      (select r.rate_to_base from fx_rates r where r.currency = from_currency::char(3) and r.rate_date <= day
        order by r.rate_date desc limit 1),
      (select r.rate_to_base from fx_rates r where r.currency = from_currency::char(3) order by r.rate_date limit 1)
    ) end as rate
  ) f
  cross join lateral (
    select case when to_currency = s.base_currency then 1::numeric else coalesce(
      (select r.rate_to_base from fx_rates r where r.currency = to_currency::char(3) and r.rate_date <= day
        order by r.rate_date desc limit 1),
      (select r.rate_to_base from fx_rates r where r.currency = to_currency::char(3) order by r.rate_date limit 1)
    ) end as rate
  ) t
$$;
