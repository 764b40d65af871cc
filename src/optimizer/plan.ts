import type { Sql } from '../infra/db.js';
import { BadUserInputError, NotFoundError } from '../lib/errors.js';
import { basePriceWindow, matrixHash, positionsHash, valuedAssets } from './market.js';
import type { Objective, SectorLimit } from './objectives.js';
import { optimizeFromPrices, type ExpectedReturnsModel } from './optimize.js';
import { propose, type Holding, type ProposedTrade } from './proposal.js';
import type { RiskModel } from './risk-models.js';

/** What Portfolio.optimize and proposeRebalance take (ids parsed, dates YYYY-MM-DD). */
export interface RebalanceRequest {
  from: string;
  to: string;
  /** The assets to weigh; the portfolio's open positions when null. */
  assetIds: string[] | null;
  objective: Objective;
  expectedReturns: ExpectedReturnsModel;
  /** CAPM's market; the assets' equal-weighted mean when null. */
  benchmarkId: string | null;
  riskModel: RiskModel;
  riskFreeRate: number;
  /** Every asset's bounds; null is PyPortfolioOpt's None (−1 as a minimum, +1 as a maximum). */
  minWeight: number | null;
  maxWeight: number | null;
  assetBounds: { assetId: string; min: number | null; max: number | null }[];
  gamma: number;
  sectorCaps: { sector: string; max: number }[];
  lotSize: string;
}

/** A request without its window: what a schedule keeps, the window ending on the day it runs. */
export type ScheduledRequest = Omit<RebalanceRequest, 'from' | 'to'>;

export interface AssetWeight {
  assetId: string;
  weight: number;
  expectedReturn: number;
}

export interface RebalancePlan {
  portfolioId: string;
  baseCurrency: string;
  request: RebalanceRequest;
  observations: number;
  weights: AssetWeight[];
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  covarianceRepaired: boolean;
  shrinkage: number | null;
  marketValue: number;
  holdings: Holding[];
  trades: ProposedTrade[];
  priceWindowHash: string;
  covarianceHash: string;
  positionsHash: string;
}

/**
 * Optimizes the weights of a portfolio's holdings (or the given assets) over the price window and
 * proposes the trades to reach them. Reads only; BAD_USER_INPUT naming the argument for anything
 * the request gets wrong, NOT_FOUND for an unknown portfolio.
 */
export async function planRebalance(sql: Sql, portfolioId: string, request: RebalanceRequest): Promise<RebalancePlan> {
  if (request.from > request.to) throw new BadUserInputError(`input.from ${request.from} is after input.to ${request.to}`, 'input.from');
  const [portfolio] = await sql<{ base: string }[]>`
    select (select base_currency from asset_360_settings) as base from portfolios where portfolio_id = ${portfolioId}::bigint`;
  if (!portfolio) throw new NotFoundError(`portfolio ${portfolioId} does not exist`);
  const valued = await valuedAssets(sql, portfolioId, request.assetIds ?? []);
  const known = new Set(valued.map((v) => v.assetId));
  const unknown = (request.assetIds ?? []).find((id) => !known.has(id));
  if (unknown !== undefined) throw new BadUserInputError(`input.assetIds: ${unknown} is not an asset`, 'input.assetIds');
  const assetIds = request.assetIds ? [...new Set(request.assetIds)] : valued.filter((v) => Number(v.quantity) !== 0).map((v) => v.assetId);
  if (assetIds.length === 0) throw new BadUserInputError('the portfolio holds nothing; give input.assetIds', 'input.assetIds');
  const withBenchmark = request.expectedReturns === 'CAPM' && request.benchmarkId !== null;
  const window = await basePriceWindow(sql, withBenchmark ? [...assetIds, request.benchmarkId!] : assetIds, request.from, request.to);
  if (withBenchmark && window.columns[assetIds.length]!.every(Number.isNaN)) {
    throw new BadUserInputError(`input.benchmarkId ${request.benchmarkId} has no prices in the window`, 'input.benchmarkId');
  }
  const bounds = assetIds.map((id) => request.assetBounds.find((b) => b.assetId === id));
  const boundOutside = request.assetBounds.find((b) => !assetIds.includes(b.assetId));
  if (boundOutside) throw new BadUserInputError(`input.assetBounds: ${boundOutside.assetId} is not among the assets`, 'input.assetBounds');
  const sectorOf = new Map(valued.map((v) => [v.assetId, v.sector]));
  const sectors: SectorLimit[] = request.sectorCaps.map((cap) => ({
    sector: cap.sector,
    members: assetIds.flatMap((id, i) => (sectorOf.get(id) === cap.sector ? [i] : [])),
    max: cap.max,
  }));
  const result = optimizeFromPrices(
    window.columns.slice(0, assetIds.length),
    {
      objective: request.objective,
      expectedReturns: request.expectedReturns,
      riskModel: request.riskModel,
      riskFreeRate: request.riskFreeRate,
      lower: bounds.map((b) => (b ? b.min : request.minWeight)),
      upper: bounds.map((b) => (b ? b.max : request.maxWeight)),
      gamma: request.gamma,
      sectors,
    },
    withBenchmark ? window.columns[assetIds.length] : undefined,
  );
  const weights = assetIds.map((assetId, i) => ({ assetId, weight: result.weights[i]!, expectedReturn: result.expectedReturns[i]! }));
  const proposal = propose(valued, new Map(weights.map((w) => [w.assetId, w.weight])), request.lotSize);
  return {
    portfolioId,
    baseCurrency: portfolio.base,
    request,
    observations: result.observations,
    weights,
    expectedReturn: result.expectedReturn,
    volatility: result.volatility,
    sharpe: result.sharpe,
    covarianceRepaired: result.covarianceRepaired,
    shrinkage: result.shrinkage ?? null,
    marketValue: proposal.marketValue,
    holdings: proposal.holdings,
    trades: proposal.trades,
    priceWindowHash: window.hash,
    covarianceHash: matrixHash(result.covariance),
    positionsHash: positionsHash(valued),
  };
}
