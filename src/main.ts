import { checkServerConfig, ConfigError, loadConfig, type Config } from './config.js';
import { redactUrl } from './lib/redact.js';
import { seedDemo } from './demo/seed.js';
import { apiSqlOptions, createSql, type Sql } from './infra/db.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './infra/embedded-postgres.js';
import { createLogger, type Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { countStatement } from './infra/statements.js';
import { migrate } from './infra/migrate.js';
import { createRedis } from './infra/redis.js';
import { systemActor } from './audit/actor.js';
import { buildAsset360 } from './jobs/build-asset-360.js';
import { BuildEvents, subscribeToBuilds } from './jobs/build-events.js';
import { RebuildControl } from './jobs/rebuild.control.js';
import { startRebuildWorker, WORKER_SQL_OPTIONS } from './jobs/rebuild.worker.js';
import { createWorkerRedis } from './infra/redis.js';
import { startServer } from './server.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = checkServerConfig(loadConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`asset360: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config);
  const started = performance.now();
  const closers: Array<() => Promise<unknown>> = [];
  let stopping = false;

  const shutdown = async (reason: string, exitCode = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`shutting down (${reason})`);
    // An inline worker may wait its whole shutdown timeout for a running build.
    const deadlineMs = Math.max(SHUTDOWN_DEADLINE_MS, config.rebuild.workerShutdownTimeoutMs + 5_000);
    const deadline = setTimeout(() => {
      log.error(`shutdown took longer than ${deadlineMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    for (const close of closers.reverse()) {
      await close().catch((error: Error) => log.warn('error while shutting down', { error: error.message }));
    }
    log.info('stopped');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    let databaseUrl = config.databaseUrl;
    let embedded: EmbeddedPostgres | undefined;
    if (!databaseUrl) {
      log.info(`no DATABASE_URL: starting an embedded PostgreSQL in ${config.dataDir}`);
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, onLog: (line) => log.debug(line) });
      closers.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    log.info(`database ${redactUrl(databaseUrl)}`);
    const sql = createSql(databaseUrl, { max: 10, onnotice: (notice) => log.info(`postgres: ${notice.message}`) });
    closers.push(() => sql.end({ timeout: 5 }));

    const migrated = await migrate(sql);
    log.info(migrated.applied.length ? `applied migrations ${migrated.applied.join(', ')}` : 'database schema is up to date');
    if (embedded) await seedOnFirstRun(sql, config, log);
    await buildIfEmpty(sql, log);

    const redis = createRedis(config.redisUrl, log);
    closers.push(async () => redis.disconnect());
    const schedule = { pattern: config.rebuild.cron, tz: config.rebuild.tz };
    const rebuilds = new RebuildControl(redis, config.rebuild, schedule, log, {
      pattern: config.rebuild.riskCron,
      tz: config.rebuild.riskTz,
    });
    closers.push(() => rebuilds.close());
    const buildEvents = new BuildEvents();
    // Caches of build-derived data subscribe here; until there are any, the event is only logged.
    buildEvents.onBuildChanged((buildId) =>
      log.debug(buildId ? `asset_360 now serves build ${buildId}` : 'asset_360 may have changed during a Redis outage'),
    );
    const subscription = subscribeToBuilds(redis, config.rebuild.queuePrefix, buildEvents, log);
    closers.push(() => subscription.close());
    // Requests get a pool of their own with the statement timeout: the migrations, the seed and the
    // first build above may run longer.
    const apiSql = createSql(
      databaseUrl,
      apiSqlOptions(config.limits.statementTimeoutMs, {
        max: 10,
        waitTimeoutMs: config.limits.databaseWaitTimeoutMs,
        onnotice: (notice) => log.info(`postgres: ${notice.message}`),
        // Counts each request's statements for the metrics.
        debug: countStatement,
      }),
    );
    closers.push(() => apiSql.end({ timeout: 5 }));
    const metrics = createMetrics('server');
    const server = await startServer({ config, sql: apiSql, redis, log, rebuilds, metrics });
    closers.push(() => server.stop());

    if (config.rebuild.worker === 'inline') {
      const workerSql = createSql(databaseUrl, WORKER_SQL_OPTIONS);
      closers.push(() => workerSql.end({ timeout: 0 }));
      const workerRedis = createWorkerRedis(config.redisUrl, log, false);
      closers.push(async () => workerRedis.disconnect());
      const worker = startRebuildWorker({
        sql: workerSql,
        connection: workerRedis,
        names: config.rebuild,
        schedule,
        shutdownTimeoutMs: config.rebuild.workerShutdownTimeoutMs,
        log,
        riskSchedule: { pattern: config.rebuild.riskCron, tz: config.rebuild.riskTz },
        metrics,
        rebalances: true,
      });
      metrics.readers.workerUp = () => worker.up();
      closers.push(() => worker.close());
      log.info('rebuild worker running inside the server (WORKER=inline)');
    }

    log.info(`asset360 ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${server.url}`);
    if (!stopping)
      process.stdout.write(
        `\n  asset360 dashboard:        ${server.url.replace(/graphql$/, '')}\n  asset360 GraphQL endpoint: ${server.url}\n\n`,
      );
  } catch (error) {
    log.error(`start failed: ${(error as Error).message}`);
    await shutdown('start failed', 1);
  }
}

async function seedOnFirstRun(sql: Sql, config: Config, log: Logger): Promise<void> {
  const [{ any }] = await sql<[{ any: boolean }]>`select exists (select 1 from asset_master) as any`;
  if (any) return;
  const { assets, days, portfolios, seed } = config.demo;
  log.info(`first run: seeding a demo book of ${assets} assets over ${days} business days`);
  const report = await seedDemo(sql, { assets, days, portfolios, seed }, (line) => log.info(line));
  log.info(`demo book seeded in ${report.seconds.toFixed(1)} s`);
}

async function buildIfEmpty(sql: Sql, log: Logger): Promise<void> {
  const [{ any }] = await sql<[{ any: boolean }]>`select exists (select 1 from asset_360) as any`;
  if (any) return;
  log.info('asset_360 is empty: running a first build');
  const build = await buildAsset360(sql, undefined, { actor: systemActor('server') });
  log.info(`build ${build.buildId} published ${build.rowCount} rows in ${build.seconds.toFixed(2)} s`);
}

await main();
