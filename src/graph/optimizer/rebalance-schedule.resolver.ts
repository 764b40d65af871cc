import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Role } from '../../auth/viewer.js';
import type { RebalanceScheduleView } from '../../jobs/rebuild.control.js';
import { BadUserInputError } from '../../lib/errors.js';
import { PATTERN_HINT, TZ_HINT } from '../../lib/schedule.js';
import { parseId } from '../common/ids.js';
import { rebuildsOf } from '../common/rebuilds.js';
import type { Context } from '../context.js';
import { portfolioExists } from './decision.sql.js';
import { OptimizationSettingsInput, scheduledRequest } from './optimizer.inputs.js';
import { RebalanceSchedule } from './rebalance-schedule.type.js';

function view(schedule: RebalanceScheduleView | null): RebalanceSchedule | null {
  if (!schedule) return null;
  const { request, ...rest } = schedule;
  return { ...rest, settings: request as unknown as Record<string, unknown> };
}

const MAX_LOOKBACK_DAYS = 20 * 366;

@Resolver()
export class RebalanceScheduleResolver {
  @Authorized<Role>('OPERATOR')
  @Query(() => RebalanceSchedule, {
    nullable: true,
    description: 'A portfolio’s rebalance schedule; null when it has none. Needs OPERATOR.',
  })
  async rebalanceSchedule(@Arg('portfolioId', () => ID) portfolioId: string, @Ctx() context: Context): Promise<RebalanceSchedule | null> {
    return view(await rebuildsOf(context).rebalanceSchedule(parseId(portfolioId, 'portfolioId')));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebalanceSchedule, {
    description:
      'Installs or replaces a portfolio’s rebalance schedule (running): at each run the optimizer proposes a rebalance over the last ' +
      'lookbackDays of prices and stores it as a decision by system:rebalance-schedule, recorded in the audit log. Needs OPERATOR.',
  })
  async setRebalanceSchedule(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Arg('pattern', () => String, { description: PATTERN_HINT }) pattern: string,
    @Arg('settings', () => OptimizationSettingsInput) settings: OptimizationSettingsInput,
    @Arg('tz', () => String, { nullable: true, description: `${TZ_HINT}; UTC when omitted.` }) tz: string | null | undefined,
    @Arg('lookbackDays', () => Int, { nullable: true, description: 'Calendar days of prices; 1,095 (3 years) when omitted.' })
    lookbackDays: number | null | undefined,
    @Ctx() context: Context,
  ): Promise<RebalanceSchedule> {
    const id = parseId(portfolioId, 'portfolioId');
    lookbackDays ??= 1095;
    tz ??= 'UTC';
    if (!Number.isInteger(lookbackDays) || lookbackDays < 2 || lookbackDays > MAX_LOOKBACK_DAYS) {
      throw new BadUserInputError(`lookbackDays must be an integer from 2 to ${MAX_LOOKBACK_DAYS}`, 'lookbackDays');
    }
    if (!(await portfolioExists(context.sql, id))) throw new BadUserInputError(`portfolioId ${id} is not a portfolio`, 'portfolioId');
    return view(await rebuildsOf(context).setRebalanceSchedule(id, { pattern, tz }, lookbackDays, scheduledRequest(settings, 'settings')))!;
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebalanceSchedule, {
    nullable: true,
    description: 'Pauses a portfolio’s schedule; null when it has none. Needs OPERATOR.',
  })
  async pauseRebalanceSchedule(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Ctx() context: Context,
  ): Promise<RebalanceSchedule | null> {
    return view(await rebuildsOf(context).pauseRebalanceSchedule(parseId(portfolioId, 'portfolioId'), true));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebalanceSchedule, {
    nullable: true,
    description: 'Resumes a portfolio’s schedule; null when it has none. Needs OPERATOR.',
  })
  async resumeRebalanceSchedule(
    @Arg('portfolioId', () => ID) portfolioId: string,
    @Ctx() context: Context,
  ): Promise<RebalanceSchedule | null> {
    return view(await rebuildsOf(context).pauseRebalanceSchedule(parseId(portfolioId, 'portfolioId'), false));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => Boolean, { description: 'Removes a portfolio’s schedule; false when it had none. Needs OPERATOR.' })
  removeRebalanceSchedule(@Arg('portfolioId', () => ID) portfolioId: string, @Ctx() context: Context): Promise<boolean> {
    return rebuildsOf(context).removeRebalanceSchedule(parseId(portfolioId, 'portfolioId'));
  }
}
