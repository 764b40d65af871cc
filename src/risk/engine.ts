import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import { BadUserInputError } from '../lib/errors.js';
import { isIsoDate } from '../lib/dates.js';
import { annualVolatility, beta, historicalVar, PERIODS_PER_YEAR, sharpeRatio, trackingError } from './metrics.js';
import { priceSeries, returnsOf } from './returns.js';

/** The confidence of risk_metrics.var_95. */
const VAR_95 = 0.95;

export interface RiskEngineRun {
  /** The calculation dates written, ascending. */
  dates: string[];
  /** Rows of risk_metrics written for them (assets with enough returns in the window). */
  rows: number;
  /** Rows of those dates removed because their asset no longer has enough returns. */
  removed: number;
  benchmarkId: string | null;
  riskFreeRate: number;
  /** The trailing window, as PostgreSQL prints the interval (e.g. "3 mons"). */
  window: string;
  seconds: number;
}

interface Settings {
  benchmark: string | null;
  rf: number;
  window: string;
  minReturns: number;
}

/**
 * Writes risk_metrics for every asset and each calculation date, one set-based statement per date:
 * volatility, Sharpe ratio and var_95 of the asset's daily returns in its own currency over the
 * settings' risk_engine_window ending at the date, and beta and tracking error against
 * risk_benchmark_asset_id on the days both have a return (null without a benchmark). An asset with
 * fewer than risk_min_returns returns gets no row. Idempotent: each date's rows are replaced by what
 * the prices say now (upserted on the unique (asset_id, calculation_date), the rows of assets that
 * no longer qualify deleted), all dates in one transaction, so running it again changes nothing.
 */
export async function runRiskEngine(sql: Sql, dates: readonly string[]): Promise<RiskEngineRun> {
  return sql.begin((tx) => writeRiskMetrics(tx, dates)) as Promise<RiskEngineRun>;
}

/** runRiskEngine inside the caller's transaction (the demo seed's). */
export async function writeRiskMetrics(tx: postgres.TransactionSql, dates: readonly string[]): Promise<RiskEngineRun> {
  for (const date of dates) {
    if (!isIsoDate(date)) throw new BadUserInputError(`asOf must be a date as YYYY-MM-DD, got ${JSON.stringify(date)}`, 'asOf');
  }
  const days = [...new Set(dates)].sort();
  const started = performance.now();
  // A plan this size is compiled in a second or more and runs in about as long: JIT only costs here.
  await tx`set local jit = off`;
  const [settings] = await tx<[Settings]>`
    select risk_benchmark_asset_id::text as benchmark, risk_free_rate as rf, risk_engine_window::text as window,
      risk_min_returns as "minReturns"
    from asset_360_settings`;
  let rows = 0;
  let removed = 0;
  for (const day of days) {
    const written = await writeDay(tx as unknown as Sql, day, settings);
    rows += written.rows;
    removed += written.removed;
  }
  return {
    dates: days,
    rows,
    removed,
    benchmarkId: settings.benchmark,
    riskFreeRate: settings.rf,
    window: settings.window,
    seconds: (performance.now() - started) / 1000,
  };
}

async function writeDay(sql: Sql, day: string, settings: Settings): Promise<{ rows: number; removed: number }> {
  const [{ start }] = await sql<[{ start: string }]>`
    select (${day}::date - risk_engine_window)::date::text as start from asset_360_settings`;
  const rf = settings.rf / PERIODS_PER_YEAR;
  const [result] = await sql<[{ rows: number; removed: number; unordered: number }]>`
    -- The benchmark's returns by day of the window (1 = its first day), for a lookup per return. NaN
    -- marks a day without one: an array with nulls is searched element by element, one without in O(1).
    with benchmark as materialized (
      select array(
        select coalesce(b.r, 'NaN') from generate_series(0, ${day}::date - ${start}::date) k
        left join (${returnsOf(sql, priceSeries(sql, start, day, sql`m.asset_id = ${settings.benchmark}::bigint`))}) b
          on b.price_date = ${start}::date + k
        order by k) as by_day
    ),
    -- One pass over market_data in its index order, one price series per asset; each series' returns
    -- stream out of unnest in the select list into the asset's aggregates (a LATERAL per series:
    -- grouping the stream instead would sort every return again, the planner not knowing its order).
    computed as (
      select a.asset_id, m.*
      from (${priceSeries(sql, start, day, sql`true`)}) a
      cross join lateral (
        select count(r.r) as n, coalesce(bool_and(r.in_order), true) as in_order,
          ${annualVolatility(sql, sql`r.r`)} as volatility,
          ${beta(sql, sql`r.r`, sql`r.b`)} as beta,
          ${sharpeRatio(sql, sql`r.r - ${rf}::float8`)} as sharpe_ratio,
          ${historicalVar(sql, sql`r.r`, VAR_95)} as var_95,
          ${trackingError(sql, sql`r.r - r.b`)} as tracking_error
        from (
          select r.r, r.in_order, nullif((select by_day from benchmark)[r.price_date - ${start}::date + 1], 'NaN') as b
          from (${returnsOf(sql, sql`select a.asset_id, a.closes, a.dates`)}) r
        ) r
      ) m
    ),
    kept as (select * from computed where n >= ${settings.minReturns}),
    removed as (
      delete from risk_metrics k
      where k.calculation_date = ${day}::date and not exists (select from kept c where c.asset_id = k.asset_id)
      returning 1
    ),
    written as (
      insert into risk_metrics (asset_id, calculation_date, volatility, beta, sharpe_ratio, var_95, tracking_error)
      select asset_id, ${day}::date, volatility, beta, sharpe_ratio, var_95, tracking_error from kept order by asset_id
      on conflict (asset_id, calculation_date) do update set
        volatility = excluded.volatility, beta = excluded.beta, sharpe_ratio = excluded.sharpe_ratio,
        var_95 = excluded.var_95, tracking_error = excluded.tracking_error
      returning 1
    )
    select (select count(*) from written)::int as rows, (select count(*) from removed)::int as removed,
      (select count(*) from computed where not in_order)::int as unordered`;
  if (result.unordered > 0) throw new Error(`risk engine: ${result.unordered} price series came out of date order; nothing was written`);
  return { rows: result.rows, removed: result.removed };
}
