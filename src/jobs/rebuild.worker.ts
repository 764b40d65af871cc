import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Sql, SqlOptions } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics, QueueCounts } from '../infra/metrics.js';
import { isRedisConnectionError } from '../infra/redis.js';
import { systemActor } from '../audit/actor.js';
import { buildAsset360 } from './build-asset-360.js';
import { recordScheduleInstall } from './schedule-audit.js';
import { publishBuild } from './build-events.js';
import {
  createRebuildQueue,
  ensureSchedule,
  type QueueNames,
  type RebuildJobData,
  type RebuildJobResult,
  type ScheduleOutcome,
} from './rebuild.queue.js';
import type { Schedule } from '../lib/schedule.js';
import { within } from '../lib/timeout.js';
import { readQueueCounts } from './queue-counts.js';
import { createRiskQueue } from './risk.queue.js';
import { createRebalanceQueue } from './rebalance.queue.js';
import { startRebalanceWorker } from './rebalance.worker.js';
import { startRiskWorker } from './risk.worker.js';
import { isTransientDatabaseError } from './transient.js';

/**
 * A worker renews its job's lock every 2.5 s; once a SIGKILLed worker stops, the lock lapses
 * within 5 s and the next stalled check (every 2.5 s, by any live worker) puts the job back:
 * recovered in 5 to 8 s. A job that stalls three times fails rather than crash-looping workers.
 */
const LOCK_DURATION_MS = 5_000;
const STALLED_INTERVAL_MS = 2_500;
const MAX_STALLED_COUNT = 2;
const PROGRESS_EVERY_MS = 1_000;
/** For BullMQ to record the outcome of a finished build and let go of Redis; it waits forever while Redis is down. */
const CLOSE_MS = 3_000;

/**
 * A worker's sessions check every 100 ms (a poll of the socket) that the worker is still there:
 * without it, the session of a killed worker would run its build to the end and publish it, since
 * the procedure commits by itself. A small pool: a build uses one session at a time.
 */
export const WORKER_SQL_OPTIONS: SqlOptions = {
  max: 2,
  connection: { application_name: 'asset360-worker', client_connection_check_interval: 100 },
};

export interface RebuildWorkerOptions {
  sql: Sql;
  /** Owned by the caller; it must have maxRetriesPerRequest: null. */
  connection: Redis;
  names: QueueNames;
  schedule: Schedule;
  shutdownTimeoutMs: number;
  log: Logger;
  /** When given, the worker also runs the risk engine's jobs on their own queue and schedule. */
  riskSchedule?: Schedule;
  /** Where the builds this worker runs are counted and timed. */
  metrics?: Metrics;
  /** When true, the worker also runs the per-portfolio rebalance proposals on their own queue. */
  rebalances?: boolean;
}

export interface RebuildWorker {
  worker: Worker<RebuildJobData, RebuildJobResult>;
  /** The outcome of installing the schedule at start; it is checked again after every reconnect. */
  scheduled: Promise<ScheduleOutcome>;
  /** Waits up to shutdownTimeoutMs for a running build, then leaves it for another worker. */
  close(): Promise<'drained' | 'abandoned'>;
  /** Job counts of the rebuild, risk and (when it runs them) rebalance queues, for the metrics; empty while Redis is down. */
  counts(): Promise<QueueCounts[]>;
  /** Running and connected to Redis: what the worker's health check reports. */
  up(): boolean;
}

export function startRebuildWorker({
  sql,
  connection,
  names,
  schedule,
  shutdownTimeoutMs,
  log,
  riskSchedule,
  metrics,
  rebalances = false,
}: RebuildWorkerOptions): RebuildWorker {
  const quiet = (error: Error) => {
    if (isRedisConnectionError(error)) log.debug(`rebuild worker: ${error.message}`);
    else log.warn(`rebuild worker: ${error.message}`);
  };
  const queue = createRebuildQueue(connection, names, quiet);

  // Our own record of the build in progress: BullMQ's cannot be asked while Redis is down.
  let running: Promise<RebuildJobResult> | undefined;
  const processor = (job: Job<RebuildJobData, RebuildJobResult>) => {
    const build = runBuild(job, sql, connection, names, log);
    if (metrics) measure(build, metrics);
    running = build;
    build.finally(() => running === build && (running = undefined)).catch(() => {});
    return build;
  };
  const worker = new Worker<RebuildJobData, RebuildJobResult>(names.queueName, processor, {
    connection,
    prefix: names.queuePrefix,
    name: `${hostname()}:${process.pid}`,
    concurrency: 1,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', quiet);
  worker.on('stalled', (jobId) => log.warn(`rebuild job ${jobId} stalled (its worker stopped renewing the lock); it runs again`));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const retrying = !(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
    log.warn(`rebuild job ${job.id} ${retrying ? `failed attempt ${job.attemptsMade}, retrying` : 'failed'}: ${error.message}`);
  });

  let ensuring: Promise<ScheduleOutcome> | undefined;
  const ensure = (): Promise<ScheduleOutcome> =>
    (ensuring ??= sql
      .begin(async (tx) => {
        const outcome = await ensureSchedule(queue, schedule);
        if (outcome === 'created' || outcome === 'updated') await recordScheduleInstall(tx, 'rebuild_schedule.set', schedule, outcome);
        return outcome;
      })
      .then((outcome) => {
        if (outcome === 'created' || outcome === 'updated') log.info(`rebuild schedule ${outcome}: "${schedule.pattern}" (${schedule.tz})`);
        if (outcome === 'kept-operator-schedule') log.info('rebuild schedule: keeping the one an operator set over REBUILD_CRON');
        return outcome;
      })
      .finally(() => (ensuring = undefined)));
  const scheduled = ensure();
  scheduled.catch((error: Error) => quiet(error));
  // A Redis that restarted empty has lost the schedule and the concurrency limit: put them back.
  const onReady = () => void ensure().catch(quiet);
  connection.on('ready', onReady);

  const risk = riskSchedule && startRiskWorker(sql, connection, names, riskSchedule, log);
  let riskQueue: ReturnType<typeof createRiskQueue> | undefined;
  let rebalanceQueue: ReturnType<typeof createRebalanceQueue> | undefined;
  const rebalance = rebalances ? startRebalanceWorker(sql, connection, names, log) : undefined;

  return {
    worker,
    scheduled,
    async counts() {
      if (connection.status !== 'ready') return [];
      riskQueue ??= createRiskQueue(connection, names, quiet);
      if (rebalances) rebalanceQueue ??= createRebalanceQueue(connection, names, quiet);
      return readQueueCounts(rebalanceQueue ? [queue, riskQueue, rebalanceQueue] : [queue, riskQueue]);
    },
    up: () => worker.isRunning() && connection.status === 'ready',
    async close() {
      connection.off('ready', onReady);
      // Take no new job; the one running goes on.
      void worker.pause(true).catch(quiet);
      const build = running;
      const outcome = build
        ? await within(
            build.then(
              () => 'drained' as const,
              () => 'drained' as const,
            ),
            shutdownTimeoutMs,
            () => 'abandoned' as const,
          )
        : 'drained';
      if (outcome === 'abandoned') {
        log.warn(`rebuild worker: a build still runs after ${shutdownTimeoutMs} ms; leaving it to another worker once its lock lapses`);
      }
      // Forced, a close stops renewing the lock of the build it leaves behind.
      await within(worker.close(outcome === 'abandoned').catch(quiet), CLOSE_MS, () => undefined);
      await within(queue.close().catch(quiet), CLOSE_MS, () => undefined);
      if (riskQueue) await within(riskQueue.close().catch(quiet), CLOSE_MS, () => undefined);
      if (rebalanceQueue) await within(rebalanceQueue.close().catch(quiet), CLOSE_MS, () => undefined);
      await risk?.close(outcome === 'abandoned');
      await rebalance?.close(outcome === 'abandoned');
      return outcome;
    },
  };
}

function measure(build: Promise<RebuildJobResult>, metrics: Metrics): void {
  const started = performance.now();
  const record = (outcome: 'succeeded' | 'failed') => {
    metrics.builds.inc({ outcome });
    metrics.buildDuration.observe({ outcome }, (performance.now() - started) / 1000);
  };
  build.then(
    (result) => {
      record('succeeded');
      metrics.buildRows.set(result.rows);
    },
    () => record('failed'),
  );
}

async function runBuild(
  job: Job<RebuildJobData, RebuildJobResult>,
  sql: Sql,
  connection: Redis,
  names: QueueNames,
  log: Logger,
): Promise<RebuildJobResult> {
  const asOf = job.data.asOf;
  log.info(
    `rebuild job ${job.id} started${asOf ? ` as of ${asOf}` : ''}${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`,
  );
  await job.updateProgress(1);
  const estimate = reportEstimatedProgress(job, await previousBuildSeconds(sql).catch(() => null));
  let build;
  try {
    build = await buildAsset360(sql, asOf, { actor: systemActor('rebuild-worker'), jobId: job.id });
  } catch (error) {
    if (isTransientDatabaseError(error)) throw error;
    throw new UnrecoverableError((error as Error).message);
  } finally {
    estimate.stop();
  }
  await job.updateProgress(100);
  log.info(`rebuild job ${job.id}: build ${build.buildId} published ${build.rowCount ?? 0} rows in ${build.seconds.toFixed(2)} s`);
  try {
    await publishBuild(connection, names.queuePrefix, build.buildId);
  } catch (error) {
    log.warn(`build ${build.buildId} is published but could not be announced: ${(error as Error).message}`);
  }
  return { buildId: build.buildId, asOf: build.asOf, rows: build.rowCount ?? 0, seconds: build.seconds };
}

async function previousBuildSeconds(sql: Sql): Promise<number | null> {
  const [row] = await sql<{ seconds: number }[]>`
    select extract(epoch from finished_at - started_at)::float8 as seconds
    from asset_360_builds
    where status = 'succeeded'
    order by build_id desc
    limit 1`;
  return row?.seconds ?? null;
}

/** The procedure reports nothing until it ends: progress is the share of the last build's time, capped at 95. */
function reportEstimatedProgress(job: Job, expectedSeconds: number | null): { stop(): void } {
  if (!expectedSeconds || expectedSeconds <= 0) return { stop() {} };
  const started = performance.now();
  const controller = new AbortController();
  void (async () => {
    while (!controller.signal.aborted) {
      await sleep(PROGRESS_EVERY_MS, undefined, { signal: controller.signal }).catch(() => {});
      if (controller.signal.aborted) return;
      const share = (performance.now() - started) / 1000 / expectedSeconds;
      await job.updateProgress(Math.max(1, Math.min(95, Math.round(share * 100)))).catch(() => {});
    }
  })();
  return { stop: () => controller.abort() };
}
