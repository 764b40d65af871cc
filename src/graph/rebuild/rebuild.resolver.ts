import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import { audited } from '../../audit/record.js';
import { PATTERN_HINT, TZ_HINT } from '../../lib/schedule.js';
import type { Role } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { BadUserInputError } from '../../lib/errors.js';
import { rebuildsOf } from '../common/rebuilds.js';
import { RebuildJob, RebuildSchedule } from './rebuild.type.js';
import { DateScalar } from '../common/scalars.js';
import { Uncached } from '../cache/reads.js';

@Resolver()
export class RebuildResolver {
  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildJob, {
    description:
      'Enqueues a build of asset_360 and returns at once. While a requested build waits, asking again returns it; while one runs, ' +
      'asking again returns it and one more build follows it. Needs OPERATOR.',
  })
  rebuildAsset360(
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Defaults to the date the build runs.' }) asOf: Date | null | undefined,
    @Ctx() context: Context,
  ): Promise<RebuildJob> {
    const rebuilds = rebuildsOf(context);
    const day = asOf ? asOf.toISOString().slice(0, 10) : undefined;
    return audited(
      context.sql,
      () => rebuilds.request(day),
      (job) => ({
        actor: viewerActor(context.viewer),
        action: 'build.requested',
        entity: 'rebuild_job',
        entityId: job.id,
        payload: { job_id: job.id, as_of: day ?? null, state: job.state },
      }),
    );
  }

  @Authorized<Role>('OPERATOR')
  @Uncached("the job's state lives in Redis and changes by the second")
  @Query(() => RebuildJob, {
    nullable: true,
    description: 'A build on the rebuild queue by its id; null once it has been cleaned up. Needs OPERATOR.',
  })
  rebuildJob(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<RebuildJob | null> {
    const rebuilds = rebuildsOf(context);
    if (!/^[\w:.-]{1,200}$/.test(id))
      throw new BadUserInputError(`id must be a rebuild job id, got ${JSON.stringify(id.slice(0, 40))}`, 'id');
    return rebuilds.job(id);
  }

  @Authorized<Role>('OPERATOR')
  @Uncached("the schedule and the queue's state live in Redis")
  @Query(() => RebuildSchedule, { description: 'The rebuild schedule and whether rebuilds are paused. Needs OPERATOR.' })
  rebuildSchedule(@Ctx() context: Context): Promise<RebuildSchedule> {
    return rebuildsOf(context).schedule();
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildSchedule, {
    description: 'Replaces the rebuild schedule for every worker, until an operator sets it again. Needs OPERATOR.',
  })
  setRebuildSchedule(
    @Arg('pattern', () => String, { description: PATTERN_HINT }) pattern: string,
    @Arg('tz', () => String, { nullable: true, description: `${TZ_HINT}; defaults to the current one.` }) tz: string | null | undefined,
    @Ctx() context: Context,
  ): Promise<RebuildSchedule> {
    const rebuilds = rebuildsOf(context);
    return audited(
      context.sql,
      () => rebuilds.setSchedule(pattern, tz ?? undefined),
      (view) => ({
        actor: viewerActor(context.viewer),
        action: 'rebuild_schedule.set',
        entity: 'rebuild_schedule',
        entityId: null,
        payload: { pattern: view.pattern, tz: view.tz },
      }),
    );
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildSchedule, {
    description: 'Stops starting builds, scheduled or requested; a running build finishes. Needs OPERATOR.',
  })
  pauseRebuilds(@Ctx() context: Context): Promise<RebuildSchedule> {
    const rebuilds = rebuildsOf(context);
    return audited(
      context.sql,
      () => rebuilds.pause(),
      () => ({ actor: viewerActor(context.viewer), action: 'rebuilds.paused', entity: 'rebuild_queue', entityId: null, payload: {} }),
    );
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildSchedule, { description: 'Starts builds again, beginning with any that waited. Needs OPERATOR.' })
  resumeRebuilds(@Ctx() context: Context): Promise<RebuildSchedule> {
    const rebuilds = rebuildsOf(context);
    return audited(
      context.sql,
      () => rebuilds.resume(),
      () => ({ actor: viewerActor(context.viewer), action: 'rebuilds.resumed', entity: 'rebuild_queue', entityId: null, payload: {} }),
    );
  }
}
