-- risk_metrics becomes the output of the risk engine (src/risk/engine.ts): one row per asset and
-- calculation date, so that running the engine twice for a date replaces its rows instead of
-- adding a second set. Older duplicates keep their newest row.
delete from risk_metrics k
using risk_metrics newer
where newer.asset_id = k.asset_id and newer.calculation_date = k.calculation_date and newer.metric_id > k.metric_id;
drop index risk_metrics_asset_date;
alter table risk_metrics add constraint risk_metrics_asset_date unique (asset_id, calculation_date);

-- The engine's knobs, beside the build's: the benchmark of beta and tracking error (none: both
-- null), the annual risk-free rate of the Sharpe ratio, the trailing window ending at each
-- calculation date, and the fewest returns worth a figure. No foreign key on the benchmark: the seed
-- truncates asset_master, and an id that names no asset simply gives no benchmark figures.
alter table asset_360_settings
  add column risk_benchmark_asset_id bigint,
  add column risk_free_rate double precision not null default 0 check (risk_free_rate > -1 and risk_free_rate < 1),
  add column risk_engine_window interval not null default interval '3 months' check (risk_engine_window > interval '0'),
  add column risk_min_returns integer not null default 20 check (risk_min_returns >= 2);
