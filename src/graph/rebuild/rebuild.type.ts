import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RebuildJobState } from '../../jobs/rebuild.control.js';
import { ScheduleSetBy } from '../../jobs/rebuild.queue.js';
import { DateScalar } from '../common/scalars.js';

registerEnumType(RebuildJobState, {
  name: 'RebuildJobState',
  description: 'DELAYED: a scheduled build before its time, or a build waiting to retry after a transient error.',
});

registerEnumType(ScheduleSetBy, {
  name: 'ScheduleSetBy',
  description: 'CONFIG: REBUILD_CRON and REBUILD_TZ, reinstalled when they change; OPERATOR: setRebuildSchedule, kept across restarts.',
});

@ObjectType({ description: 'What a finished build published.' })
export class RebuildResult {
  @Field(() => ID, { description: 'The build_id in asset_360_builds.' })
  buildId!: string;

  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => Int, { description: 'Rows of asset_360 the build published.' })
  rows!: number;

  @Field(() => Float)
  seconds!: number;
}

@ObjectType({ description: 'A build of asset_360 on the rebuild queue.' })
export class RebuildJob {
  @Field(() => ID)
  id!: string;

  @Field(() => RebuildJobState)
  state!: RebuildJobState;

  @Field(() => DateScalar, { nullable: true, description: 'Null for a build as of the date it runs, until it has run.' })
  asOf!: string | null;

  @Field(() => Int, { description: 'Percent, 0 to 100; while running, an estimate from the previous build.' })
  progress!: number;

  @Field(() => Boolean, { description: 'True when the schedule enqueued it, false when an operator asked.' })
  scheduled!: boolean;

  @Field(() => Int, { description: 'Attempts that ended, in failure or success.' })
  attemptsMade!: number;

  @Field(() => DateTimeResolver)
  queuedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => RebuildResult, { nullable: true })
  result!: RebuildResult | null;

  @Field(() => String, { nullable: true, description: 'Why it failed, or why it is waiting to retry.' })
  failedReason!: string | null;
}

@ObjectType({ description: 'When asset_360 is rebuilt on its own.' })
export class RebuildSchedule {
  @Field(() => String, { description: 'A cron pattern: minute hour day month weekday, seconds optional in front.' })
  pattern!: string;

  @Field(() => String, { description: 'The IANA time zone the pattern is read in.' })
  tz!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  nextRun!: Date | null;

  @Field(() => Boolean, { description: 'True while rebuilds are paused: nothing new starts, scheduled or requested.' })
  paused!: boolean;

  @Field(() => ScheduleSetBy, { nullable: true, description: 'Null until a worker has installed the schedule.' })
  setBy!: ScheduleSetBy | null;
}
