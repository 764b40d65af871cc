import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Connection } from '../common/connection.js';
import { OptimizedWeight, RebalanceTrade } from './optimizer.type.js';

export enum RebalanceDecisionStatus {
  PROPOSED = 'PROPOSED',
  EXECUTED = 'EXECUTED',
}
registerEnumType(RebalanceDecisionStatus, { name: 'RebalanceDecisionStatus' });

@ObjectType({ description: 'A rebalance proposal on record: never deleted; executed at most once.' })
export class RebalanceDecision {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  portfolioId!: string;

  @Field(() => RebalanceDecisionStatus)
  status!: RebalanceDecisionStatus;

  @Field(() => String, { description: 'graph (proposeRebalance) or schedule (the per-portfolio job).' })
  source!: string;

  @Field(() => DateTimeResolver)
  proposedAt!: Date;

  @Field(() => String, { description: 'The token subject that proposed it, or the schedule.' })
  proposedBy!: string;

  @Field(() => JSONObjectResolver, { description: 'The optimization input as checked (ids parsed, defaults applied).' })
  inputs!: Record<string, unknown>;

  @Field(() => String)
  priceWindowHash!: string;

  @Field(() => String)
  covarianceHash!: string;

  @Field(() => String, { description: 'sha256 of the open quantities it was proposed on; execution needs them unchanged.' })
  positionsHash!: string;

  @Field(() => [OptimizedWeight])
  weights!: OptimizedWeight[];

  @Field(() => Float)
  expectedReturn!: number;

  @Field(() => Float)
  volatility!: number;

  @Field(() => Float)
  sharpe!: number;

  @Field(() => Int)
  observations!: number;

  @Field(() => Boolean)
  covarianceRepaired!: boolean;

  @Field(() => [RebalanceTrade])
  trades!: RebalanceTrade[];

  @Field(() => DateTimeResolver, { nullable: true })
  executedAt!: Date | null;

  @Field(() => String, { nullable: true })
  executedBy!: string | null;

  @Field(() => [ID], { nullable: true, description: 'The trades execution recorded.' })
  tradeIds!: string[] | null;
}

@ObjectType()
export class RebalanceDecisionConnection extends Connection(RebalanceDecision) {}

@ObjectType()
export class AssetDrift {
  @Field(() => ID)
  assetId!: string;

  @Field(() => Float)
  targetWeight!: number;

  @Field(() => Float, { description: 'At the latest closes, in base currency.' })
  currentWeight!: number;

  @Field(() => Float, { description: 'currentWeight − targetWeight.' })
  drift!: number;
}

@ObjectType({ description: 'How far the positions are from the target weights of the latest rebalance decision.' })
export class PortfolioDrift {
  @Field(() => ID)
  decisionId!: string;

  @Field(() => DateTimeResolver)
  proposedAt!: Date;

  @Field(() => Float, { description: '½ Σ |drift|: the share of the portfolio that would have to trade.' })
  total!: number;

  @Field(() => [AssetDrift])
  assets!: AssetDrift[];
}
