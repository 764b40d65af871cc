import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemActor } from '../audit/actor.js';
import type { Sql } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { within } from '../lib/timeout.js';
import { proposeRebalance } from '../optimizer/decisions.js';
import type { QueueNames } from './rebuild.queue.js';
import {
  createRebalanceQueue,
  rebalanceQueueName,
  rebalanceSchedulerId,
  type RebalanceJobData,
  type RebalanceJobResult,
  type RebalanceQueue,
} from './rebalance.queue.js';
import { isTransientDatabaseError } from './transient.js';

export interface RebalanceWorker {
  close(force: boolean): Promise<void>;
}

/** The actor a scheduled decision, and its audit entry, names: `system:rebalance-schedule`. */
export const SCHEDULE_ACTOR = systemActor('rebalance-schedule');

/** Runs the scheduled rebalance proposals, one at a time: each stores a decision for its portfolio. */
export function startRebalanceWorker(sql: Sql, connection: Redis, names: QueueNames, log: Logger): RebalanceWorker {
  const quiet = (error: Error) => log.debug(`rebalance worker: ${error.message}`);
  const queue = createRebalanceQueue(connection, names, quiet);
  const worker = new Worker<RebalanceJobData, RebalanceJobResult>(rebalanceQueueName(names), (job) => run(job, queue, sql, log), {
    connection,
    prefix: names.queuePrefix,
    name: `${hostname()}:${process.pid}:rebalance`,
    concurrency: 1,
    lockDuration: 60_000,
  });
  worker.on('error', quiet);
  worker.on('failed', (job, error) => job && log.warn(`rebalance job ${job.id} failed: ${error.message}`));
  return {
    async close(force) {
      await within(Promise.all([worker.close(force), queue.close()]), 3_000, () => undefined).catch(quiet);
    },
  };
}

async function run(
  job: Job<RebalanceJobData, RebalanceJobResult>,
  queue: RebalanceQueue,
  sql: Sql,
  log: Logger,
): Promise<RebalanceJobResult> {
  // The scheduler's current template, not the job's copy: a pause must hold for a job already queued.
  const scheduler = job.repeatJobKey ? await queue.getJobScheduler(rebalanceSchedulerId(job.data.portfolioId)) : undefined;
  if (scheduler?.template?.data?.paused ?? job.data.paused) return { decisionId: null, skipped: 'paused' };
  try {
    const [{ from, to }] = await sql<[{ from: string; to: string }]>`
      select (current_date - ${job.data.lookbackDays}::int)::text as from, current_date::text as to`;
    const decision = await proposeRebalance(sql, SCHEDULE_ACTOR, job.data.portfolioId, { ...job.data.request, from, to }, 'schedule');
    log.info(`rebalance job ${job.id}: decision ${decision.id} proposed for portfolio ${job.data.portfolioId}`);
    return { decisionId: decision.id };
  } catch (error) {
    if (isTransientDatabaseError(error)) throw error;
    throw new UnrecoverableError((error as Error).message);
  }
}
