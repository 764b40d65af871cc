import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import type { AuditAction } from '../../audit/actions.js';
import { recordAudit } from '../../audit/record.js';
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
import { Uncached } from '../cache/reads.js';

function view(schedule: RebalanceScheduleView | null): RebalanceSchedule | null {
  if (!schedule) return null;
  const { request, ...rest } = schedule;
  return { ...rest, settings: request as unknown as Record<string, unknown> };
}

const MAX_LOOKBACK_DAYS = 20 * 366;

/**
 * Makes a schedule change in Redis inside a PostgreSQL transaction that then records it, as
 * `audited` does (src/audit/record.ts); a call that changed nothing (no schedule) records nothing.
 */
function auditedChange<T>(
  context: Context,
  action: AuditAction,
  portfolioId: string,
  change: () => Promise<T>,
  payload: (result: T) => Record<string, unknown>,
): Promise<T> {
  return context.sql.begin(async (tx) => {
    const result = await change();
    if (result !== null && result !== false) {
      await recordAudit(tx, {
        actor: viewerActor(context.viewer),
        action,
        entity: 'rebalance_schedule',
        entityId: portfolioId,
        payload: { portfolio_id: portfolioId, ...payload(result) },
      });
    }
    return result;
  }) as Promise<T>;
}

@Resolver()
export class RebalanceScheduleResolver {
  @Authorized<Role>('OPERATOR')
  @Uncached('the schedule lives in Redis')
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
    const request = scheduledRequest(settings, 'settings');
    const set = await auditedChange(
      context,
      'rebalance_schedule.set',
      id,
      () => rebuildsOf(context).setRebalanceSchedule(id, { pattern, tz }, lookbackDays, request),
      (schedule) => ({ pattern: schedule.pattern, tz: schedule.tz, lookback_days: schedule.lookbackDays, settings: schedule.request }),
    );
    return view(set)!;
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
    const id = parseId(portfolioId, 'portfolioId');
    return view(
      await auditedChange(
        context,
        'rebalance_schedule.paused',
        id,
        () => rebuildsOf(context).pauseRebalanceSchedule(id, true),
        () => ({}),
      ),
    );
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
    const id = parseId(portfolioId, 'portfolioId');
    return view(
      await auditedChange(
        context,
        'rebalance_schedule.resumed',
        id,
        () => rebuildsOf(context).pauseRebalanceSchedule(id, false),
        () => ({}),
      ),
    );
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => Boolean, { description: 'Removes a portfolio’s schedule; false when it had none. Needs OPERATOR.' })
  removeRebalanceSchedule(@Arg('portfolioId', () => ID) portfolioId: string, @Ctx() context: Context): Promise<boolean> {
    const id = parseId(portfolioId, 'portfolioId');
    return auditedChange(
      context,
      'rebalance_schedule.removed',
      id,
      () => rebuildsOf(context).removeRebalanceSchedule(id),
      () => ({}),
    );
  }
}
