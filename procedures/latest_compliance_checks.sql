-- The latest check of each (asset, rule) in the compliance window that ends at `as_of` (the
-- settings' compliance_window, both ends included); ties on the date go to the later record.
-- asset_360.active_violations counts the VIOLATIONs among these rows and Asset.violations lists them,
-- so the two cannot disagree. A SQL function the planner inlines: a filter on asset_id reaches the index.
-- The settings are joined rather than read by a sub-select: the planner then estimates the window
-- (about a third of the rows) instead of taking an unknown lower bound for a narrow range (0.5 %),
-- which made the build sort the whole window rather than read it in order from the covering index
-- compliance_records_asset_rule_latest (db/0090), about three times the cost.
create or replace function latest_compliance_checks(as_of date)
returns setof compliance_records
language sql
stable
parallel safe
as $$
  select distinct on (c.asset_id, c.rule_id) c.*
  from compliance_records c
  cross join asset_360_settings s
  where c.check_date >= (latest_compliance_checks.as_of - s.compliance_window)::date
    and c.check_date <= latest_compliance_checks.as_of
  order by c.asset_id, c.rule_id, c.check_date desc, c.compliance_id desc
$$;
