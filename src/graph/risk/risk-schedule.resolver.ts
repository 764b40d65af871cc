import { DateResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { InvalidScheduleError, RebuildsUnavailableError, type RebuildControl, type ScheduleView } from '../../jobs/rebuild.control.js';
import { PATTERN_HINT, TZ_HINT } from '../../lib/schedule.js';
import type { Role } from '../../auth/viewer.js';
import { isoDate } from '../common/arguments.js';
import type { Context } from '../context.js';
import { BadUserInputError, UnavailableError } from '../../lib/errors.js';
import { RebuildJobState, type ScheduleSetBy } from '../rebuild/rebuild.type.js';
import { RiskRun, RiskSchedule } from './risk.type.js';

@Resolver()
export class RiskScheduleResolver {
  @Authorized<Role>('OPERATOR')
  @Query(() => RiskSchedule, { description: "The risk engine's schedule and whether its queue is paused. Needs OPERATOR." })
  riskSchedule(@Ctx() context: Context): Promise<RiskSchedule> {
    return operate(context, async (control) => toSchedule(await control.riskSchedule()));
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
    return operate(context, async (control) => toSchedule(await control.setRiskSchedule(pattern, tz ?? undefined)));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RiskRun, {
    description:
      'Enqueues a run of the risk engine, which writes risk_metrics for every asset as of the date; a rebuild after it carries them into asset_360. Needs OPERATOR.',
  })
  runRiskEngine(
    @Arg('asOf', () => DateResolver, { nullable: true, description: 'Defaults to the date the run starts.' }) asOf: Date | null | undefined,
    @Ctx() context: Context,
  ): Promise<RiskRun> {
    return operate(context, async (control) => {
      const run = await control.requestRisk(asOf ? isoDate(asOf) : undefined);
      return { id: run.id, state: run.state as RebuildJobState, asOf: run.asOf };
    });
  }
}

async function operate<T>(context: Context, operation: (control: RebuildControl) => Promise<T>): Promise<T> {
  if (!context.rebuilds) throw new UnavailableError('this server runs without a job queue');
  try {
    return await operation(context.rebuilds);
  } catch (error) {
    if (error instanceof RebuildsUnavailableError) throw new UnavailableError(error.message);
    if (error instanceof InvalidScheduleError) {
      const { field, reason } = error.problem;
      throw new BadUserInputError(`${field} must be ${field === 'tz' ? TZ_HINT : PATTERN_HINT}: ${reason}`, field);
    }
    throw error;
  }
}

function toSchedule(view: ScheduleView): RiskSchedule {
  return { ...view, setBy: view.setBy as ScheduleSetBy | null };
}
