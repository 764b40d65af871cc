import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import { audited } from '../../audit/record.js';
import { PATTERN_HINT, TZ_HINT } from '../../lib/schedule.js';
import type { Role } from '../../auth/viewer.js';
import { isoDate } from '../common/arguments.js';
import type { Context } from '../context.js';
import { rebuildsOf } from '../common/rebuilds.js';
import { RiskRun, RiskSchedule } from './risk.type.js';
import { DateScalar } from '../common/scalars.js';
import { Uncached } from '../cache/reads.js';

@Resolver()
export class RiskScheduleResolver {
  @Authorized<Role>('OPERATOR')
  @Uncached("the schedule and the queue's state live in Redis")
  @Query(() => RiskSchedule, { description: "The risk engine's schedule and whether its queue is paused. Needs OPERATOR." })
  riskSchedule(@Ctx() context: Context): Promise<RiskSchedule> {
    return rebuildsOf(context).riskSchedule();
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RiskSchedule, {
    description: "Replaces the risk engine's schedule for every worker, until an operator sets it again. Needs OPERATOR.",
  })
  setRiskSchedule(
    @Arg('pattern', () => String, { description: PATTERN_HINT }) pattern: string,
    @Arg('tz', () => String, { nullable: true, description: `${TZ_HINT}; defaults to the current one.` }) tz: string | null | undefined,
    @Ctx() context: Context,
  ): Promise<RiskSchedule> {
    const control = rebuildsOf(context);
    return audited(
      context.sql,
      () => control.setRiskSchedule(pattern, tz ?? undefined),
      (view) => ({
        actor: viewerActor(context.viewer),
        action: 'risk_schedule.set',
        entity: 'risk_schedule',
        entityId: null,
        payload: { pattern: view.pattern, tz: view.tz },
      }),
    );
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RiskRun, {
    description:
      'Enqueues a run of the risk engine, which writes risk_metrics for every asset as of the date; a rebuild after it carries them into asset_360. Needs OPERATOR.',
  })
  runRiskEngine(
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Defaults to the date the run starts.' }) asOf: Date | null | undefined,
    @Ctx() context: Context,
  ): Promise<RiskRun> {
    const control = rebuildsOf(context);
    const day = asOf ? isoDate(asOf) : undefined;
    return audited(
      context.sql,
      () => control.requestRisk(day),
      (run) => ({
        actor: viewerActor(context.viewer),
        action: 'risk.requested',
        entity: 'risk_job',
        entityId: run.id,
        payload: { job_id: run.id, as_of: day ?? null },
      }),
    );
  }
}
