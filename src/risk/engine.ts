import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import { BadUserInputError } from '../lib/errors.js';
import { epochDay, isIsoDate, isoDate } from '../lib/dates.js';
import { annualVolatility, beta, historicalVar, PERIODS_PER_YEAR, sharpeRatio, trackingError } from './metrics.js';
import { closesAggregate, closesOf, firstAtOrAfter, type AggregatedCloses, type Closes } from './prices.js';
import { returnsOf } from './returns.js';

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
  /** The first day of each calculation date's window (ascending with the dates), as epoch days. */
  starts: number[];
}

/** The rows of risk_metrics to write, as columns. */
interface Written {
  assetIds: string[];
  dates: string[];
  volatility: (number | null)[];
  beta: (number | null)[];
  sharpe: (number | null)[];
  var95: (number | null)[];
  trackingError: (number | null)[];
}

/**
 * Writes risk_metrics for every asset and each calculation date: volatility, Sharpe ratio and var_95
 * of the asset's daily returns in its own currency over the settings' risk_engine_window ending at
 * the date, and beta and tracking error against risk_benchmark_asset_id on the days both have a
 * return (null without a benchmark). An asset with fewer than risk_min_returns returns gets no row.
 * One statement reads every close of every window (src/risk/prices.ts), src/risk/metrics.ts computes
 * the figures, and one statement writes them all. Idempotent: each date's rows are replaced by what
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
  const [settings] = await tx<[Settings]>`
    select risk_benchmark_asset_id::text as benchmark, risk_free_rate as rf, risk_engine_window::text as window,
      risk_min_returns as "minReturns",
      array(select (d - risk_engine_window)::date - date '1970-01-01' from unnest(${days}::date[]) d order by d) as starts
    from asset_360_settings`;
  let written: Written | null = null;
  if (days.length > 0) {
    const first = Math.min(...settings.starts);
    const from = isoDate(first);
    // Each asset's row is read as it arrives, while the server aggregates the next ones.
    const rows: Closes[] = [];
    await tx<AggregatedCloses[]>`${closesAggregate(tx as unknown as Sql, from, days[days.length - 1]!, tx`true`)}`.forEach((row) => {
      rows.push(closesOf(row, first));
    });
    written = computeRiskMetrics(rows, days, settings);
  }
  const [result] = await tx<[{ rows: number; removed: number }]>`
    with kept as (
      select * from unnest(${written?.assetIds ?? []}::bigint[], ${written?.dates ?? []}::date[], ${written?.volatility ?? []}::float8[],
        ${written?.beta ?? []}::float8[], ${written?.sharpe ?? []}::float8[], ${written?.var95 ?? []}::float8[],
        ${written?.trackingError ?? []}::float8[]) as k(asset_id, calculation_date, volatility, beta, sharpe_ratio, var_95, tracking_error)
    ),
    removed as (
      delete from risk_metrics r
      where r.calculation_date = any(${days}::date[])
        and not exists (select from kept k where k.asset_id = r.asset_id and k.calculation_date = r.calculation_date)
      returning 1
    ),
    written as (
      insert into risk_metrics (asset_id, calculation_date, volatility, beta, sharpe_ratio, var_95, tracking_error)
      select * from kept order by asset_id, calculation_date
      on conflict (asset_id, calculation_date) do update set
        volatility = excluded.volatility, beta = excluded.beta, sharpe_ratio = excluded.sharpe_ratio,
        var_95 = excluded.var_95, tracking_error = excluded.tracking_error
      returning 1
    )
    select (select count(*) from written)::int as rows, (select count(*) from removed)::int as removed`;
  return {
    dates: days,
    rows: result.rows,
    removed: result.removed,
    benchmarkId: settings.benchmark,
    riskFreeRate: settings.rf,
    window: settings.window,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The figures of every asset with enough returns in each date's window. */
function computeRiskMetrics(series: Closes[], days: readonly string[], settings: Settings): Written {
  const out: Written = { assetIds: [], dates: [], volatility: [], beta: [], sharpe: [], var95: [], trackingError: [] };
  const rf = settings.rf / PERIODS_PER_YEAR;
  const benchmark = series.find((s) => s.assetId === settings.benchmark) ?? null;
  days.forEach((date, d) => {
    const start = settings.starts[d]!;
    const end = epochDay(date) + 1;
    const inWindow = (s: Closes) => returnsOf(s, undefined, firstAtOrAfter(s.days, start), firstAtOrAfter(s.days, end));
    // The benchmark's return of each calendar day of the window; NaN for a day without one.
    const benchmarkByDay = new Float64Array(end - start).fill(NaN);
    if (benchmark) {
      const b = inWindow(benchmark);
      for (let i = 0; i < b.r.length; i++) benchmarkByDay[b.days[i]! - start] = b.r[i]!;
    }
    // Scratch space for each asset in turn: a window holds at most a return a day.
    const excess = new Float64Array(end - start);
    const paired = new Float64Array(end - start);
    const b = new Float64Array(end - start);
    const active = new Float64Array(end - start);
    for (const s of series) {
      const { r, days: on } = inWindow(s);
      if (r.length < settings.minReturns) continue;
      // The asset's and the benchmark's returns on the days both have one, and r − rf.
      let pairs = 0;
      for (let i = 0; i < r.length; i++) {
        const x = benchmarkByDay[on[i]! - start]!;
        excess[i] = r[i]! - rf;
        if (!Number.isNaN(x)) {
          paired[pairs] = r[i]!;
          b[pairs] = x;
          active[pairs] = r[i]! - x;
          pairs++;
        }
      }
      out.assetIds.push(s.assetId);
      out.dates.push(date);
      out.volatility.push(annualVolatility(r));
      out.sharpe.push(sharpeRatio(excess.subarray(0, r.length)));
      out.var95.push(historicalVar(r, VAR_95));
      out.beta.push(beta(paired.subarray(0, pairs), b.subarray(0, pairs)));
      out.trackingError.push(trackingError(active.subarray(0, pairs)));
    }
  });
  return out;
}
