import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';
import type { QueueCounts } from '../infra/metrics.js';
import { isRedisConnectionError } from '../infra/redis.js';
import { readQueueCounts } from './queue-counts.js';
import {
  createRebuildQueue,
  JOB_NAME,
  REQUEST_DEDUPLICATION_ID,
  SCHEDULER_ID,
  upsertSchedule,
  type QueueNames,
  type RebuildJobData,
  type RebuildJobResult,
  type RebuildQueue,
} from './rebuild.queue.js';
import type { ScheduleSetBy } from './rebuild.queue.js';
import { BadUserInputError, UnavailableError } from '../lib/errors.js';
import { nextRun, PATTERN_HINT, scheduleProblem, TZ_HINT, type Schedule, type ScheduleProblem } from '../lib/schedule.js';
import { within } from '../lib/timeout.js';
import {
  createRebalanceQueue,
  rebalanceSchedulerId,
  upsertRebalanceSchedule,
  type RebalanceQueue,
  type ScheduledRequest,
} from './rebalance.queue.js';
import { createRiskQueue, RISK_JOB_NAME, RISK_SCHEDULER_ID, upsertRiskSchedule, type RiskJobResult, type RiskQueue } from './risk.queue.js';

/** Redis cannot be reached: nothing was read or changed. */
export class RebuildsUnavailableError extends UnavailableError {
  constructor(message = 'the rebuild queue is unavailable: Redis cannot be reached; reads are not affected, try again later') {
    super(message);
  }
}

export class InvalidScheduleError extends BadUserInputError {
  constructor(readonly problem: ScheduleProblem) {
    super(`${problem.field} must be ${problem.field === 'tz' ? TZ_HINT : PATTERN_HINT}: ${problem.reason}`, problem.field);
  }
}

export const RebuildJobState = {
  WAITING: 'waiting',
  DELAYED: 'delayed',
  ACTIVE: 'active',
  COMPLETED: 'completed',
  FAILED: 'failed',
} as const;
export type RebuildJobState = (typeof RebuildJobState)[keyof typeof RebuildJobState];

export interface RebuildJobView {
  id: string;
  state: RebuildJobState;
  /** Null for a build as of current_date that has not finished yet. */
  asOf: string | null;
  /** Percent, 0 to 100. */
  progress: number;
  scheduled: boolean;
  attemptsMade: number;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  result: RebuildJobResult | null;
  failedReason: string | null;
}

export interface ScheduleView extends Schedule {
  nextRun: Date | null;
  paused: boolean;
  /** Null when no worker has installed a schedule yet: pattern and tz are then the configured ones. */
  setBy: ScheduleSetBy | null;
}

/** Longer than any answer of a healthy Redis, short enough that an operator is not left hanging. */
const COMMAND_TIMEOUT_MS = 3_000;

/**
 * What the API may do with the rebuild queue. It shares the server's fail-fast Redis client, so
 * while Redis is down every call fails at once with RebuildsUnavailableError, and works again
 * as soon as the client reconnects.
 */
export interface RiskRunView {
  id: string;
  state: RebuildJobState;
  asOf: string | null;
  result: RiskJobResult | null;
  failedReason: string | null;
}

/** A portfolio's rebalance schedule as operators read it. */
export interface RebalanceScheduleView extends Schedule {
  portfolioId: string;
  nextRun: Date | null;
  paused: boolean;
  lookbackDays: number;
  request: ScheduledRequest;
}

export class RebuildControl {
  private queue: RebuildQueue | undefined;
  private riskQueue: RiskQueue | undefined;
  private rebalanceQueue: RebalanceQueue | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly names: QueueNames,
    private readonly configured: Schedule,
    private readonly log: Logger,
    /** RISK_CRON and RISK_TZ: what the risk schedule is until a worker installs one. */
    private readonly configuredRisk: Schedule = { pattern: '0 22 * * 1-5', tz: 'UTC' },
  ) {}

  /** The risk engine's schedule, read as the rebuilds' is. */
  riskSchedule(): Promise<ScheduleView> {
    return this.useRisk(async (queue) => {
      const [scheduler, paused] = await Promise.all([queue.getJobScheduler(RISK_SCHEDULER_ID), queue.isPaused()]);
      if (!scheduler?.pattern) return { ...this.configuredRisk, nextRun: nextRun(this.configuredRisk), paused, setBy: null };
      const schedule = { pattern: scheduler.pattern, tz: scheduler.tz ?? 'UTC' };
      return {
        ...schedule,
        nextRun: scheduler.next ? new Date(scheduler.next) : nextRun(schedule),
        paused,
        setBy: scheduler.template?.data?.scheduleSetBy ?? 'config',
      };
    });
  }

  /** Validates before touching Redis, as setSchedule. */
  async setRiskSchedule(pattern: string, tz: string | undefined): Promise<ScheduleView> {
    const current = tz === undefined ? await this.riskSchedule() : undefined;
    const schedule = { pattern, tz: tz ?? current?.tz ?? this.configuredRisk.tz };
    const problem = scheduleProblem(schedule);
    if (problem) throw new InvalidScheduleError(problem);
    await this.useRisk((queue) => upsertRiskSchedule(queue, schedule, 'operator'));
    this.log.info(`risk schedule set to "${schedule.pattern}" (${schedule.tz}) by an operator`);
    return this.riskSchedule();
  }

  /** Enqueues a run of the risk engine as of the date (current_date when it runs, by default). */
  requestRisk(asOf: string | undefined): Promise<RiskRunView> {
    return this.useRisk(async (queue) => {
      const job = await queue.add(RISK_JOB_NAME, asOf ? { asOf } : {});
      const state = STATES[await job.getState()] ?? 'waiting';
      return { id: job.id!, state, asOf: asOf ?? null, result: null, failedReason: null };
    });
  }

  /** A portfolio's rebalance schedule; null when it has none. */
  rebalanceSchedule(portfolioId: string): Promise<RebalanceScheduleView | null> {
    return this.useRebalance(async (queue) => {
      const scheduler = await queue.getJobScheduler(rebalanceSchedulerId(portfolioId));
      const data = scheduler?.template?.data;
      if (!scheduler?.pattern || !data) return null;
      const schedule = { pattern: scheduler.pattern, tz: scheduler.tz ?? 'UTC' };
      return {
        ...schedule,
        portfolioId,
        nextRun: scheduler.next ? new Date(scheduler.next) : nextRun(schedule),
        paused: data.paused,
        lookbackDays: data.lookbackDays,
        request: data.request,
      };
    });
  }

  /** Installs or replaces a portfolio's schedule, running; validated before Redis is touched. */
  async setRebalanceSchedule(
    portfolioId: string,
    schedule: Schedule,
    lookbackDays: number,
    request: ScheduledRequest,
  ): Promise<RebalanceScheduleView> {
    const problem = scheduleProblem(schedule);
    if (problem) throw new InvalidScheduleError(problem);
    await this.useRebalance((queue) => upsertRebalanceSchedule(queue, schedule, { portfolioId, lookbackDays, request, paused: false }));
    this.log.info(`rebalance schedule of portfolio ${portfolioId} set to "${schedule.pattern}" (${schedule.tz}) by an operator`);
    return (await this.rebalanceSchedule(portfolioId))!;
  }

  /** Pauses or resumes a portfolio's schedule; null when it has none. */
  async pauseRebalanceSchedule(portfolioId: string, paused: boolean): Promise<RebalanceScheduleView | null> {
    const current = await this.rebalanceSchedule(portfolioId);
    if (!current) return null;
    await this.useRebalance((queue) =>
      upsertRebalanceSchedule(
        queue,
        { pattern: current.pattern, tz: current.tz },
        { portfolioId, lookbackDays: current.lookbackDays, request: current.request, paused },
      ),
    );
    this.log.info(`rebalance schedule of portfolio ${portfolioId} ${paused ? 'paused' : 'resumed'} by an operator`);
    return this.rebalanceSchedule(portfolioId);
  }

  /** Removes a portfolio's schedule; false when it had none. */
  removeRebalanceSchedule(portfolioId: string): Promise<boolean> {
    return this.useRebalance((queue) => queue.removeJobScheduler(rebalanceSchedulerId(portfolioId)));
  }

  private useRebalance<T>(operation: (queue: RebalanceQueue) => Promise<T>): Promise<T> {
    return this.use(() =>
      operation(
        (this.rebalanceQueue ??= createRebalanceQueue(this.redis, this.names, (error) =>
          this.log.debug(`rebalance queue: ${error.message}`),
        )),
      ),
    );
  }

  private useRisk<T>(operation: (queue: RiskQueue) => Promise<T>): Promise<T> {
    return this.use(() =>
      operation((this.riskQueue ??= createRiskQueue(this.redis, this.names, (error) => this.log.debug(`risk queue: ${error.message}`)))),
    );
  }

  /** Enqueues a build, or returns the request already waiting or running. */
  request(asOf: string | undefined): Promise<RebuildJobView> {
    return this.use(async (queue) => {
      const added = await queue.add(JOB_NAME, asOf ? { asOf } : {}, {
        // While a requested build runs, the newest request is kept and enqueued when it ends:
        // at most one running and one waiting, and a request never waits behind a stale build.
        deduplication: { id: REQUEST_DEDUPLICATION_ID, keepLastIfActive: true },
      });
      const job = await queue.getJob(added.id!);
      const view = job && (await describe(job));
      if (!view) throw new Error(`rebuild job ${added.id} vanished right after it was enqueued`);
      return view;
    });
  }

  job(id: string): Promise<RebuildJobView | null> {
    return this.use(async (queue) => {
      // The state first: a job read before it completes and found completed afterwards would have no result.
      const state = await queue.getJobState(id);
      const job = await queue.getJob(id);
      return job ? describe(job, state) : null;
    });
  }

  schedule(): Promise<ScheduleView> {
    return this.use(async (queue) => {
      const [scheduler, paused] = await Promise.all([queue.getJobScheduler(SCHEDULER_ID), queue.isPaused()]);
      if (!scheduler?.pattern) return { ...this.configured, nextRun: nextRun(this.configured), paused, setBy: null };
      const schedule = { pattern: scheduler.pattern, tz: scheduler.tz ?? 'UTC' };
      return {
        ...schedule,
        nextRun: scheduler.next ? new Date(scheduler.next) : nextRun(schedule),
        paused,
        setBy: scheduler.template?.data?.scheduleSetBy ?? 'config',
      };
    });
  }

  /** Validates before touching Redis: a rejected schedule leaves the current one as it was. */
  async setSchedule(pattern: string, tz: string | undefined): Promise<ScheduleView> {
    const current = tz === undefined ? await this.schedule() : undefined;
    const schedule = { pattern, tz: tz ?? current?.tz ?? this.configured.tz };
    const problem = scheduleProblem(schedule);
    if (problem) throw new InvalidScheduleError(problem);
    await this.use((queue) => upsertSchedule(queue, schedule, 'operator'));
    this.log.info(`rebuild schedule set to "${schedule.pattern}" (${schedule.tz}) by an operator`);
    return this.schedule();
  }

  async pause(): Promise<ScheduleView> {
    await this.use((queue) => queue.pause());
    this.log.info('rebuilds paused by an operator');
    return this.schedule();
  }

  async resume(): Promise<ScheduleView> {
    await this.use((queue) => queue.resume());
    this.log.info('rebuilds resumed by an operator');
    return this.schedule();
  }

  /**
   * The rebuild, risk and rebalance queues, created on first use: for the metrics, which read them
   * through the same fail-fast client (they show nothing while Redis is down).
   */
  queues(): [RebuildQueue, RiskQueue, RebalanceQueue] {
    const rebuild = (this.queue ??= createRebuildQueue(this.redis, this.names, (error) =>
      this.log.debug(`rebuild queue: ${error.message}`),
    ));
    const risk = (this.riskQueue ??= createRiskQueue(this.redis, this.names, (error) => this.log.debug(`risk queue: ${error.message}`)));
    const rebalance = (this.rebalanceQueue ??= createRebalanceQueue(this.redis, this.names, (error) =>
      this.log.debug(`rebalance queue: ${error.message}`),
    ));
    return [rebuild, risk, rebalance];
  }

  /** Job counts and workers of the queues for the metrics; empty while Redis is down. */
  async counts(): Promise<QueueCounts[]> {
    if (this.redis.status !== 'ready') return [];
    return readQueueCounts(this.queues());
  }

  async close(): Promise<void> {
    const queue = this.queue;
    const riskQueue = this.riskQueue;
    const rebalanceQueue = this.rebalanceQueue;
    this.queue = undefined;
    this.riskQueue = undefined;
    this.rebalanceQueue = undefined;
    await queue?.close().catch(() => {});
    await riskQueue?.close().catch(() => {});
    await rebalanceQueue?.close().catch(() => {});
  }

  private async use<T>(operation: (queue: RebuildQueue) => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw new RebuildsUnavailableError();
    const queue = (this.queue ??= createRebuildQueue(this.redis, this.names, (error) => this.log.debug(`rebuild queue: ${error.message}`)));
    const deadline = performance.now() + COMMAND_TIMEOUT_MS;
    const late = (): never => {
      throw new RebuildsUnavailableError('the rebuild queue did not answer in time');
    };
    try {
      // A queue whose first connection attempt failed stays failed in BullMQ: start afresh.
      await within(queue.waitUntilReady(), COMMAND_TIMEOUT_MS, late).catch((error: unknown) => {
        if (this.queue === queue) void this.close();
        throw error;
      });
      return await within(operation(queue), deadline - performance.now(), late);
    } catch (error) {
      if (error instanceof RebuildsUnavailableError || error instanceof InvalidScheduleError) throw error;
      if (this.redis.status !== 'ready' || isRedisConnectionError(error)) throw new RebuildsUnavailableError();
      throw error;
    }
  }
}

const STATES: Record<string, RebuildJobState> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

async function describe(job: Job<RebuildJobData, RebuildJobResult>, known?: string): Promise<RebuildJobView | null> {
  const state = STATES[known ?? (await job.getState())];
  if (!state) return null;
  const result = state === 'completed' ? (job.returnvalue ?? null) : null;
  return {
    id: job.id!,
    state,
    asOf: result?.asOf ?? job.data.asOf ?? null,
    progress: typeof job.progress === 'number' ? Math.max(0, Math.min(100, Math.round(job.progress))) : 0,
    scheduled: job.repeatJobKey !== undefined,
    attemptsMade: job.attemptsMade,
    queuedAt: new Date(job.timestamp),
    startedAt: job.processedOn ? new Date(job.processedOn) : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    result,
    // A delayed job with a failed attempt is waiting for its retry: say why it is retrying.
    failedReason: state === 'failed' || state === 'delayed' ? job.failedReason || null : null,
  };
}
