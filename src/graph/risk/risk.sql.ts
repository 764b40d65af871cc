import type { Sql } from '../../infra/db.js';
import * as m from '../../risk/metrics.js';
import { PERIODS_PER_YEAR, type Fragment } from '../../risk/metrics.js';
import { finite, type RiskOptions } from '../../risk/options.js';
import { dailyFx } from '../../risk/fx.js';
import { priceSeries, returnsFrom } from '../../risk/returns.js';
import { valuedHoldings } from '../position/position.sql.js';

/**
 * Runs one statement with JIT off. These statements run in milliseconds, but their estimated cost
 * (CTEs the planner cannot see into) passes jit_above_cost, and compiling them takes a second.
 */
async function withoutJit<T>(sql: Sql, statement: (sql: Sql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx`set local jit = off`;
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
    from (${priceSeries(sql, window.from, window.to, sql`m.asset_id = ${id}::bigint`)}) s
    cross join lateral ${returnsFrom(sql, sql`s.closes`, sql`s.dates`)} r
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

/**
 * A portfolio's figures over the window, in the build settings' base currency: the positions held
 * at the end of asOf, weighted by their market values in base currency then; each asset's returns
 * from its closes times the FX rate of each day; the portfolio's return Σ wᵢ·rᵢ on the dates on
 * which every holding has a return. Null when nothing it holds has a price and an FX rate at asOf.
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
  const inBase = (assets: Fragment) => sql`
    select s.asset_id, r.price_date, r.previous_date, r.r
    from (${priceSeries(sql, window.from, window.to, sql`m.asset_id in (${assets})`, {
      join: sql`join asset_master a on a.asset_id = m.asset_id
        join fx on fx.currency = a.currency and fx.day = m.price_date`,
      close: sql`m.closing_price::float8 * fx.rate`,
    })}) s
    cross join lateral ${returnsFrom(sql, sql`s.closes`, sql`s.dates`)} r
    where r.r is not null`;
  const [row] = await withoutJit(
    sql,
    (sql) => sql<[(FigureRow & { base_currency: string; positions: PositionRiskRow[] | null })?]>`
    with held as (
      select h.asset_id, h.currency, h.market_value * h.rate as value
      from (${valuedHoldings(sql, [portfolioId], asOf, visible)}) h
      where h.market_value is not null and h.rate is not null and h.market_value * h.rate > 0
    ),
    weights as (select asset_id, currency, value, (value / sum(value) over ())::float8 as weight from held),
    fx as (${dailyFx(sql, sql`select currency from weights union select currency from asset_master where asset_id = ${options.benchmarkId}::bigint`, window)}),
    returns as (${inBase(sql`select asset_id from weights`)}),
    -- Window aggregates rather than joins: the planner cannot foresee how many dates every holding
    -- shares, and a join it misjudges as one row turns into a nested loop over every return.
    dated as (
      select r.asset_id, r.price_date, r.previous_date, r.r, w.weight,
        count(*) over (partition by r.price_date) as holdings, sum(w.weight * r.r) over (partition by r.price_date) as portfolio_r
      from returns r join weights w using (asset_id)
    ),
    joined as (select * from dated where holdings = (select count(*) from weights)),
    portfolio as (
      select price_date, min(previous_date) as previous_date, min(portfolio_r) as r from joined group by price_date
    ),
    benchmark as (${inBase(sql`select ${options.benchmarkId}::bigint`)}),
    summary as (
      ${figures(sql, sql`select p.*, b.r as b from portfolio p left join benchmark b using (price_date)`, options)}
    ),
    spread as (select stddev_samp(r) as sigma from portfolio),
    positions as (
      select w.asset_id::text as "assetId", w.weight, w.value::text as "marketValueBase",
        ${m.annualVolatility(sql, sql`j.r`)} as volatility,
        ${m.parametricVar(sql, sql`j.r`, c)} as "valueAtRisk",
        -avg(j.r) + normal_quantile(${c}::float8) * covar_samp(j.r, j.portfolio_r) / nullif((select sigma from spread), 0) as "marginalValueAtRisk"
      from weights w
      left join joined j using (asset_id)
      group by w.asset_id, w.weight, w.value
    )
    select s.*, (select base_currency from asset_360_settings) as base_currency,
      (select json_agg(positions order by weight desc, "assetId") from positions) as positions
    from summary s
    where exists (select from weights)`,
  );
  if (!row) return null;
  return {
    figures: toFigures(row),
    asOf,
    baseCurrency: row.base_currency,
    positions: (row.positions ?? []).map((position) => ({
      ...position,
      assetId: position.assetId,
      volatility: finite(position.volatility),
      valueAtRisk: finite(position.valueAtRisk),
      marginalValueAtRisk: finite(position.marginalValueAtRisk),
      componentValueAtRisk: finite(position.marginalValueAtRisk === null ? null : position.weight * position.marginalValueAtRisk),
    })),
  };
}

/**
 * The returns in base currency of these assets on the portfolio's dates (every holding has a
 * return), in the order of `assetIds`: one array per asset, each in date order.
 */
export async function portfolioReturns(
  sql: Sql,
  allAssetIds: readonly string[],
  assetIds: readonly string[],
  from: string,
  to: string,
): Promise<number[][]> {
  const rows = await withoutJit(
    sql,
    (sql) => sql<{ asset_id: string; returns: number[] }[]>`
    with fx as (${dailyFx(sql, sql`select currency from asset_master where asset_id = any(${[...allAssetIds]}::bigint[])`, { from, to })}),
    returns as (
      select s.asset_id, r.price_date, r.r
      from (${priceSeries(sql, from, to, sql`m.asset_id = any(${[...allAssetIds]}::bigint[])`, {
        join: sql`join asset_master a on a.asset_id = m.asset_id and a.asset_id = any(${[...allAssetIds]}::bigint[])
          join fx on fx.currency = a.currency and fx.day = m.price_date`,
        close: sql`m.closing_price::float8 * fx.rate`,
      })}) s
      cross join lateral ${returnsFrom(sql, sql`s.closes`, sql`s.dates`)} r
      where r.r is not null
    ),
    counted as (select r.*, count(*) over (partition by r.price_date) as holdings from returns r)
    select r.asset_id::text, array_agg(r.r order by r.price_date) as returns
    from counted r
    where r.holdings = ${allAssetIds.length} and r.asset_id = any(${[...assetIds]}::bigint[])
    group by r.asset_id`,
  );
  const byId = new Map(rows.map((row) => [row.asset_id, row.returns]));
  return assetIds.map((id) => byId.get(id) ?? []);
}
