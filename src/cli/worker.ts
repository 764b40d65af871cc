import { ConfigError, loadConfig, type Config } from '../config.js';
import { redactUrl } from '../lib/redact.js';
import { createSql } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { createMetrics } from '../infra/metrics.js';
import { serveMetricsPort, type MetricsServer } from '../infra/metrics-server.js';
import { secondsSinceLastBuild } from '../jobs/build-asset-360.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS } from '../jobs/rebuild.worker.js';
import { createWorkerRedis } from '../infra/redis.js';

/** Time left after the worker's own shutdown timeout to close PostgreSQL and Redis. */
const CLOSE_GRACE_MS = 5_000;

function readConfig(): Config & { databaseUrl: string } {
  try {
    const config = loadConfig(process.env);
    if (config.databaseUrl === undefined) {
      throw new ConfigError(
        'DATABASE_URL',
        'set for a standalone worker (the embedded start runs its worker inside the server)',
        undefined,
      );
    }
    return config as Config & { databaseUrl: string };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`asset360 worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const { rebuild } = config;
  const log = createLogger(config);
  const sql = createSql(config.databaseUrl, WORKER_SQL_OPTIONS);
  const redis = createWorkerRedis(config.redisUrl, log);
  const metrics = createMetrics('worker');
  const worker = startRebuildWorker({
    metrics,
    sql,
    connection: redis,
    names: rebuild,
    schedule: { pattern: rebuild.cron, tz: rebuild.tz },
    shutdownTimeoutMs: rebuild.workerShutdownTimeoutMs,
    log,
    riskSchedule: { pattern: rebuild.riskCron, tz: rebuild.riskTz },
    rebalances: true,
  });
  metrics.readers.queues = () => worker.counts();
  metrics.readers.workerUp = () => worker.up();
  metrics.readers.secondsSinceLastBuild = () => secondsSinceLastBuild(sql);
  let metricsServer: MetricsServer | undefined;
  if (config.metrics.port !== undefined) {
    // Bound to 127.0.0.1: a worker has no public port, and its health check reads /healthz here.
    metricsServer = await serveMetricsPort(metrics.registry, config.metrics.port, () => worker.up());
    log.info(`worker metrics on http://127.0.0.1:${metricsServer.port}/metrics`);
  }
  log.info(
    `rebuild worker ${process.pid} on queue ${rebuild.queuePrefix}:${rebuild.queueName} ` +
      `(database ${redactUrl(config.databaseUrl)}, redis ${redactUrl(config.redisUrl)})`,
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`rebuild worker stopping (${signal})`);
    setTimeout(() => {
      log.error('rebuild worker: shutdown overran its deadline; exiting anyway');
      process.exit(1);
    }, rebuild.workerShutdownTimeoutMs + CLOSE_GRACE_MS).unref();
    const outcome = await worker.close();
    await metricsServer?.close();
    // Nothing of ours runs any more, or a build was left behind: its session must end now, so that
    // it rolls back instead of publishing after its job has been handed to another worker.
    await sql.end({ timeout: 0 }).catch(() => {});
    redis.disconnect();
    log.info(`rebuild worker stopped (${outcome === 'drained' ? 'no build left running' : 'a running build was left to another worker'})`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await worker.scheduled.catch(() => {});
  if (!stopping) log.info('rebuild worker ready');
}

await main();
