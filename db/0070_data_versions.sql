-- The version of each source of data the graph reads, for the response cache (docs/cache.md).
-- A statement-level trigger on every table bumps its source's row in the writing transaction, so a
-- version changes exactly when the rows change and becomes visible in the same commit, whoever
-- writes (the server, a build, an import, psql). A request reads the versions in one statement
-- before its resolvers run: an entry keyed by them can never hold data older than they say.
create table data_versions (
  source text primary key,
  version bigint not null
);

-- '#instance' is not a source: a random number per database created by the migrations, part of the
-- cache's key prefix, so that a database dropped and created again never reads the old entries.
insert into data_versions (source, version)
select source, 1
from unnest(array[
  'build', 'settings', 'trades', 'market', 'fx', 'allocations', 'compliance', 'reference',
  'owners', 'ledger', 'audit', 'risk', 'optimizer'
]) as source
union all
select '#instance', floor(random() * 9.2e18)::bigint;

-- greatest(…, clock): a database restored from a backup never hands out a version again that the
-- old one already used for other data (the cache would serve those entries), as long as the clock
-- does not run backwards. The row lock it takes is held to the commit: writers of one source
-- serialize from their first write of it (bench:import, bench:audit measure what that costs).
create function data_versions_bump() returns trigger
language plpgsql
as $function$
begin
  update data_versions
  set version = greatest(version + 1, (extract(epoch from clock_timestamp()) * 1e6)::bigint)
  where source = tg_argv[0];
  return null;
end
$function$;

do $do$
declare
  entry record;
begin
  for entry in
    select * from (values
      ('asset_360', 'build'), ('asset_360_builds', 'build'), ('asset_360_dashboard_slices', 'build'),
      ('asset_360_dashboard_rankings', 'build'), ('asset_360_dashboard_totals', 'build'),
      ('asset_360_settings', 'settings'),
      ('transactions', 'trades'), ('position_lots', 'trades'), ('trade_realizations', 'trades'),
      ('transaction_daily_volume', 'trades'),
      ('market_data', 'market'), ('performance_history', 'market'),
      ('fx_rates', 'fx'),
      ('portfolio_allocation', 'allocations'),
      ('compliance_records', 'compliance'),
      ('asset_master', 'reference'), ('counterparty_info', 'reference'), ('portfolios', 'reference'),
      ('organizations', 'owners'), ('users', 'owners'), ('memberships', 'owners'),
      ('accounts', 'ledger'), ('cash_movements', 'ledger'), ('cash_category_rules', 'ledger'),
      ('audit_log', 'audit'),
      ('risk_metrics', 'risk'),
      ('rebalance_decisions', 'optimizer')
    ) as t (table_name, source)
  loop
    execute format(
      'create trigger %I after insert or update or delete or truncate on %I for each statement execute function data_versions_bump(%L)',
      entry.table_name || '_data_version', entry.table_name, entry.source);
    -- ALWAYS: a bulk load under session_replication_role = replica must bump the version too.
    execute format('alter table %I enable always trigger %I', entry.table_name, entry.table_name || '_data_version');
  end loop;
end
$do$;
