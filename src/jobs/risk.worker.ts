import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Sql } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { runRiskEngine } from '../risk/engine.js';
import type { QueueNames } from './rebuild.queue.js';
import { recordScheduleInstall } from './schedule-audit.js';
import { createRiskQueue, ensureRiskSchedule, riskQueueName, type RiskJobData, type RiskJobResult } from './risk.queue.js';
import type { Schedule } from '../lib/schedule.js';
import { within } from '../lib/timeout.js';
import { isTransientDatabaseError } from './transient.js';

export interface RiskWorker {
  close(force: boolean): Promise<void>;
}

/** Runs the risk engine's jobs, one at a time, and keeps its schedule installed (at start and on every reconnect). */
export function startRiskWorker(sql: Sql, connection: Redis, names: QueueNames, schedule: Schedule, log: Logger): RiskWorker {
  const quiet = (error: Error) => log.debug(`risk worker: ${error.message}`);
  const queue = createRiskQueue(connection, names, quiet);
  const worker = new Worker<RiskJobData, RiskJobResult>(riskQueueName(names), (job) => run(job, sql, log), {
    connection,
    prefix: names.queuePrefix,
    name: `${hostname()}:${process.pid}:risk`,
    concurrency: 1,
    lockDuration: 30_000,
  });
  worker.on('error', quiet);
  worker.on('failed', (job, error) => job && log.warn(`risk job ${job.id} failed: ${error.message}`));
  const ensure = () =>
    sql
      .begin(async (tx) => {
        const outcome = await ensureRiskSchedule(queue, schedule);
        if (outcome === 'created' || outcome === 'updated') await recordScheduleInstall(tx, 'risk_schedule.set', schedule, outcome);
        return outcome;
      })
      .then((outcome) => {
        if (outcome === 'created' || outcome === 'updated') log.info(`risk schedule ${outcome}: "${schedule.pattern}" (${schedule.tz})`);
      })
      .catch(quiet);
  void ensure();
  const onReady = () => void ensure();
  connection.on('ready', onReady);
  return {
    async close(force) {
      connection.off('ready', onReady);
      await within(Promise.all([worker.close(force), queue.close()]), 3_000, () => undefined).catch(quiet);
    },
  };
}

async function run(job: Job<RiskJobData, RiskJobResult>, sql: Sql, log: Logger): Promise<RiskJobResult> {
  try {
    const asOf = job.data.asOf ?? (await sql<[{ today: string }]>`select current_date::text as today`)[0].today;
    const result = await runRiskEngine(sql, [asOf]);
    log.info(`risk job ${job.id}: risk_metrics as of ${asOf}, ${result.rows} assets in ${result.seconds.toFixed(2)} s`);
    return { asOf, rows: result.rows, removed: result.removed, seconds: result.seconds };
  } catch (error) {
    if (isTransientDatabaseError(error)) throw error;
    throw new UnrecoverableError((error as Error).message);
  }
}
