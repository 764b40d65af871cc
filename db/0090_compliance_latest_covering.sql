-- latest_compliance_checks reads the window of compliance_records in (asset, rule, newest first)
-- order; with status in the index, the build's pass over it (the latest status of each rule of
-- each asset) is an index-only scan, without a sort and without visiting the table. Same name and key.
drop index compliance_records_asset_rule_latest;
create index compliance_records_asset_rule_latest
  on compliance_records (asset_id, rule_id, check_date desc, compliance_id desc) include (status);
