import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';

/**
 * The one implementation of every risk metric, as SQL over PostgreSQL's own aggregates, so that
 * the engine (every asset in one statement), Asset.risk and Portfolio.risk compute each figure the
 * same way, set-based. Each function returns an aggregate expression over a column of returns
 * (simple fractions, one per period) of the rows it is grouped over; rows with a null return are
 * skipped, as numpy's nan-functions skip NaN. Conventions (empyrical's, see docs/risk.md):
 * standard deviations with n − 1, `periods` periods a year, rates per period. A figure that cannot
 * be computed (fewer than two returns, no variance) is null: PostgreSQL's sample aggregates return
 * null below two rows, and every division by a spread goes through nullif(…, 0).
 */
export type Fragment = postgres.Fragment;

/** Trading days a year: what every figure is annualized with. */
export const PERIODS_PER_YEAR = 252;

function root(sql: Sql, periods: number): Fragment {
  return sql`sqrt(${periods}::float8)`;
}

/** std(r) · √periods. */
export function annualVolatility(sql: Sql, r: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(stddev_samp(${r}) * ${root(sql, periods)})`;
}

/** mean(e) / std(e) · √periods, over excess returns e = r − rf. */
export function sharpeRatio(sql: Sql, excess: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(avg(${excess}) / nullif(stddev_samp(${excess}), 0) * ${root(sql, periods)})`;
}

/** √mean(min(e, 0)²) · √periods, over returns in excess of the required return. */
export function downsideRisk(sql: Sql, excess: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  // least() would turn a missing return into 0: a null must stay null and be skipped.
  return sql`(sqrt(avg(case when ${excess} < 0 then ${excess} * ${excess} when ${excess} >= 0 then 0 end)) * ${root(sql, periods)})`;
}

/** mean(e) · periods / downside risk; null when no return falls below the required one. */
export function sortinoRatio(sql: Sql, excess: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(avg(${excess}) * ${periods}::float8 / nullif(${downsideRisk(sql, excess, periods)}, 0))`;
}

/**
 * cov(r, b) / var(b) on the rows where both are present. regr_slope is exactly that ratio (its
 * n − 1 and n cancel) and is null when b does not vary.
 */
export function beta(sql: Sql, r: Fragment, b: Fragment): Fragment {
  return sql`regr_slope(${r}, ${b})`;
}

/**
 * (1 + mean(e_r − β·e_b))^periods − 1 over excess returns e = r − rf, β their beta: the regression's
 * intercept, mean(e_r) − β·mean(e_b), compounded over a year as empyrical's alpha.
 */
export function alpha(sql: Sql, excessR: Fragment, excessB: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(power(1 + regr_intercept(${excessR}, ${excessB}), ${periods}::float8) - 1)`;
}

/** std(r − b) · √periods: the annual volatility of the active return. */
export function trackingError(sql: Sql, active: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return annualVolatility(sql, active, periods);
}

/** mean(r − b) · periods / tracking error. */
export function informationRatio(sql: Sql, active: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(avg(${active}) * ${periods}::float8 / nullif(${trackingError(sql, active, periods)}, 0))`;
}

/**
 * Historical VaR: minus the (1 − c) percentile of the returns, interpolated linearly between order
 * statistics as numpy's percentile (and empyrical's value_at_risk) does.
 */
export function historicalVar(sql: Sql, r: Fragment, confidence: number): Fragment {
  return sql`(-percentile_cont(1 - ${confidence}::float8) within group (order by ${r}))`;
}

/** Parametric (normal) VaR: −(mean − z_c · std). */
export function parametricVar(sql: Sql, r: Fragment, confidence: number): Fragment {
  return sql`(normal_quantile(${confidence}::float8) * stddev_samp(${r}) - avg(${r}))`;
}

/**
 * Expected shortfall as empyrical's conditional_value_at_risk: minus the mean of the lowest
 * ⌊(n − 1)(1 − c)⌋ + 1 returns.
 */
export function conditionalVar(sql: Sql, r: Fragment, confidence: number): Fragment {
  return sql`(-(select avg(lowest) from unnest(
    (array_agg(${r} order by ${r}) filter (where ${r} is not null))[1:floor((count(${r}) - 1) * (1 - ${confidence}::float8))::int + 1]
  ) lowest))`;
}

/** (Π(1 + r))^(periods / n) − 1: the compound annual growth rate of the returns. */
export function annualReturn(sql: Sql, r: Fragment, periods = PERIODS_PER_YEAR): Fragment {
  return sql`(power(${cumulativeReturn(sql, r)} + 1, ${periods}::float8 / nullif(count(${r}), 0)) - 1)`;
}

/** Π(1 + r) − 1, as a sum of logarithms; null when a return is −100 % or less (no logarithm). */
export function cumulativeReturn(sql: Sql, r: Fragment): Fragment {
  return sql`(case when bool_and(${r} > -1) then exp(sum(ln(1 + ${r}))) - 1 end)`;
}

/** mean(r). */
export function meanReturn(sql: Sql, r: Fragment): Fragment {
  return sql`avg(${r})`;
}

/** The returns as an array in the order given, for risk_max_drawdown (procedures/risk_max_drawdown.sql). */
export function returnsInOrder(sql: Sql, r: Fragment, order: Fragment): Fragment {
  return sql`array_agg(${r} order by ${order}) filter (where ${r} is not null)`;
}
