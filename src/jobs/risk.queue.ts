import { Queue, type JobSchedulerTemplateOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueNames, ScheduleSetBy } from './rebuild.queue.js';
import type { Schedule } from '../lib/schedule.js';

/**
 * The risk engine's queue: beside the rebuild queue, with its own scheduler, so that operators see
 * and set the two schedules apart and a long build never delays the risk figures (or the reverse).
 */
export const RISK_SCHEDULER_ID = 'asset360-risk';
export const RISK_JOB_NAME = 'risk-metrics';

export interface RiskJobData {
  /** YYYY-MM-DD; absent when the run is as of current_date at the time it runs. */
  asOf?: string;
  scheduleSetBy?: ScheduleSetBy;
}

export interface RiskJobResult {
  asOf: string;
  rows: number;
  removed: number;
  seconds: number;
}

export type RiskQueue = Queue<RiskJobData, RiskJobResult>;

export function riskQueueName(names: QueueNames): string {
  return `${names.queueName}-risk`;
}

/** As the rebuilds: transient failures retried after 2, 4, 8 and 16 s, others fail at once. */
export const RISK_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} satisfies JobSchedulerTemplateOptions;

export function createRiskQueue(connection: Redis, names: QueueNames, onError: (error: Error) => void): RiskQueue {
  const queue: RiskQueue = new Queue(riskQueueName(names), { connection, prefix: names.queuePrefix, defaultJobOptions: RISK_JOB_OPTIONS });
  queue.on('error', onError);
  return queue;
}

export function upsertRiskSchedule(queue: RiskQueue, schedule: Schedule, setBy: ScheduleSetBy) {
  return queue.upsertJobScheduler(
    RISK_SCHEDULER_ID,
    { pattern: schedule.pattern, tz: schedule.tz },
    { name: RISK_JOB_NAME, data: { scheduleSetBy: setBy }, opts: RISK_JOB_OPTIONS },
  );
}

/** As ensureSchedule of the rebuilds: RISK_CRON installs it unless an operator set one. */
export async function ensureRiskSchedule(
  queue: RiskQueue,
  schedule: Schedule,
): Promise<'created' | 'updated' | 'unchanged' | 'kept-operator-schedule'> {
  await queue.setGlobalConcurrency(1);
  const current = await queue.getJobScheduler(RISK_SCHEDULER_ID);
  if (current?.template?.data?.scheduleSetBy === 'operator') return 'kept-operator-schedule';
  if (current && current.pattern === schedule.pattern && (current.tz ?? 'UTC') === schedule.tz) return 'unchanged';
  await upsertRiskSchedule(queue, schedule, 'config');
  return current ? 'updated' : 'created';
}
