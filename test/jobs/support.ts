import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import winston from 'winston';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import type { Sql } from '../../src/infra/db.js';
import type { Logger } from '../../src/infra/logger.js';
import { createRedis } from '../../src/infra/redis.js';
import { RebuildControl } from '../../src/jobs/rebuild.control.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { isolatedRateLimit } from '../support/server.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The build lock of create_asset_360 (see the procedure): holding it keeps a build waiting. */
export const BUILD_LOCK_KEY = '7004001426929445988';

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false | null>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Holds the build lock on a session of its own until release(): builds started meanwhile wait. */
export async function holdBuildLock(sql: Sql): Promise<{ release(): Promise<void> }> {
  const session = await sql.reserve();
  await session`select pg_advisory_lock(${BUILD_LOCK_KEY}::bigint)`;
  return {
    async release() {
      await session`select pg_advisory_unlock(${BUILD_LOCK_KEY}::bigint)`;
      session.release();
    },
  };
}

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** A logger that keeps its lines for assertions (and prints nothing). */
export function memoryLogger(level = 'debug'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = winston.createLogger({
    level,
    format: winston.format.json(),
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk, _encoding, done) {
            lines.push(JSON.parse(String(chunk)) as LogLine);
            done();
          },
        }),
      }),
    ],
  });
  return { log, lines };
}

export interface RebuildServer extends RunningServer {
  config: Config;
  redis: Redis;
  rebuilds: RebuildControl;
  close(): Promise<void>;
}

/** A server as main.ts composes it, with the rebuild queue under the test's own prefix. */
export async function startRebuildServer(sql: Sql, env: Record<string, string>, log: Logger = memoryLogger().log): Promise<RebuildServer> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', AUTH_MODE: 'off', ...isolatedRateLimit(), ...env });
  const redis = createRedis(config.redisUrl, log);
  const rebuilds = new RebuildControl(redis, config.rebuild, { pattern: config.rebuild.cron, tz: config.rebuild.tz }, log, {
    pattern: config.rebuild.riskCron,
    tz: config.rebuild.riskTz,
  });
  const server = await startServer({ config, sql, redis, log, rebuilds });
  return {
    ...server,
    config,
    redis,
    rebuilds,
    async close() {
      await server.stop();
      await rebuilds.close();
      redis.disconnect();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output is kept, line by line, for waitFor(). */
export interface Spawned {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnProcess(command: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output.push(...String(chunk).split('\n').filter(Boolean));
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.find((candidate) => pattern.test(candidate));
          if (!line) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    kill(signal) {
      child.kill(signal);
    },
  };
}

/** `npm run worker` without npm: tsx in this node, so that signals reach the worker itself. */
export function spawnWorker(env: Record<string, string>): Spawned {
  return spawnProcess(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts'], { LOG_LEVEL: 'info', NODE_ENV: 'test', ...env });
}

/** A redis-server of the test's own, which it may stop and start without disturbing anyone else. */
export async function startOwnRedis(port: number): Promise<Spawned> {
  const redis = spawnProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {});
  await redis.waitFor(/Ready to accept connections/, 10_000);
  return redis;
}

/**
 * A book big enough that a build takes a while: `assets` assets with a year of daily returns and a
 * quarter of risk metrics. Generated in SQL with foreign-key triggers off for this transaction,
 * which loads several times faster than the demo seeder at this size.
 */
export async function loadBook(sql: Sql, assets: number): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`;
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into asset_master (asset_id, asset_name, asset_type, currency, sector, issuing_country)
      overriding system value
      select g, 'Asset ' || g, (array['EQUITY', 'BOND', 'ETF'])[1 + g % 3], 'USD', 'Sector ' || g % 11, 'US'
      from generate_series(1, ${assets}::int) g`;
    await tx`
      insert into performance_history (asset_id, date, daily_return)
      select a, current_date - d, ((a * 7 + d * 13) % 200 - 100) / 10000.0
      from generate_series(1, ${assets}::int) a, generate_series(0, 249) d`;
    await tx`
      insert into risk_metrics (asset_id, calculation_date, volatility, beta, sharpe_ratio, var_95)
      select a, current_date - d, 0.2, 1.0, 0.5, (a % 30) / 100.0
      from generate_series(1, ${assets}::int) a, generate_series(0, 89) d`;
  });
  await sql`analyze asset_master, performance_history, risk_metrics`;
}
