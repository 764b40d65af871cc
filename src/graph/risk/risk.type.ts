import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Asset } from '../asset/asset.type.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { RebuildJobState } from '../../jobs/rebuild.control.js';
import { Span } from '../../risk/options.js';
import { ScheduleSetBy } from '../../jobs/rebuild.queue.js';
import '../rebuild/rebuild.type.js';

registerEnumType(Span, { name: 'RiskSpan', description: 'A window that ends at its `to`: 1, 3 or 6 months, 1 or 3 years.' });

@InputType({
  description:
    'The dates whose returns count: [from, to], or a span ending at `to`. `to` defaults to the latest price date, the span to ONE_YEAR. ' +
    'A return counts when both of its closes lie in the window.',
})
export class RiskWindowInput {
  @Field(() => DateScalar, { nullable: true, description: 'The first day; give it or span, not both.' })
  from?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'The last day; the latest price date when omitted.' })
  to?: Date | null;

  @Field(() => Span, { nullable: true, description: 'The length of the window ending at `to`, when from is omitted.' })
  span?: Span | null;
}

const NULL_BELOW_TWO = 'Null with fewer than two returns';

@ObjectType({
  description:
    'Risk and return of a series of daily returns, computed as empyrical does: 252 periods a year, standard deviations with n − 1, ' +
    'the daily risk-free rate riskFreeRate / 252, VaR a positive fraction of value lost over one day. See docs/risk.md.',
})
export class RiskProfile {
  @Field(() => DateScalar, { description: 'The first day of the window.' })
  from!: string;

  @Field(() => DateScalar, { description: 'The last day of the window.' })
  to!: string;

  @Field(() => Int, { description: 'The number of daily returns used.' })
  returns!: number;

  @Field(() => DateScalar, { nullable: true, description: 'The date of the first return.' })
  firstDate!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The date of the last return.' })
  lastDate!: string | null;

  @Field(() => Float, { description: 'The confidence of the VaR figures.' })
  confidence!: number;

  @Field(() => Float, { description: 'The annual risk-free rate used.' })
  riskFreeRate!: number;

  @Field(() => Float, { nullable: true, description: 'mean(r): the average daily return.' })
  meanReturn!: number | null;

  @Field(() => Float, { nullable: true, description: 'Π(1 + r) − 1 over the window; null if a return is −100 %.' })
  cumulativeReturn!: number | null;

  @Field(() => Float, { nullable: true, description: '(Π(1 + r))^(252 / n) − 1.' })
  annualReturn!: number | null;

  @Field(() => Float, { nullable: true, description: `std(r)·√252. ${NULL_BELOW_TWO}.` })
  volatility!: number | null;

  @Field(() => Float, { nullable: true, description: `mean(r − rf)/std(r − rf)·√252. ${NULL_BELOW_TWO} or when r − rf does not vary.` })
  sharpeRatio!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'mean(r − rf)·252 / downsideRisk. Null when no return falls below rf (downsideRisk 0).',
  })
  sortinoRatio!: number | null;

  @Field(() => Float, { nullable: true, description: '√mean(min(r − rf, 0)²)·√252.' })
  downsideRisk!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Historical VaR: minus the (1 − confidence) percentile of the returns, interpolated linearly as numpy.percentile.',
  })
  valueAtRisk!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: `Parametric (normal) VaR: −(mean − z·std), z the confidence quantile. ${NULL_BELOW_TWO}.`,
  })
  parametricValueAtRisk!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Expected shortfall (CVaR): minus the mean of the lowest ⌊(n − 1)(1 − confidence)⌋ + 1 returns, as empyrical.',
  })
  expectedShortfall!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The largest fall of the wealth compounded from 1 before the first return: a negative fraction, 0 if it never falls.',
  })
  maxDrawdown!: number | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The drawdown's peak: the window's first price date when the peak is the start.",
  })
  maxDrawdownPeak!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The drawdown's trough." })
  maxDrawdownTrough!: string | null;

  /** Resolved by RiskProfileResolver.benchmark. */
  benchmarkId!: string | null;

  @Field(() => Int, { description: 'The returns on dates on which the benchmark has a return too: what the figures below use.' })
  benchmarkReturns!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'cov(r, b)/var(b). Null without a benchmark, below two shared returns, or when b does not vary.',
  })
  beta!: number | null;

  @Field(() => Float, { nullable: true, description: '(1 + mean((r − rf) − β·(b − rf)))^252 − 1, as empyrical.' })
  alpha!: number | null;

  @Field(() => Float, { nullable: true, description: 'std(r − b)·√252.' })
  trackingError!: number | null;

  @Field(() => Float, { nullable: true, description: 'mean(r − b)·252 / trackingError; null when the tracking error is 0.' })
  informationRatio!: number | null;
}

@ObjectType({ description: "A holding's share of the portfolio's risk, in the base currency, on the portfolio's dates." })
export class PositionRisk {
  /** Resolved by PositionRiskResolver.asset. */
  assetId!: string;

  @Field(() => Float, { description: "Market value in base currency at asOf over the portfolio's." })
  weight!: number;

  @Field(() => DecimalScalar, { description: 'Market value in base currency at the close and FX rate of asOf.' })
  marketValueBase!: string;

  @Field(() => Float, { nullable: true, description: 'Its own volatility, std(rᵢ)·√252.' })
  volatility!: number | null;

  @Field(() => Float, { nullable: true, description: 'Its own parametric VaR, −(mean(rᵢ) − z·std(rᵢ)), as a fraction of its value.' })
  valueAtRisk!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "∂VaR/∂wᵢ: −mean(rᵢ) + z·cov(rᵢ, r_p)/σ_p = −μᵢ + z·(Σw)ᵢ/σ_p. Null when the portfolio's returns do not vary.",
  })
  marginalValueAtRisk!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "wᵢ · marginalValueAtRisk: the holdings' contributions add up to the portfolio's parametricValueAtRisk.",
  })
  componentValueAtRisk!: number | null;
}

@ObjectType({ description: 'Pearson correlations of daily returns: row i, column j is the correlation of assets i and j.' })
export class CorrelationMatrix {
  @Field(() => [Asset], { description: 'The rows and columns, in the order of the matrix.' })
  assets!: Asset[];

  @Field(() => [[Float]], { description: 'A square matrix; null where an asset’s returns do not vary.' })
  matrix!: (number | null)[][];
}

@ObjectType({
  description:
    'A portfolio’s risk over a window, in the build settings’ base currency: the holdings at the end of asOf, weighted by market value, ' +
    'their returns from closes × FX, and the portfolio’s daily return Σ wᵢ·rᵢ on the dates every holding has a return.',
})
export class PortfolioRisk {
  @Field(() => DateScalar, { description: 'The day whose holdings and weights are used.' })
  asOf!: string;

  @Field(() => String, { description: 'The base currency of every figure.' })
  baseCurrency!: string;

  @Field(() => RiskProfile, { description: "The portfolio's figures." })
  portfolio!: RiskProfile;

  @Field(() => [PositionRisk], { description: 'The holdings, largest weight first.' })
  positions!: PositionRisk[];

  /**
   * What PortfolioRiskResolver.correlations needs, loaded with the figures: the holdings in weight
   * order and the daily returns of the first MAX_CORRELATED of them on the portfolio's dates.
   */
  assetIds!: string[];
  series!: Float64Array[];
}

@ObjectType({ description: 'When the risk engine writes risk_metrics on its own (as of the day it runs).' })
export class RiskSchedule {
  @Field(() => String, { description: 'A cron pattern: minute hour day month weekday, seconds optional in front.' })
  pattern!: string;

  @Field(() => String, { description: 'The IANA time zone the pattern is read in.' })
  tz!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  nextRun!: Date | null;

  @Field(() => Boolean, { description: 'True while the risk queue is paused.' })
  paused!: boolean;

  @Field(() => ScheduleSetBy, {
    nullable: true,
    description: 'CONFIG (RISK_CRON, RISK_TZ) or OPERATOR (setRiskSchedule); null until a worker installed it.',
  })
  setBy!: ScheduleSetBy | null;
}

@ObjectType({ description: 'A run of the risk engine on its queue.' })
export class RiskRun {
  @Field(() => ID)
  id!: string;

  @Field(() => RebuildJobState)
  state!: RebuildJobState;

  @Field(() => DateScalar, { nullable: true, description: 'Null for a run as of the date it runs.' })
  asOf!: string | null;
}
