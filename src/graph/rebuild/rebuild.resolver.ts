import { DateResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import {
  InvalidScheduleError,
  RebuildsUnavailableError,
  type RebuildControl,
  type RebuildJobView,
  type ScheduleView,
} from '../../jobs/rebuild.control.js';
import { PATTERN_HINT, TZ_HINT } from '../../lib/schedule.js';
import type { Role } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { BadUserInputError, UnavailableError } from '../../lib/errors.js';
import { RebuildJob, RebuildJobState, RebuildSchedule, ScheduleSetBy } from './rebuild.type.js';

@Resolver()
export class RebuildResolver {
  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildJob, {
    description:
      'Enqueues a build of asset_360 and returns at once. While a requested build waits, asking again returns it; while one runs, ' +
      'asking again returns it and one more build follows it. Needs OPERATOR.',
  })
  rebuildAsset360(
    @Arg('asOf', () => DateResolver, { nullable: true, description: 'Defaults to the date the build runs.' }) asOf: Date | null | undefined,
    @Ctx() context: Context,
  ): Promise<RebuildJob> {
    return operate(context, async (rebuilds) => toJob(await rebuilds.request(asOf ? asOf.toISOString().slice(0, 10) : undefined)));
  }

  @Authorized<Role>('OPERATOR')
  @Query(() => RebuildJob, {
    nullable: true,
    description: 'A build on the rebuild queue by its id; null once it has been cleaned up. Needs OPERATOR.',
  })
  rebuildJob(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<RebuildJob | null> {
    return operate(context, async (rebuilds) => {
      if (!/^[\w:.-]{1,200}$/.test(id))
        throw new BadUserInputError(`id must be a rebuild job id, got ${JSON.stringify(id.slice(0, 40))}`, 'id');
      const view = await rebuilds.job(id);
      return view && toJob(view);
    });
  }

  @Authorized<Role>('OPERATOR')
  @Query(() => RebuildSchedule, { description: 'The rebuild schedule and whether rebuilds are paused. Needs OPERATOR.' })
  rebuildSchedule(@Ctx() context: Context): Promise<RebuildSchedule> {
    return operate(context, async (rebuilds) => toSchedule(await rebuilds.schedule()));
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
    return operate(context, async (rebuilds) => toSchedule(await rebuilds.setSchedule(pattern, tz ?? undefined)));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildSchedule, {
    description: 'Stops starting builds, scheduled or requested; a running build finishes. Needs OPERATOR.',
  })
  pauseRebuilds(@Ctx() context: Context): Promise<RebuildSchedule> {
    return operate(context, async (rebuilds) => toSchedule(await rebuilds.pause()));
  }

  @Authorized<Role>('OPERATOR')
  @Mutation(() => RebuildSchedule, { description: 'Starts builds again, beginning with any that waited. Needs OPERATOR.' })
  resumeRebuilds(@Ctx() context: Context): Promise<RebuildSchedule> {
    return operate(context, async (rebuilds) => toSchedule(await rebuilds.resume()));
  }
}

async function operate<T>(context: Context, operation: (rebuilds: RebuildControl) => Promise<T>): Promise<T> {
  if (!context.rebuilds) throw new UnavailableError('this server runs without a rebuild queue');
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

function toJob(view: RebuildJobView): RebuildJob {
  return { ...view, state: view.state as RebuildJobState };
}

function toSchedule(view: ScheduleView): RebuildSchedule {
  return { ...view, setBy: view.setBy as ScheduleSetBy | null };
}
