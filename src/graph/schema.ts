import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { authChecker } from './access.js';
import { resolvePlainFieldsDirectly } from './common/plain-fields.js';
import { AccountResolver } from './account/account.resolver.js';
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
import { BankResolver } from './bank/bank.resolver.js';
import { BuildResolver } from './build/build.resolver.js';
import { CategoryRuleResolver } from './category-rule/category-rule.resolver.js';
import { CounterpartyResolver } from './counterparty/counterparty.resolver.js';
import { CashMovementResolver, LedgerResolver } from './ledger/ledger.resolver.js';
import { MembershipResolver, MeResolver, OrganizationResolver, UserResolver } from './owner/owner.resolver.js';
import { LiveResolver } from './live/live.resolver.js';
import { PortfolioDriftResolver, RebalanceDecisionResolver } from './optimizer/decision.resolver.js';
import { PortfolioOptimizeResolver } from './optimizer/optimizer.resolver.js';
import { RebalanceScheduleResolver } from './optimizer/rebalance-schedule.resolver.js';
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
  AccountResolver,
  AggregatesResolver,
  AllocationResolver,
  AnalyticsResolver,
  AssetResolver,
  AssetRiskResolver,
  AuditResolver,
  BankResolver,
  BuildResolver,
  CashMovementResolver,
  CategoryRuleResolver,
  ComplianceSummaryResolver,
  CounterpartyResolver,
  LedgerResolver,
  MembershipResolver,
  MeResolver,
  OrganizationResolver,
  LiveResolver,
  PerformanceDashboardResolver,
  PortfolioOverviewResolver,
  PortfolioDriftResolver,
  PortfolioOptimizeResolver,
  PortfolioResolver,
  PortfolioRiskFieldsResolver,
  PortfolioRiskResolver,
  PositionResolver,
  PositionRiskResolver,
  RebalanceDecisionResolver,
  RebalanceScheduleResolver,
  RebuildResolver,
  RiskProfileResolver,
  RiskScheduleResolver,
  TradeMutationResolver,
  TradeRealizationResolver,
  TradeResolver,
  UserResolver,
  ViolationResolver,
] as const;

/**
 * Every subscription brings its own `subscribe`, fed from Redis through LiveEvents so that events
 * cross processes; type-graphql still wants a pubSub for topic-based ones, which the graph has none of.
 */
const noTopics: PubSub = {
  publish() {
    throw new Error('the graph publishes through LiveEvents, not type-graphql topics');
  },
  subscribe() {
    throw new Error('every subscription of the graph has its own subscribe function');
  },
};

export function buildGraphSchema(): Promise<GraphQLSchema> {
  resolvePlainFieldsDirectly();
  return buildSchema({ resolvers: [...resolvers], validate: false, authChecker, authMode: 'error', pubSub: noTopics });
}
