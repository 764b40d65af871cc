import { Queue, type JobSchedulerTemplateOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Schedule } from '../lib/schedule.js';

/** The one scheduler of the queue: upserting under a fixed id never adds a second schedule. */
export const SCHEDULER_ID = 'asset360-rebuild';
export const JOB_NAME = 'rebuild';
/** Every operator request shares it, so BullMQ keeps at most one of them waiting beside the running one. */
export const REQUEST_DEDUPLICATION_ID = 'asset360-rebuild-request';

/** Who installed a schedule: its configuration (REBUILD_CRON, RISK_CRON) or an operator. */
export const ScheduleSetBy = { CONFIG: 'config', OPERATOR: 'operator' } as const;
export type ScheduleSetBy = (typeof ScheduleSetBy)[keyof typeof ScheduleSetBy];

export interface RebuildJobData {
  /** YYYY-MM-DD; absent when the build is as of current_date at the time it runs. */
  asOf?: string;
  /** On scheduled jobs: whether REBUILD_CRON or an operator installed the schedule. */
  scheduleSetBy?: ScheduleSetBy;
}

export interface RebuildJobResult {
  buildId: string;
  asOf: string;
  rows: number;
  seconds: number;
}

export type RebuildQueue = Queue<RebuildJobData, RebuildJobResult>;

export interface QueueNames {
  queueName: string;
  queuePrefix: string;
}

/**
 * Transient failures (a lost connection, a serialization failure) are retried after 2, 4, 8 and
 * 16 s; the worker fails a build with a data error at once, whatever attempts remain.
 * Finished jobs stay long enough for an operator to read their result by id.
 */
export const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} satisfies JobSchedulerTemplateOptions;

/** BullMQ re-emits every connection error on the queue; the caller decides how loud that is. */
export function createRebuildQueue(connection: Redis, names: QueueNames, onError: (error: Error) => void): RebuildQueue {
  const queue: RebuildQueue = new Queue(names.queueName, {
    connection,
    prefix: names.queuePrefix,
    defaultJobOptions: JOB_OPTIONS,
  });
  queue.on('error', onError);
  return queue;
}

export function upsertSchedule(queue: RebuildQueue, schedule: Schedule, setBy: ScheduleSetBy) {
  return queue.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: schedule.pattern, tz: schedule.tz },
    { name: JOB_NAME, data: { scheduleSetBy: setBy }, opts: JOB_OPTIONS },
  );
}

export type ScheduleOutcome = 'created' | 'updated' | 'unchanged' | 'kept-operator-schedule';

/**
 * Run at every worker start and every reconnect: it writes only when Redis has no schedule, or
 * one that REBUILD_CRON installed and that differs from it. A schedule an operator set survives
 * restarts and deploys until an operator changes it again.
 */
export async function ensureSchedule(queue: RebuildQueue, schedule: Schedule): Promise<ScheduleOutcome> {
  // One build at a time across every worker: the procedure would serialize them anyway, but a
  // second worker would hold a connection and a job lock while it waits.
  await queue.setGlobalConcurrency(1);
  const current = await queue.getJobScheduler(SCHEDULER_ID);
  if (current?.template?.data?.scheduleSetBy === 'operator') return 'kept-operator-schedule';
  if (current && current.pattern === schedule.pattern && (current.tz ?? 'UTC') === schedule.tz) return 'unchanged';
  await upsertSchedule(queue, schedule, 'config');
  return current ? 'updated' : 'created';
}
