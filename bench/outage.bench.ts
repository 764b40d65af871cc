/**
 * npm run bench:outage -- [--clients 16] [--cut-ms 3000] [--pool 10]
 *
 * A PostgreSQL outage as the server's clients see it: a steady read load through the GraphQL
 * server, whose API pool reaches PostgreSQL through a TCP proxy on localhost; the proxy is cut
 * (open connections reset, new ones refused, as in a restart) for --cut-ms, then restored. Prints
 * the longest read, the time from the restore to the first successful read and to the last failed
 * one, the slowest /readyz, and the error codes seen. The shared PostgreSQL is never touched: the
 * bench works in a database of its own (created from the migrations, dropped at the end) on the
 * server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { apiSqlOptions, createSql } from '../src/infra/db.js';
import { createLogger } from '../src/infra/logger.js';
import { migrate } from '../src/infra/migrate.js';
import { createRedis } from '../src/infra/redis.js';
import { startServer } from '../src/server.js';
import { TcpProxy } from '../test/support/tcp-proxy.js';

const READ = '{ portfolios { totalCount edges { node { id name } } } }';

interface Sample {
  started: number;
  ended: number;
  outcome: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (ms: number) => Math.round(ms);

function positive(value: string | undefined, fallback: number, name: string): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { clients: { type: 'string' }, 'cut-ms': { type: 'string' }, pool: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const clients = positive(values.clients, 16, 'clients');
  const cutMs = positive(values['cut-ms'], 3_000, 'cut-ms');
  const poolSize = positive(values.pool, 10, 'pool');

  // NODE_ENV=test: errors masked as in production, without its demand for auth.
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', AUTH_MODE: 'off', PORT: '0', LOG_LEVEL: 'error' });
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `asset360_bench_outage_${randomBytes(4).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin`create database ${admin(database)}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;
  const setup = createSql(databaseUrl.toString(), { max: 1 });
  const log = createLogger(config);
  const proxy = await TcpProxy.start({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
  const apiSql = createSql(
    proxy.url(databaseUrl.toString()),
    apiSqlOptions(config.limits.statementTimeoutMs, { max: poolSize, waitTimeoutMs: config.limits.databaseWaitTimeoutMs }),
  );
  const redis = createRedis(config.redisUrl, log);
  try {
    await migrate(setup);
    await setup`insert into portfolios (portfolio_id, name) values (1, 'Main'), (2, 'Income')`;
    const server = await startServer({
      config: { ...config, authMode: 'off', rateLimit: { ...config.rateLimit, requests: 1_000_000, keyPrefix: `${database}:rate` } },
      sql: apiSql,
      redis,
      log,
    });
    try {
      const reads: Sample[] = [];
      const probes: Sample[] = [];
      let running = true;
      const reader = async () => {
        while (running) {
          const started = performance.now();
          let outcome: string;
          try {
            const response = await fetch(server.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: READ }),
              signal: AbortSignal.timeout(60_000),
            });
            const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
            outcome = body.errors ? String(body.errors[0]!.extensions?.code) : 'ok';
          } catch (error) {
            outcome = `no answer (${(error as Error).name})`;
          }
          reads.push({ started, ended: performance.now(), outcome });
          if (outcome !== 'ok') await sleep(20);
        }
      };
      const prober = async () => {
        while (running) {
          const started = performance.now();
          let outcome: string;
          try {
            const response = await fetch(new URL('/readyz', server.url), { signal: AbortSignal.timeout(60_000) });
            outcome = String(response.status);
          } catch (error) {
            outcome = `no answer (${(error as Error).name})`;
          }
          probes.push({ started, ended: performance.now(), outcome });
          await sleep(200);
        }
      };
      const load = [...Array.from({ length: clients }, reader), prober()];
      await sleep(2_000);
      const cutAt = performance.now();
      await proxy.cut();
      await sleep(cutMs);
      const restoredAt = performance.now();
      await proxy.restore();
      await sleep(8_000);
      running = false;
      await Promise.all(load);

      const around = reads.filter((read) => read.ended > cutAt);
      const latencies = around.map((read) => read.ended - read.started);
      const firstOk = reads.filter((read) => read.outcome === 'ok' && read.ended > restoredAt).sort((a, b) => a.ended - b.ended)[0];
      const lastFailure = reads.filter((read) => read.outcome !== 'ok').sort((a, b) => b.ended - a.ended)[0];
      const codes: Record<string, number> = {};
      for (const read of around) if (read.outcome !== 'ok') codes[read.outcome] = (codes[read.outcome] ?? 0) + 1;
      const probeCodes: Record<string, number> = {};
      for (const probe of probes.filter((p) => p.ended > cutAt)) probeCodes[probe.outcome] = (probeCodes[probe.outcome] ?? 0) + 1;
      const readyAgain = probes.filter((p) => p.outcome === '200' && p.ended > restoredAt).sort((a, b) => a.ended - b.ended)[0];
      const duringCut = around.filter((read) => read.started < restoredAt).map((read) => read.ended - read.started);

      process.stdout.write(
        `${clients} clients reading through a pool of ${poolSize}, DATABASE_WAIT_TIMEOUT_MS=${config.limits.databaseWaitTimeoutMs}; PostgreSQL cut for ${cutMs} ms\n`,
      );
      console.table({
        'reads during and after the cut': around.length,
        'longest read, started during the cut (ms)': round(Math.max(0, ...duringCut)),
        'longest read, any (ms)': round(Math.max(0, ...latencies)),
        'restore -> first successful read (ms)': firstOk ? round(firstOk.ended - restoredAt) : 'none',
        'restore -> last failed read (ms)':
          lastFailure && lastFailure.ended > restoredAt ? round(lastFailure.ended - restoredAt) : 'none after restore',
        'restore -> /readyz 200 (ms)': readyAgain ? round(readyAgain.ended - restoredAt) : 'never',
        'slowest /readyz (ms)': round(Math.max(0, ...probes.map((p) => p.ended - p.started))),
      });
      process.stdout.write(`read errors: ${JSON.stringify(codes)}\n/readyz answers: ${JSON.stringify(probeCodes)}\n`);
    } finally {
      await server.stop();
    }
  } finally {
    redis.disconnect();
    await apiSql.end({ timeout: 1 });
    await proxy.close();
    await setup.end({ timeout: 1 });
    await admin`drop database if exists ${admin(database)} with (force)`;
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
