import { Field, Float, ID, InputType, registerEnumType } from 'type-graphql';

import { BadUserInputError } from '../../lib/errors.js';
import type { Objective } from '../../optimizer/objectives.js';
import type { RebalanceRequest, ScheduledRequest } from '../../optimizer/plan.js';
import { isoDate } from '../common/arguments.js';
import { parseId } from '../common/ids.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';

export enum OptimizationObjective {
  MIN_VOLATILITY = 'MIN_VOLATILITY',
  MAX_SHARPE = 'MAX_SHARPE',
  EFFICIENT_RETURN = 'EFFICIENT_RETURN',
  EFFICIENT_RISK = 'EFFICIENT_RISK',
  MAX_QUADRATIC_UTILITY = 'MAX_QUADRATIC_UTILITY',
}
registerEnumType(OptimizationObjective, {
  name: 'OptimizationObjective',
  description:
    "PyPortfolioOpt's EfficientFrontier methods. EFFICIENT_RETURN needs targetReturn (a floor), EFFICIENT_RISK targetVolatility, " +
    'MAX_QUADRATIC_UTILITY riskAversion.',
});

export enum ExpectedReturnsModel {
  MEAN_HISTORICAL = 'MEAN_HISTORICAL',
  CAPM = 'CAPM',
}
registerEnumType(ExpectedReturnsModel, {
  name: 'ExpectedReturnsModel',
  description: 'MEAN_HISTORICAL: (∏(1 + r))^(252/n) − 1. CAPM: rf + β(E[R_m] − rf) against benchmarkId, or the assets’ mean.',
});

export enum RiskModel {
  SAMPLE_COV = 'SAMPLE_COV',
  LEDOIT_WOLF_CONSTANT_VARIANCE = 'LEDOIT_WOLF_CONSTANT_VARIANCE',
  LEDOIT_WOLF_SINGLE_FACTOR = 'LEDOIT_WOLF_SINGLE_FACTOR',
  LEDOIT_WOLF_CONSTANT_CORRELATION = 'LEDOIT_WOLF_CONSTANT_CORRELATION',
}
registerEnumType(RiskModel, {
  name: 'RiskModel',
  description: 'SAMPLE_COV: pairwise-complete, ddof 1, × 252. Ledoit-Wolf shrinkage as PyPortfolioOpt computes it. See docs/optimizer.md.',
});

@InputType({ description: 'Bounds of one asset’s weight; null is unbounded as in PyPortfolioOpt (−1 as a minimum, +1 as a maximum).' })
export class AssetWeightBoundInput {
  @Field(() => ID)
  assetId!: string;

  @Field(() => Float, { nullable: true })
  min?: number | null;

  @Field(() => Float, { nullable: true })
  max?: number | null;
}

@InputType({ description: 'The summed weight of the assets whose sector is `sector` may not exceed `max`.' })
export class SectorCapInput {
  @Field(() => String)
  sector!: string;

  @Field(() => Float)
  max!: number;
}

@InputType({ description: 'A mean-variance optimization without its price window. Conventions in docs/optimizer.md.' })
export class OptimizationSettingsInput {
  @Field(() => [ID], {
    nullable: true,
    description: 'The assets to weigh; the portfolio’s open positions when omitted. Held assets left out are sold.',
  })
  assetIds?: string[] | null;

  @Field(() => OptimizationObjective)
  objective!: OptimizationObjective;

  @Field(() => Float, { nullable: true, description: 'EFFICIENT_RETURN: the annual return to reach at least.' })
  targetReturn?: number | null;

  @Field(() => Float, { nullable: true, description: 'EFFICIENT_RISK: the annual volatility not to exceed.' })
  targetVolatility?: number | null;

  @Field(() => Float, { nullable: true, description: 'MAX_QUADRATIC_UTILITY: δ in μᵀw − ½δ wᵀSw, positive.' })
  riskAversion?: number | null;

  @Field(() => Float, { defaultValue: 0.02, description: 'Annual; every Sharpe is (return − riskFreeRate) / volatility.' })
  riskFreeRate!: number;

  @Field(() => ExpectedReturnsModel, { defaultValue: ExpectedReturnsModel.MEAN_HISTORICAL })
  expectedReturns!: ExpectedReturnsModel;

  @Field(() => ID, { nullable: true, description: 'CAPM: the market asset; the equal-weighted mean of the assets when omitted.' })
  benchmarkId?: string | null;

  @Field(() => RiskModel, { defaultValue: RiskModel.SAMPLE_COV })
  riskModel!: RiskModel;

  @Field(() => Float, { nullable: true, defaultValue: 0, description: 'Every asset’s minimum weight; null is −1 (PyPortfolioOpt’s None).' })
  minWeight?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: 1, description: 'Every asset’s maximum weight; null is +1 (PyPortfolioOpt’s None).' })
  maxWeight?: number | null;

  @Field(() => [AssetWeightBoundInput], {
    defaultValue: [],
    description: 'Bounds of single assets, replacing minWeight and maxWeight for them.',
  })
  assetBounds!: AssetWeightBoundInput[];

  @Field(() => Float, { defaultValue: 0, description: 'L2 regularization γ: γ‖w‖² is added to the objective.' })
  gamma!: number;

  @Field(() => [SectorCapInput], { defaultValue: [] })
  sectorCaps!: SectorCapInput[];

  @Field(() => DecimalScalar, {
    defaultValue: '1',
    description: 'Proposed quantities are whole multiples of this, rounded to the nearest.',
  })
  lotSize!: string;
}

@InputType({ description: 'A mean-variance optimization over a price window. Conventions in docs/optimizer.md.' })
export class OptimizationInput extends OptimizationSettingsInput {
  @Field(() => DateScalar, { description: 'First day of the price window.' })
  from!: Date;

  @Field(() => DateScalar, { description: 'Last day of the price window.' })
  to!: Date;
}

/**
 * Beyond these magnitudes the figures are not weights, rates or returns, and the quadratic terms
 * overflow a double: refused here rather than met as NaN inside the solver.
 */
const LIMITS: Record<string, [number, number]> = {
  targetReturn: [-100, 100],
  targetVolatility: [0, 100],
  riskAversion: [1e-6, 1e6],
  riskFreeRate: [-1, 1],
  minWeight: [-100, 100],
  maxWeight: [-100, 100],
  'assetBounds.min': [-100, 100],
  'assetBounds.max': [-100, 100],
  gamma: [0, 1e6],
};

function finite(value: number | null | undefined, argument: string, required: boolean): number | null {
  if (value === null || value === undefined) {
    if (required) throw new BadUserInputError(`${argument} is required by this objective`, argument);
    return null;
  }
  const [min, max] = LIMITS[argument.slice(argument.indexOf('.') + 1)] ?? [-Infinity, Infinity];
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new BadUserInputError(`${argument} must be a number from ${min} to ${max}`, argument);
  }
  return value;
}

/** A name for a sector: at most 200 characters of well-formed text without NUL, as PostgreSQL text stores. */
function sectorName(value: string, argument: string): string {
  if (value.length > 200 || value.includes('\u0000') || /\p{Cs}/u.test(value)) {
    throw new BadUserInputError(`${argument}: a sector is at most 200 characters of text without NUL`, argument);
  }
  return value;
}

/** The window: at most a century, which no price history exceeds and which keeps the FX calendar small. */
function windowOf(input: OptimizationInput): { from: string; to: string } {
  const from = isoDate(input.from);
  const to = isoDate(input.to);
  if (input.to.getTime() - input.from.getTime() > 100 * 366 * 86_400_000) {
    throw new BadUserInputError('input.from: the window may span at most 100 years', 'input.from');
  }
  return { from, to };
}

function objectiveOf(input: OptimizationSettingsInput, name: string): Objective {
  switch (input.objective) {
    case OptimizationObjective.MIN_VOLATILITY:
      return { kind: 'MIN_VOLATILITY' };
    case OptimizationObjective.MAX_SHARPE:
      return { kind: 'MAX_SHARPE' };
    case OptimizationObjective.EFFICIENT_RETURN:
      return { kind: 'EFFICIENT_RETURN', targetReturn: finite(input.targetReturn, `${name}.targetReturn`, true)! };
    case OptimizationObjective.EFFICIENT_RISK:
      return { kind: 'EFFICIENT_RISK', targetVolatility: finite(input.targetVolatility, `${name}.targetVolatility`, true)! };
    case OptimizationObjective.MAX_QUADRATIC_UTILITY:
      return { kind: 'MAX_QUADRATIC_UTILITY', riskAversion: finite(input.riskAversion, `${name}.riskAversion`, true)! };
  }
}

/** The input checked and normalized, each error naming its field. */
export function rebalanceRequest(input: OptimizationInput): RebalanceRequest {
  return { ...windowOf(input), ...scheduledRequest(input, 'input') };
}

/** The settings checked and normalized, each error naming its field. */
export function scheduledRequest(input: OptimizationSettingsInput, name: 'input' | 'settings'): ScheduledRequest {
  finite(input.gamma, `${name}.gamma`, true);
  for (const cap of input.sectorCaps) {
    sectorName(cap.sector, `${name}.sectorCaps.sector`);
    if (!(cap.max >= 0 && cap.max <= 1)) throw new BadUserInputError(`${name}.sectorCaps.max must be in [0, 1]`, `${name}.sectorCaps.max`);
  }
  return {
    assetIds: input.assetIds ? input.assetIds.map((id) => parseId(id, `${name}.assetIds`)) : null,
    objective: objectiveOf(input, name),
    expectedReturns: input.expectedReturns,
    benchmarkId: input.benchmarkId ? parseId(input.benchmarkId, `${name}.benchmarkId`) : null,
    riskModel: input.riskModel,
    riskFreeRate: finite(input.riskFreeRate, `${name}.riskFreeRate`, true)!,
    minWeight: finite(input.minWeight, `${name}.minWeight`, false),
    maxWeight: finite(input.maxWeight, `${name}.maxWeight`, false),
    assetBounds: input.assetBounds.map((b) => ({
      assetId: parseId(b.assetId, `${name}.assetBounds.assetId`),
      min: finite(b.min, `${name}.assetBounds.min`, false),
      max: finite(b.max, `${name}.assetBounds.max`, false),
    })),
    gamma: input.gamma,
    sectorCaps: input.sectorCaps.map((cap) => ({ sector: cap.sector, max: cap.max })),
    lotSize: input.lotSize,
  };
}
