import { BadUserInputError } from '../../lib/errors.js';
import type { Sql } from '../../infra/db.js';
import { epochDay } from '../../lib/dates.js';
import type { RiskFigures } from '../../risk/figures.js';
import { fxByDay } from '../../risk/fx.js';
import { MAX_CORRELATED, type RiskOptions } from '../../risk/options.js';
import { assetFigures, portfolioFigures, type Member } from '../../risk/portfolio.js';
import { closesAggregate, closesOf, type AggregatedCloses, type Fragment } from '../../risk/prices.js';
import type { RatesByDay } from '../../risk/returns.js';
import { valuedHoldings } from '../position/position.sql.js';

/**
 * Runs one statement with JIT off: its estimated cost (CTEs the planner cannot see into) passes
 * jit_above_cost, and compiling it would take longer than running it.
 */
async function withoutJit<T>(sql: Sql, statement: (sql: Sql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx`set local jit = off`;
    return statement(tx as unknown as Sql);
  })) as T;
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
  series: Float64Array[];
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
  if (!row.from || !row.to) return null;
  // `to` defaults to the latest price date, which a given `from` may be after: the same refusal as an explicit `to`.
  if (row.from > row.to) throw new BadUserInputError(`window.from (${row.from}) is after the window's end (${row.to})`, 'window.from');
  return { from: row.from, to: row.to };
}

/** Whether the asset exists (for a benchmark id); its currency when it does. */
export async function assetCurrency(sql: Sql, assetId: string): Promise<string | null> {
  const [row] = await sql<[{ currency: string }?]>`select currency from asset_master where asset_id = ${assetId}::bigint`;
  return row?.currency ?? null;
}

/** An asset's figures over the window, in its own currency, from one statement's closes. */
export async function assetRisk(sql: Sql, assetId: string, window: ResolvedWindow, options: RiskOptions): Promise<RiskFigures> {
  const rows = await withoutJit(
    sql,
    (sql) => sql<AggregatedCloses[]>`
      ${closesAggregate(sql, window.from, window.to, sql`m.asset_id in (${assetId}::bigint, ${options.benchmarkId}::bigint)`)}`,
  );
  const closes = (id: string | null) => {
    const row = rows.find((candidate) => candidate.asset_id === id);
    return row ? closesOf(row, epochDay(window.from)) : null;
  };
  return assetFigures(closes(assetId), closes(options.benchmarkId), options.benchmarkId !== null, options);
}

interface MemberRow extends AggregatedCloses {
  asset_id: string;
  /** Null for a benchmark the portfolio does not hold. */
  weight: number | null;
  market_value_base: string | null;
  currency: string;
  /** The currency's FX rates by day of the window, on the first row of each currency only. */
  fx: number[] | null;
  base_currency: string;
}

/**
 * A portfolio's figures over the window, in the build settings' base currency: the positions held
 * at the end of asOf, weighted by their market values in base currency then; each asset's returns
 * from its closes times the FX rate of each day; the portfolio's return Σ wᵢ·rᵢ on the dates on
 * which every holding has a return. Null when nothing it holds has a price and an FX rate at asOf.
 * One statement reads the weights, the closes of the holdings and the benchmark, and the FX rates;
 * src/risk/portfolio.ts computes every figure.
 */
export async function portfolioRisk(
  sql: Sql,
  portfolioId: string,
  asOf: string,
  window: ResolvedWindow,
  options: RiskOptions,
  visible: Fragment,
): Promise<PortfolioRiskResult | null> {
  const rows = await withoutJit(
    sql,
    (sql) => sql<MemberRow[]>`
    with held as (
      select h.asset_id, h.currency, h.market_value * h.rate as value
      from (${valuedHoldings(sql, [portfolioId], asOf, visible)}) h
      where h.market_value is not null and h.rate is not null and h.market_value * h.rate > 0
    ),
    -- rank: the order of the positions, largest weight first.
    weights as (
      select asset_id, value, (value / sum(value) over ())::float8 as weight, row_number() over (order by value desc, asset_id::text) as rank
      from held
    ),
    -- The holdings and the benchmark, each once.
    members as (
      select a.asset_id, a.currency, w.weight, w.value, w.rank,
        row_number() over (partition by a.currency order by w.rank nulls last) = 1 as first_of_currency
      from (select asset_id from weights union select ${options.benchmarkId}::bigint where ${options.benchmarkId}::bigint is not null) ids
      join asset_master a using (asset_id)
      left join weights w using (asset_id)
    ),
    fx as materialized (${fxByDay(sql, sql`select distinct currency from members`, window)}),
    closes as (${closesAggregate(sql, window.from, window.to, sql`m.asset_id = any(array(select asset_id from members))`)})
    select m.asset_id::text as asset_id, m.weight, m.value::text as market_value_base, m.currency,
      case when m.first_of_currency then fx.by_day end as fx, coalesce(c.days, '') as days, coalesce(c.closes, '') as closes,
      (select base_currency from asset_360_settings) as base_currency
    from members m
    join fx using (currency)
    left join closes c on c.asset_id = m.asset_id::text
    where exists (select from weights)
    order by m.rank nulls last`,
  );
  const holdings = rows.filter((row) => row.weight !== null);
  if (holdings.length === 0) return null;
  const from = epochDay(window.from);
  const rates = new Map<string, RatesByDay>();
  for (const row of rows) if (row.fx) rates.set(row.currency, { from, rates: new Float64Array(row.fx) });
  const member = (row: MemberRow): Member => ({
    assetId: row.asset_id,
    weight: row.weight,
    closes: closesOf(row, from),
    rates: rates.get(row.currency)!,
  });
  const benchmark = rows.find((row) => row.asset_id === options.benchmarkId);
  const computed = portfolioFigures(holdings.map(member), benchmark ? member(benchmark) : null, window, options);
  return {
    figures: computed.figures,
    asOf,
    baseCurrency: holdings[0]!.base_currency,
    series: computed.series.slice(0, MAX_CORRELATED),
    positions: holdings.map((holding, i) => ({
      assetId: holding.asset_id,
      weight: holding.weight!,
      marketValueBase: holding.market_value_base!,
      ...computed.holdings[i]!,
    })),
  };
}
