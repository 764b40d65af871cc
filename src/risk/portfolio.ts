import { epochDay } from '../lib/dates.js';
import { riskFigures, type FigureOptions, type RiskFigures } from './figures.js';
import * as m from './metrics.js';
import { finite } from './options.js';
import type { Closes } from './prices.js';
import { onDays, returnsOf, type RatesByDay } from './returns.js';

/** A holding of the portfolio, or its benchmark (weight null when it does not hold it). */
export interface Member {
  assetId: string;
  /** Its market value in base currency over the portfolio's. */
  weight: number | null;
  closes: Closes;
  /** Its currency's FX rates into the base currency by day of the window. */
  rates: RatesByDay;
}

export interface HoldingFigures {
  volatility: number | null;
  valueAtRisk: number | null;
  marginalValueAtRisk: number | null;
  componentValueAtRisk: number | null;
}

export interface PortfolioFigures {
  figures: RiskFigures;
  /** Each holding's figures, in the order given. */
  holdings: HoldingFigures[];
  /** Each holding's daily returns on the portfolio's dates, in the order given. */
  series: Float64Array[];
}

/**
 * A portfolio's figures over the window [from, to], in base currency: each holding's returns from
 * its closes times the FX rate of each day; the portfolio's return Σ wᵢ·rᵢ on the dates on which
 * every holding has a return; each holding's standalone volatility and parametric VaR on those
 * dates, its marginal VaR −μᵢ + z·cov(rᵢ, r_p)/σ_p and its component VaR wᵢ × marginal VaR, which
 * add up to the portfolio's parametric VaR.
 */
export function portfolioFigures(
  holdings: readonly Member[],
  benchmark: Member | null,
  window: { from: string; to: string },
  options: FigureOptions,
): PortfolioFigures {
  const from = epochDay(window.from);
  const held = holdings.map((holding) => returnsOf(holding.closes, holding.rates));

  // The dates on which every holding has a return.
  const count = new Int32Array(epochDay(window.to) - from + 1);
  for (const series of held) for (const day of series.days) count[day - from]!++;
  const dayList: number[] = [];
  count.forEach((holders, k) => {
    if (holders === held.length) dayList.push(k + from);
  });
  const days = Int32Array.from(dayList);
  const series = held.map((returns) => onDays(returns, days));
  const r = new Float64Array(days.length);
  holdings.forEach((holding, i) => {
    const own = series[i]!;
    for (let t = 0; t < days.length; t++) r[t]! += holding.weight! * own[t]!;
  });
  // A drawdown that peaks at the start peaks on the earliest price date before the first return.
  let startDay: number | null = null;
  if (days.length > 0) {
    for (const returns of held) {
      const previous = returns.previous[returns.days.indexOf(days[0]!)]!;
      if (startDay === null || previous < startDay) startDay = previous;
    }
  }
  const b = benchmark ? onDays(returnsOf(benchmark.closes, benchmark.rates), days) : null;
  const figures = riskFigures({ days, r, b, startDay }, options);

  const z = m.normalQuantile(options.confidence);
  const sigma = m.standardDeviation(r);
  return {
    figures,
    series,
    holdings: holdings.map((holding, i) => {
      const own = series[i]!;
      const covariance = m.covariance(own, r);
      const marginal = sigma && covariance !== null ? -m.meanReturn(own)! + (z * covariance) / sigma : null;
      return {
        volatility: finite(m.annualVolatility(own)),
        valueAtRisk: finite(m.parametricVar(own, options.confidence)),
        marginalValueAtRisk: finite(marginal),
        componentValueAtRisk: finite(marginal === null ? null : holding.weight! * marginal),
      };
    }),
  };
}

/** An asset's figures in its own currency, the benchmark's returns paired by date. */
export function assetFigures(closes: Closes | null, benchmark: Closes | null, withBenchmark: boolean, options: FigureOptions): RiskFigures {
  const empty = { days: new Int32Array(0), previous: new Int32Array(0), r: new Float64Array(0) };
  const asset = closes ? returnsOf(closes) : empty;
  return riskFigures(
    {
      days: asset.days,
      r: asset.r,
      b: withBenchmark ? onDays(benchmark ? returnsOf(benchmark) : empty, asset.days) : null,
      startDay: asset.previous.length > 0 ? asset.previous[0]! : null,
    },
    options,
  );
}
