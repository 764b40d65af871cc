import { Queue, type JobSchedulerTemplateOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ScheduledRequest } from '../optimizer/plan.js';
import type { Schedule } from '../lib/schedule.js';
import type { QueueNames } from './rebuild.queue.js';

/**
 * Scheduled rebalance proposals: one job scheduler per portfolio on a queue of their own, beside
 * the rebuilds and the risk engine, so that a slow optimization never delays either.
 */
export const REBALANCE_JOB_NAME = 'rebalance-proposal';

export type { ScheduledRequest };
export interface RebalanceJobData {
  portfolioId: string;
  /** The window is the lookbackDays calendar days up to the day the job runs. */
  lookbackDays: number;
  request: ScheduledRequest;
  /** A paused schedule keeps firing but proposes nothing until resumed. */
  paused: boolean;
}

export interface RebalanceJobResult {
  decisionId: string | null;
  skipped?: 'paused';
}

export type RebalanceQueue = Queue<RebalanceJobData, RebalanceJobResult>;

export function rebalanceQueueName(names: QueueNames): string {
  return `${names.queueName}-rebalance`;
}

export function rebalanceSchedulerId(portfolioId: string): string {
  return `asset360-rebalance-${portfolioId}`;
}

/** An infeasible request fails at once: retrying cannot make it feasible. Database hiccups retry. */
export const REBALANCE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} satisfies JobSchedulerTemplateOptions;

export function createRebalanceQueue(connection: Redis, names: QueueNames, onError: (error: Error) => void): RebalanceQueue {
  const queue: RebalanceQueue = new Queue(rebalanceQueueName(names), {
    connection,
    prefix: names.queuePrefix,
    defaultJobOptions: REBALANCE_JOB_OPTIONS,
  });
  queue.on('error', onError);
  return queue;
}

export function upsertRebalanceSchedule(queue: RebalanceQueue, schedule: Schedule, data: RebalanceJobData) {
  return queue.upsertJobScheduler(
    rebalanceSchedulerId(data.portfolioId),
    { pattern: schedule.pattern, tz: schedule.tz },
    { name: REBALANCE_JOB_NAME, data, opts: REBALANCE_JOB_OPTIONS },
  );
}
