import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './access.js';
import { AggregatesResolver } from './aggregates/aggregates.resolver.js';
import { AllocationResolver } from './allocation/allocation.resolver.js';
import {
  AnalyticsResolver,
  ComplianceSummaryResolver,
  PerformanceDashboardResolver,
  PortfolioOverviewResolver,
} from './analytics/analytics.resolver.js';
import { AssetResolver } from './asset/asset.resolver.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { BuildResolver } from './build/build.resolver.js';
import { CounterpartyResolver } from './counterparty/counterparty.resolver.js';
import { PortfolioResolver } from './portfolio/portfolio.resolver.js';
import { PositionResolver } from './position/position.resolver.js';
import { RebuildResolver } from './rebuild/rebuild.resolver.js';
import {
  AssetRiskResolver,
  PortfolioRiskFieldsResolver,
  PortfolioRiskResolver,
  PositionRiskResolver,
  RiskProfileResolver,
} from './risk/risk.resolver.js';
import { RiskScheduleResolver } from './risk/risk-schedule.resolver.js';
import { TradeMutationResolver } from './trade/trade.mutation.js';
import { TradeRealizationResolver } from './trade/trade.realization.resolver.js';
import { TradeResolver } from './trade/trade.resolver.js';
import { ViolationResolver } from './violation/violation.resolver.js';

export const resolvers = [
  AggregatesResolver,
  AllocationResolver,
  AnalyticsResolver,
  AssetResolver,
  AssetRiskResolver,
  AuditResolver,
  BuildResolver,
  ComplianceSummaryResolver,
  CounterpartyResolver,
  PerformanceDashboardResolver,
  PortfolioOverviewResolver,
  PortfolioResolver,
  PortfolioRiskFieldsResolver,
  PortfolioRiskResolver,
  PositionResolver,
  PositionRiskResolver,
  RebuildResolver,
  RiskProfileResolver,
  RiskScheduleResolver,
  TradeMutationResolver,
  TradeRealizationResolver,
  TradeResolver,
  ViolationResolver,
] as const;

export function buildGraphSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [...resolvers], validate: false, authChecker, authMode: 'error' });
}
