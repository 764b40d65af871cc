import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Resolver, Root } from 'type-graphql';
import { MAX_CORRELATED, riskOptions, type RiskOptions } from '../../risk/options.js';
import { correlationMatrix } from '../../risk/metrics.js';
import type { RiskFigures } from '../../risk/figures.js';
import { Asset } from '../asset/asset.type.js';
import { isoDate } from '../common/arguments.js';
import { parseId } from '../common/ids.js';
import { visiblePortfolios } from '../common/visibility.js';
import type { Context } from '../context.js';
import { BadUserInputError } from '../../lib/errors.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { assetCurrency, assetRisk, portfolioRisk, resolveWindow } from './risk.sql.js';
import { CorrelationMatrix, PortfolioRisk, PositionRisk, RiskProfile, RiskWindowInput } from './risk.type.js';
import { DateScalar } from '../common/scalars.js';
import { Reads } from '../cache/reads.js';

@ArgsType()
class RiskArgs {
  @Field(() => RiskWindowInput, { nullable: true, description: 'The last year of prices when omitted.' })
  window?: RiskWindowInput | null;

  @Field(() => ID, { nullable: true, description: 'An asset to measure beta, alpha, tracking error and information ratio against.' })
  benchmarkId?: string | null;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 0,
    description: 'Annual, as a fraction (0.03 is 3 %); the daily rate is riskFreeRate / 252.',
  })
  riskFreeRate?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: 0.95, description: 'Of the VaR figures, strictly between 0.5 and 1.' })
  confidence?: number | null;
}

@ArgsType()
class PortfolioRiskArgs extends RiskArgs {
  @Field(() => DateScalar, { nullable: true, description: 'The day whose holdings weigh the portfolio; the window’s `to` when omitted.' })
  asOf?: Date | null;
}

/** Checks the arguments shared by Asset.risk and Portfolio.risk, the benchmark included. */
async function options(args: RiskArgs, context: Context): Promise<RiskOptions> {
  const window = args.window;
  const options = riskOptions(
    window && {
      from: window.from ? isoDate(window.from) : null,
      to: window.to ? isoDate(window.to) : null,
      span: window.span ?? null,
    },
    args.benchmarkId === null || args.benchmarkId === undefined ? null : parseId(args.benchmarkId, 'benchmarkId'),
    args.riskFreeRate,
    args.confidence,
  );
  if (options.benchmarkId !== null && (await assetCurrency(context.sql, options.benchmarkId)) === null) {
    throw new BadUserInputError(`benchmarkId ${options.benchmarkId} is not an asset`, 'benchmarkId');
  }
  return options;
}

function profile(figures: RiskFigures, window: { from: string; to: string }, options: RiskOptions): RiskProfile {
  const withBenchmark = options.benchmarkId !== null;
  return {
    ...figures,
    ...window,
    confidence: options.confidence,
    riskFreeRate: options.riskFreeRate,
    benchmarkId: options.benchmarkId,
    ...(withBenchmark ? {} : { beta: null, alpha: null, trackingError: null, informationRatio: null }),
  };
}

function tooFewReturns(returns: number): BadUserInputError {
  return new BadUserInputError(`the window holds ${returns} daily return${returns === 1 ? '' : 's'}; at least 2 are needed`, 'window');
}

@Resolver(() => Asset)
export class AssetRiskResolver {
  @Reads('market', 'fx', 'risk', 'settings', 'reference', 'build', 'trades')
  @FieldResolver(() => RiskProfile, {
    description:
      'Risk and return of the asset’s daily closes over a window, in its own currency. BAD_USER_INPUT (naming the argument) for an unknown ' +
      'benchmark, a confidence outside (0.5, 1), or a window with fewer than two returns.',
  })
  async risk(@Root() asset: Asset, @Args(() => RiskArgs) args: RiskArgs, @Ctx() context: Context): Promise<RiskProfile> {
    const checked = await options(args, context);
    const window = await resolveWindow(context.sql, checked, context.sql`m.asset_id = ${asset.id}::bigint`);
    if (!window) throw tooFewReturns(0);
    const figures = await assetRisk(context.sql, asset.id, window, checked);
    if (figures.returns < 2) throw tooFewReturns(figures.returns);
    return profile(figures, window, checked);
  }
}

@Resolver(() => Portfolio)
export class PortfolioRiskResolver {
  @Reads('market', 'fx', 'risk', 'settings', 'reference', 'build', 'trades')
  @FieldResolver(() => PortfolioRisk, {
    nullable: true,
    description:
      'Risk of the portfolio and of each holding over a window, in the base currency. Null when nothing it holds at asOf has a price and an ' +
      'FX rate. BAD_USER_INPUT (naming the argument) for an unknown benchmark, a confidence outside (0.5, 1), or fewer than two dates on ' +
      'which every holding has a return.',
  })
  async risk(
    @Root() portfolio: Portfolio,
    @Args(() => PortfolioRiskArgs) args: PortfolioRiskArgs,
    @Ctx() context: Context,
  ): Promise<PortfolioRisk | null> {
    const checked = await options(args, context);
    const window = await resolveWindow(context.sql, checked, context.sql`true`);
    if (!window) return null;
    const asOf = args.asOf ? isoDate(args.asOf) : window.to;
    const visible = visiblePortfolios(context.sql, context.viewer, context.sql`t.portfolio_id`);
    const result = await portfolioRisk(context.sql, portfolio.id, asOf, window, checked, visible);
    if (!result) return null;
    if (result.figures.returns < 2) throw tooFewReturns(result.figures.returns);
    return {
      asOf: result.asOf,
      baseCurrency: result.baseCurrency,
      portfolio: profile(result.figures, window, checked),
      positions: result.positions,
      assetIds: result.positions.map((position) => position.assetId),
      series: result.series,
    };
  }
}

@Resolver(() => PortfolioRisk)
export class PortfolioRiskFieldsResolver {
  @Reads('market', 'fx', 'risk', 'settings', 'reference', 'build', 'trades')
  @FieldResolver(() => CorrelationMatrix, {
    description: `Pearson correlations of the holdings' daily returns in base currency on the portfolio's dates, largest weight first; at most ${MAX_CORRELATED} holdings.`,
  })
  async correlations(
    @Root() risk: PortfolioRisk,
    @Arg('limit', () => Int, { nullable: true, defaultValue: MAX_CORRELATED, description: `How many holdings, 1 to ${MAX_CORRELATED}.` })
    limit: number | null,
    @Ctx() { loaders }: Context,
  ): Promise<CorrelationMatrix> {
    const count = limit ?? MAX_CORRELATED;
    if (!Number.isInteger(count) || count < 1 || count > MAX_CORRELATED) {
      throw new BadUserInputError(`limit must be an integer from 1 to ${MAX_CORRELATED}, got ${count}`, 'limit');
    }
    const ids = risk.assetIds.slice(0, count);
    const assets = await Promise.all(ids.map((id) => loaders.asset.byId.load(id)));
    return { assets: assets.filter((asset): asset is Asset => asset !== null), matrix: correlationMatrix(risk.series.slice(0, count)) };
  }
}

@Resolver(() => PositionRisk)
export class PositionRiskResolver {
  @Reads('build', 'reference')
  @FieldResolver(() => Asset)
  async asset(@Root() position: PositionRisk, @Ctx() { loaders }: Context): Promise<Asset> {
    return (await loaders.asset.byId.load(position.assetId))!;
  }
}

@Resolver(() => RiskProfile)
export class RiskProfileResolver {
  @Reads('build', 'reference')
  @FieldResolver(() => Asset, {
    nullable: true,
    description: 'The benchmark asked for; null without one, and then so are beta, alpha, trackingError and informationRatio.',
  })
  benchmark(@Root() profile: RiskProfile, @Ctx() { loaders }: Context): Promise<Asset | null> | null {
    return profile.benchmarkId === null ? null : loaders.asset.byId.load(profile.benchmarkId);
  }
}
