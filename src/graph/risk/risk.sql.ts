import type { Sql } from '../../infra/db.js';
import * as m from '../../risk/metrics.js';
import { PERIODS_PER_YEAR, type Fragment } from '../../risk/metrics.js';
import { finite, MAX_CORRELATED, type RiskOptions } from '../../risk/options.js';
import { fxByDay } from '../../risk/fx.js';
import { priceSeries, returnsOf } from '../../risk/returns.js';
import { valuedHoldings } from '../position/position.sql.js';

/**
 * Runs one statement with JIT off. These statements run in milliseconds, but their estimated cost
 * (CTEs the planner cannot see into) passes jit_above_cost, and compiling them takes a second. A
 * portfolio's returns (150 k rows for 200 holdings over 3 years) are kept for three readers: in
 * memory, not in a temporary file.
 */
async function withoutJit<T>(sql: Sql, statement: (sql: Sql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx`set local jit = off`;
    await tx`set local work_mem = '64MB'`;
    return statement(tx as unknown as Sql);
  })) as T;
}

/** The figures of a series of returns, as risk.type.ts's RiskProfile has them. */
export interface RiskFigures {
  returns: number;
  firstDate: string | null;
  lastDate: string | null;
  benchmarkReturns: number;
  meanReturn: number | null;
  cumulativeReturn: number | null;
  annualReturn: number | null;
  volatility: number | null;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
  downsideRisk: number | null;
  valueAtRisk: number | null;
  parametricValueAtRisk: number | null;
  expectedShortfall: number | null;
  maxDrawdown: number | null;
  maxDrawdownPeak: string | null;
  maxDrawdownTrough: string | null;
  beta: number | null;
  alpha: number | null;
  trackingError: number | null;
  informationRatio: number | null;
}

export interface PositionRiskRow {
  assetId: string;
  weight: number;
  marketValueBase: string;
  volatility: number | null;
  valueAtRisk: number | null;
  marginalValueAtRisk: number | null;
  componentValueAtRisk: number | null;
}

export interface PortfolioRiskResult {
  /**
   * The daily returns of the first MAX_CORRELATED holdings (largest weight first) on the
   * portfolio's dates, in date order: what the correlation matrix is computed from.
   */
  series: number[][];
  figures: RiskFigures;
  baseCurrency: string;
  asOf: string;
  positions: PositionRiskRow[];
}

export interface ResolvedWindow {
  from: string;
  to: string;
}

/**
 * The window's dates: `to`, or the latest price date of the rows `where` selects; `from`, or `to`
 * minus the span. Null when there is no price to end at.
 */
export async function resolveWindow(sql: Sql, options: RiskOptions, where: Fragment): Promise<ResolvedWindow | null> {
  const [row] = await sql<[{ from: string | null; to: string | null }]>`
    select coalesce(${options.from}::date, (t.day - ${options.span}::interval)::date)::text as from, t.day::text as to
    from (select coalesce(${options.to}::date, (select max(m.price_date) from market_data m where ${where})) as day) t`;
  return row.from && row.to ? { from: row.from, to: row.to } : null;
}

/**
 * The figures of the series `returns` (columns price_date, previous_date, r, and b: the benchmark's
 * return that day, or null), in one row.
 */
function figures(sql: Sql, returns: Fragment, options: RiskOptions): Fragment {
  const rf = options.riskFreeRate / PERIODS_PER_YEAR;
  const c = options.confidence;
  const r = sql`s.r`;
  const excess = sql`(s.r - ${rf}::float8)`;
  const active = sql`(s.r - s.b)`;
  return sql`
    select f.*, (f.drawdown).drawdown as max_drawdown,
      case (f.drawdown).peak when 0 then f.first_price_date else f.dates[(f.drawdown).peak] end as max_drawdown_peak,
      case (f.drawdown).trough when 0 then f.first_price_date else f.dates[(f.drawdown).trough] end as max_drawdown_trough
    from (
      select count(${r})::int as returns, min(s.price_date)::text as first_date, max(s.price_date)::text as last_date,
        count(s.b)::int as benchmark_returns,
        ${m.meanReturn(sql, r)} as mean_return,
        ${m.cumulativeReturn(sql, r)} as cumulative_return,
        ${m.annualReturn(sql, r)} as annual_return,
        ${m.annualVolatility(sql, r)} as volatility,
        ${m.sharpeRatio(sql, excess)} as sharpe_ratio,
        ${m.sortinoRatio(sql, excess)} as sortino_ratio,
        ${m.downsideRisk(sql, excess)} as downside_risk,
        ${m.historicalVar(sql, r, c)} as value_at_risk,
        ${m.parametricVar(sql, r, c)} as parametric_value_at_risk,
        ${m.conditionalVar(sql, r, c)} as expected_shortfall,
        ${m.beta(sql, r, sql`s.b`)} as beta,
        ${m.alpha(sql, excess, sql`(s.b - ${rf}::float8)`)} as alpha,
        ${m.trackingError(sql, active)} as tracking_error,
        ${m.informationRatio(sql, active)} as information_ratio,
        risk_max_drawdown(${m.returnsInOrder(sql, r, sql`s.price_date`)}) as drawdown,
        array_agg(s.price_date::text order by s.price_date) as dates,
        (array_agg(s.previous_date::text order by s.price_date))[1] as first_price_date
      from (${returns}) s
    ) f`;
}

interface FigureRow {
  returns: number;
  first_date: string | null;
  last_date: string | null;
  benchmark_returns: number;
  mean_return: number | null;
  cumulative_return: number | null;
  annual_return: number | null;
  volatility: number | null;
  sharpe_ratio: number | null;
  sortino_ratio: number | null;
  downside_risk: number | null;
  value_at_risk: number | null;
  parametric_value_at_risk: number | null;
  expected_shortfall: number | null;
  beta: number | null;
  alpha: number | null;
  tracking_error: number | null;
  information_ratio: number | null;
  max_drawdown: number | null;
  max_drawdown_peak: string | null;
  max_drawdown_trough: string | null;
}

function toFigures(row: FigureRow): RiskFigures {
  return {
    returns: row.returns,
    firstDate: row.first_date,
    lastDate: row.last_date,
    benchmarkReturns: row.benchmark_returns,
    meanReturn: finite(row.mean_return),
    cumulativeReturn: finite(row.cumulative_return),
    annualReturn: finite(row.annual_return),
    volatility: finite(row.volatility),
    sharpeRatio: finite(row.sharpe_ratio),
    sortinoRatio: finite(row.sortino_ratio),
    downsideRisk: finite(row.downside_risk),
    valueAtRisk: finite(row.value_at_risk),
    parametricValueAtRisk: finite(row.parametric_value_at_risk),
    expectedShortfall: finite(row.expected_shortfall),
    maxDrawdown: row.returns > 0 ? finite(row.max_drawdown) : null,
    maxDrawdownPeak: row.returns > 0 ? row.max_drawdown_peak : null,
    maxDrawdownTrough: row.returns > 0 ? row.max_drawdown_trough : null,
    beta: finite(row.beta),
    alpha: finite(row.alpha),
    trackingError: finite(row.tracking_error),
    informationRatio: finite(row.information_ratio),
  };
}

/** Whether the asset exists (for a benchmark id); its currency when it does. */
export async function assetCurrency(sql: Sql, assetId: string): Promise<string | null> {
  const [row] = await sql<[{ currency: string }?]>`select currency from asset_master where asset_id = ${assetId}::bigint`;
  return row?.currency ?? null;
}

/** An asset's figures over the window, in its own currency, in one statement. */
export async function assetRisk(sql: Sql, assetId: string, window: ResolvedWindow, options: RiskOptions): Promise<RiskFigures> {
  const series = (id: string | null) => sql`
    select r.price_date, r.previous_date, r.r
    from (${returnsOf(sql, priceSeries(sql, window.from, window.to, sql`m.asset_id = ${id}::bigint`))}) r
    where r.r is not null`;
  const [row] = await withoutJit(
    sql,
    (sql) => sql<[FigureRow]>`
    with asset as (${series(assetId)}),
    benchmark as (${series(options.benchmarkId)})
    ${figures(sql, sql`select a.*, b.r as b from asset a left join benchmark b using (price_date)`, options)}`,
  );
  return toFigures(row);
}

interface PositionRow extends PositionRiskRow {
  rank: number;
  /** The holding's returns on the portfolio's dates (the first MAX_CORRELATED holdings only), in any order. */
  returns: number[] | null;
  /** The day of each, as days after the window's from. */
  days: number[] | null;
}

/** A holding's returns in date order. */
function inDateOrder({ returns, days }: PositionRow): number[] {
  if (!returns || !days) return [];
  return days
    .map((day, i) => [day, returns[i]!] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => r);
}

/**
 * A portfolio's figures over the window, in the build settings' base currency: the positions held
 * at the end of asOf, weighted by their market values in base currency then; each asset's returns
 * from its closes times the FX rate of each day; the portfolio's return Σ wᵢ·rᵢ on the dates on
 * which every holding has a return. Null when nothing it holds has a price and an FX rate at asOf.
 * One statement: the returns are computed once, for the portfolio, its holdings, the benchmark and
 * the correlations (`series`).
 */
export async function portfolioRisk(
  sql: Sql,
  portfolioId: string,
  asOf: string,
  window: ResolvedWindow,
  options: RiskOptions,
  visible: Fragment,
): Promise<PortfolioRiskResult | null> {
  const c = options.confidence;
  const [row] = await withoutJit(
    sql,
    (sql) => sql<[(FigureRow & { base_currency: string; positions: PositionRow[] | null })?]>`
    with held as (
      select h.asset_id, h.currency, h.market_value * h.rate as value
      from (${valuedHoldings(sql, [portfolioId], asOf, visible)}) h
      where h.market_value is not null and h.rate is not null and h.market_value * h.rate > 0
    ),
    -- rank: the order of the positions (largest weight first), the first MAX_CORRELATED of which are correlated.
    weights as (
      select asset_id, currency, value, (value / sum(value) over ())::float8 as weight,
        row_number() over (order by value desc, asset_id::text) as rank
      from held
    ),
    -- The holdings and the benchmark, each once; weight is null for a benchmark the portfolio does not hold.
    members as (
      select a.asset_id, a.currency, w.weight
      from asset_master a
      left join weights w using (asset_id)
      where a.asset_id in (select asset_id from weights) or a.asset_id = ${options.benchmarkId}::bigint
    ),
    fx as materialized (${fxByDay(sql, sql`select distinct currency from members`, window)}),
    series as (
      select s.asset_id, s.closes, s.dates, m.weight, fx.by_day as fx
      from (${priceSeries(sql, window.from, window.to, sql`m.asset_id = any(array(select asset_id from members))`)}) s
      join members m using (asset_id)
      join fx using (currency)
    ),
    returns as (
      select * from (${returnsOf(sql, sql`select * from series`, { carry: ['weight'], fxFrom: window.from })}) r
      where r.r is not null
    ),
    -- The dates on which every holding has a return, the portfolio's return and the benchmark's.
    portfolio as (
      select price_date, min(previous_date) filter (where weight is not null) as previous_date,
        sum(weight * r) filter (where weight is not null) as r,
        min(r) filter (where asset_id = ${options.benchmarkId}::bigint) as b
      from returns
      group by price_date
      having count(*) filter (where weight is not null) = (select count(*) from weights)
    ),
    summary as (${figures(sql, sql`select price_date, previous_date, r, b from portfolio`, options)}),
    spread as (select stddev_samp(r) as sigma from portfolio),
    -- Each holding on the portfolio's dates, beside the portfolio. Grouped by hashing, without a sort
    -- of every return: the correlated holdings' series come with their days, to be put in order.
    stats as (
      select j.asset_id,
        ${m.annualVolatility(sql, sql`j.r`)} as volatility,
        ${m.parametricVar(sql, sql`j.r`, c)} as "valueAtRisk",
        -avg(j.r) + normal_quantile(${c}::float8) * covar_samp(j.r, j.portfolio_r) / nullif((select sigma from spread), 0) as "marginalValueAtRisk",
        array_agg(j.r) filter (where j.correlated) as returns,
        array_agg(j.day) filter (where j.correlated) as days
      from (
        select r.asset_id, r.r, p.r as portfolio_r, r.price_date - ${window.from}::date as day, w.rank <= ${MAX_CORRELATED} as correlated
        from returns r
        join portfolio p using (price_date)
        join weights w using (asset_id)
      ) j
      group by j.asset_id
    ),
    positions as (
      select w.asset_id::text as "assetId", w.weight, w.value::text as "marketValueBase", w.rank,
        s.volatility, s."valueAtRisk", s."marginalValueAtRisk", s.returns, s.days
      from weights w
      left join stats s using (asset_id)
    )
    select s.*, (select base_currency from asset_360_settings) as base_currency,
      (select json_agg(positions order by rank) from positions) as positions
    from summary s
    where exists (select from weights)`,
  );
  if (!row) return null;
  const positions = row.positions ?? [];
  return {
    figures: toFigures(row),
    asOf,
    baseCurrency: row.base_currency,
    series: positions.slice(0, MAX_CORRELATED).map(inDateOrder),
    positions: positions.map(({ returns: _returns, days: _days, rank: _rank, ...position }) => ({
      ...position,
      volatility: finite(position.volatility),
      valueAtRisk: finite(position.valueAtRisk),
      marginalValueAtRisk: finite(position.marginalValueAtRisk),
      componentValueAtRisk: finite(position.marginalValueAtRisk === null ? null : position.weight * position.marginalValueAtRisk),
    })),
  };
}
