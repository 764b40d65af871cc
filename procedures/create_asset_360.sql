-- create_asset_360: rebuilds asset_360 as of a date (see shared/spec/asset_360.md).
--
-- Must be CALLed at top level (autocommit), because it commits twice: once so that its 'running'
-- row is visible to others and survives a crash, once to publish. Inside a transaction block the
-- first COMMIT fails with "invalid transaction termination" and nothing is recorded.

-- The product of the inputs, with float8mul's own overflow checks; NULL when there are none.
create or replace aggregate asset_360_product(double precision) (
  sfunc = float8mul,
  stype = double precision,
  combinefunc = float8mul,
  parallel = safe
);

-- An overload with as_of alone would make CALL create_asset_360() ambiguous.
drop procedure if exists create_asset_360(date);

create or replace procedure create_asset_360(as_of date default current_date, inout build_id bigint default null)
language plpgsql
as $procedure$
declare
  -- The build lock, 'a360buld' in ASCII; pg_locks shows it as classid 0x61333630, objid 0x62756c64.
  lock_key constant bigint := 7004001426929445988;
  v_as_of constant date := as_of;
  v_build bigint;
  v_holder bigint;
  v_waiting_since timestamptz;
  v_locked_at timestamptz;
  v_abandoned bigint[];
  v_rows integer;
  v_inserted integer;
  v_performance_from date;
  v_risk_from date;
  v_transaction_from date;
  v_state text;
  v_message text;
  v_detail text;
  -- The rebuild job that runs this build, if any (src/jobs/build-asset-360.ts), for the audit log.
  v_job constant text := nullif(current_setting('asset360.job_id', true), '');
  v_abandoned_id bigint;
  s asset_360_settings;
begin
  if v_as_of is null then
    raise exception 'create_asset_360: as_of must be a date, not NULL' using errcode = 'null_value_not_allowed';
  end if;

  insert into asset_360_builds (as_of, backend_start)
  values (v_as_of, (select a.backend_start from pg_stat_activity a where a.pid = pg_backend_pid()))
  returning asset_360_builds.build_id into v_build;
  perform audit_append(audit_actor_subject(), audit_actor_role(), 'build.started', 'asset_360_build', v_build::text,
    jsonb_build_object('build_id', v_build::text, 'as_of', v_as_of, 'job_id', v_job));
  commit;
  -- One statement computes everything, so read committed gives it one snapshot; under a server
  -- default of serializable the build would only add the risk of serialization failures.
  set transaction isolation level read committed;

  begin
    if not pg_try_advisory_xact_lock(lock_key) then
      v_waiting_since := clock_timestamp();
      select b.build_id into v_holder
      from pg_locks l
      join asset_360_builds b on b.backend_pid = l.pid and b.status = 'running'
      where l.locktype = 'advisory' and l.granted
        and l.database = (select d.oid from pg_database d where d.datname = current_database())
        and l.classid = 1630746160 and l.objid = 1651862628 and l.objsubid = 1
      order by b.build_id desc
      limit 1;
      perform pg_advisory_xact_lock(lock_key);
      raise notice 'create_asset_360: build % waited % s for build % to finish', v_build,
        round(extract(epoch from clock_timestamp() - v_waiting_since)::numeric, 3), coalesce(v_holder::text, '(unknown)');
    end if;
    v_locked_at := clock_timestamp();

    -- A 'running' row whose session has ended belongs to a build that crashed or was killed.
    -- A missing backend_start in the view (another role, no pg_read_all_stats) counts as alive.
    -- Found first and marked only when there are any: an update of no rows would still bump the
    -- log's data version and hold its lock for the whole build.
    select array_agg(b.build_id order by b.build_id) into v_abandoned
    from asset_360_builds b
    where b.status = 'running' and b.build_id <> v_build
      and not exists (
        select 1 from pg_stat_activity a
        where a.pid = b.backend_pid
          and (a.backend_start is null or b.backend_start is null or a.backend_start = b.backend_start));
    if v_abandoned is not null then
      update asset_360_builds b
      set status = 'failed', finished_at = clock_timestamp(), error = 'abandoned: the session running it ended'
      where b.build_id = any(v_abandoned);
      raise notice 'create_asset_360: marked builds % as failed, their sessions ended', array_to_string(v_abandoned, ', ');
    end if;

    select * into strict s from asset_360_settings;
    v_performance_from := (v_as_of - s.performance_window)::date;
    v_risk_from := (v_as_of - s.risk_window)::date;
    v_transaction_from := (v_as_of - s.transaction_window)::date;

    -- Hash aggregates by asset need room; the cached plans of this procedure must be re-planned for
    -- each as_of, or the window predicates get generic estimates; compiling this plan with JIT, once
    -- per parallel worker, costs more than it saves.
    perform set_config('work_mem', '256MB', true);
    perform set_config('plan_cache_mode', 'force_custom_plan', true);
    perform set_config('jit', 'off', true);

    -- Computed apart from the publication because CREATE TABLE AS may use parallel workers and
    -- INSERT ... SELECT may not; the table vanishes with the transaction, committed or rolled back.
    create temp table asset_360_stage on commit drop as
    with
    fx as (
      select c.currency, r.rate_to_base
      from (select distinct m.currency from asset_master m) c
      cross join lateral fx_rate_to_base(c.currency, v_as_of) r
    ),
    trades as (
      select t.asset_id,
        sum(case t.transaction_type when 'BUY' then t.quantity else -t.quantity end) as position_quantity,
        count(*) filter (where t.transaction_date >= v_transaction_from)::integer as total_transactions,
        count(*) filter (where t.transaction_date >= v_transaction_from and t.transaction_type = 'BUY')::integer as total_purchases,
        count(*) filter (where t.transaction_date >= v_transaction_from and t.transaction_type = 'SELL')::integer as total_sales,
        avg(t.transaction_costs) filter (where t.transaction_date >= v_transaction_from) as avg_transaction_cost
      from transactions t
      where t.transaction_date <= v_as_of
      group by t.asset_id
    ),
    performance as (
      select p.asset_id,
        avg(p.daily_return) as avg_daily_return,
        asset_360_product(1 + p.daily_return) - 1 as total_return
      from performance_history p
      where p.date >= v_performance_from and p.date <= v_as_of
      group by p.asset_id
    ),
    risk as (
      select r.asset_id,
        avg(r.volatility) as avg_volatility,
        avg(r.var_95) as value_at_risk,
        avg(r.beta) as beta,
        avg(r.sharpe_ratio) as sharpe_ratio
      from risk_metrics r
      where r.calculation_date >= v_risk_from and r.calculation_date <= v_as_of
      group by r.asset_id
    ),
    compliance as (
      select l.asset_id,
        count(*) filter (where l.status = 'VIOLATION')::integer as active_violations,
        max(l.check_date) as last_compliance_check
      from latest_compliance_checks(v_as_of) l
      group by l.asset_id
    )
    select a.asset_id, a.asset_name, a.asset_type, a.isin, a.currency, a.issuer, a.issue_date, a.maturity_date,
      a.par_value, a.rating, a.sector, a.issuing_country, a.status,
      px.closing_price as current_price,
      px.price_date,
      coalesce(tr.position_quantity, 0) as position_quantity,
      v.market_value,
      v.fx_rate,
      v.market_value * v.fx_rate as market_value_base,
      pf.avg_daily_return,
      pf.total_return,
      rk.avg_volatility,
      rk.value_at_risk,
      rk.beta,
      rk.sharpe_ratio,
      coalesce(tr.total_transactions, 0) as total_transactions,
      coalesce(tr.total_purchases, 0) as total_purchases,
      coalesce(tr.total_sales, 0) as total_sales,
      tr.avg_transaction_cost,
      coalesce(co.active_violations, 0) as active_violations,
      co.last_compliance_check,
      case when rk.value_at_risk is null then 'UNKNOWN'
           when rk.value_at_risk > s.var_high then 'HIGH'
           when rk.value_at_risk > s.var_medium then 'MEDIUM'
           else 'LOW' end as risk_category,
      case when pf.total_return is null then 'UNKNOWN'
           when pf.total_return > s.return_outperform then 'OUTPERFORMING'
           when pf.total_return < s.return_underperform then 'UNDERPERFORMING'
           else 'NEUTRAL' end as performance_category,
      case when v.market_value * v.fx_rate is null then 'UNKNOWN'
           when v.market_value * v.fx_rate > s.size_large then 'LARGE'
           when v.market_value * v.fx_rate > s.size_medium then 'MEDIUM'
           else 'SMALL' end as position_size,
      v_as_of as as_of,
      v_build as build_id
    from asset_master a
    left join lateral (
      select m.closing_price, m.price_date
      from market_data m
      where m.asset_id = a.asset_id and m.price_date <= v_as_of
      order by m.price_date desc
      limit 1
    ) px on true
    left join trades tr on tr.asset_id = a.asset_id
    left join fx on fx.currency = a.currency
    left join performance pf on pf.asset_id = a.asset_id
    left join risk rk on rk.asset_id = a.asset_id
    left join compliance co on co.asset_id = a.asset_id
    cross join lateral (
      select px.closing_price * coalesce(tr.position_quantity, 0) as market_value,
        fx.rate_to_base as fx_rate
    ) v;

    -- Readers keep seeing the previous rows until this transaction commits, then the new ones: an
    -- MVCC switch that blocks no reader and keeps the table's OID, indexes, grants and dependent views.
    -- TRUNCATE or swapping in another table would show an empty table to snapshots taken before it.
    -- Each asset's row is updated in place rather than deleted and inserted again: with the free
    -- space the table keeps on its pages (fillfactor, db/0091), the new version goes on the same page
    -- and, when no indexed column changed (the usual case), into none of the nine indexes (a HOT
    -- update), which halves the cost of publishing. The dashboard's trigger refreshes once, after
    -- the last of the three statements.
    perform set_config('asset360.dashboard_deferred', 'on', true);
    delete from asset_360 a where not exists (select from asset_360_stage g where g.asset_id = a.asset_id);
    update asset_360 a set (asset_name, asset_type, isin, currency, issuer, issue_date, maturity_date, par_value, rating,
      sector, issuing_country, status, current_price, price_date, position_quantity, market_value, fx_rate,
      market_value_base, avg_daily_return, total_return, avg_volatility, value_at_risk, beta, sharpe_ratio,
      total_transactions, total_purchases, total_sales, avg_transaction_cost, active_violations,
      last_compliance_check, risk_category, performance_category, position_size, as_of, build_id) = (
      g.asset_name, g.asset_type, g.isin, g.currency, g.issuer, g.issue_date, g.maturity_date, g.par_value,
      g.rating, g.sector, g.issuing_country, g.status, g.current_price, g.price_date, g.position_quantity,
      g.market_value, g.fx_rate, g.market_value_base, g.avg_daily_return, g.total_return, g.avg_volatility,
      g.value_at_risk, g.beta, g.sharpe_ratio, g.total_transactions, g.total_purchases, g.total_sales,
      g.avg_transaction_cost, g.active_violations, g.last_compliance_check, g.risk_category,
      g.performance_category, g.position_size, g.as_of, g.build_id)
    from asset_360_stage g
    where g.asset_id = a.asset_id;
    get diagnostics v_rows = row_count;
    perform set_config('asset360.dashboard_deferred', 'off', true);
    insert into asset_360 (asset_id, asset_name, asset_type, isin, currency, issuer, issue_date, maturity_date, par_value, rating,
      sector, issuing_country, status, current_price, price_date, position_quantity, market_value, fx_rate,
      market_value_base, avg_daily_return, total_return, avg_volatility, value_at_risk, beta, sharpe_ratio,
      total_transactions, total_purchases, total_sales, avg_transaction_cost, active_violations,
      last_compliance_check, risk_category, performance_category, position_size, as_of, build_id)
    select g.asset_id, g.asset_name, g.asset_type, g.isin, g.currency, g.issuer, g.issue_date, g.maturity_date, g.par_value,
      g.rating, g.sector, g.issuing_country, g.status, g.current_price, g.price_date, g.position_quantity,
      g.market_value, g.fx_rate, g.market_value_base, g.avg_daily_return, g.total_return, g.avg_volatility,
      g.value_at_risk, g.beta, g.sharpe_ratio, g.total_transactions, g.total_purchases, g.total_sales,
      g.avg_transaction_cost, g.active_violations, g.last_compliance_check, g.risk_category,
      g.performance_category, g.position_size, g.as_of, g.build_id
    from asset_360_stage g
    where not exists (select from asset_360 a where a.asset_id = g.asset_id);
    get diagnostics v_inserted = row_count;
    v_rows := v_rows + v_inserted;
  exception when others or query_canceled then
    get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
      v_detail = pg_exception_detail;
  end;

  update asset_360_builds b
  set status = case when v_state is null then 'succeeded' else 'failed' end,
    locked_at = v_locked_at,
    finished_at = clock_timestamp(),
    row_count = v_rows,
    error = case when v_state is null then null else v_state || ': ' || v_message end
  where b.build_id = v_build;
  -- Last before the commit: the audit lock is then held only for the commit itself.
  if v_state is null then
    -- Marked failed in this transaction's subtransaction, which a failed build rolls back.
    foreach v_abandoned_id in array coalesce(v_abandoned, '{}') loop
      perform audit_append(audit_actor_subject(), audit_actor_role(), 'build.failed', 'asset_360_build', v_abandoned_id::text,
        jsonb_build_object('build_id', v_abandoned_id::text,
          'as_of', (select b.as_of from asset_360_builds b where b.build_id = v_abandoned_id),
          'error', 'abandoned: the session running it ended', 'job_id', null));
    end loop;
    perform audit_append(audit_actor_subject(), audit_actor_role(), 'build.succeeded', 'asset_360_build', v_build::text,
      jsonb_build_object('build_id', v_build::text, 'as_of', v_as_of, 'row_count', v_rows, 'job_id', v_job));
  else
    perform audit_append(audit_actor_subject(), audit_actor_role(), 'build.failed', 'asset_360_build', v_build::text,
      jsonb_build_object('build_id', v_build::text, 'as_of', v_as_of, 'error', v_state || ': ' || v_message, 'job_id', v_job));
  end if;
  commit;

  if v_state is not null then
    if v_detail is null then
      raise exception 'asset_360 build % failed: %', v_build, v_message using errcode = v_state;
    end if;
    raise exception 'asset_360 build % failed: %', v_build, v_message using errcode = v_state, detail = v_detail;
  end if;
  build_id := v_build;
end
$procedure$;
