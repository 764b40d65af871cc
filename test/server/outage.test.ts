import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSqlOptions, createSql, type Sql } from '../../src/infra/db.js';
import { useTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const db = useTestDatabase();
const CLIENTS = 12;
const READ = '{ portfolios { totalCount edges { node { id name } } } }';

let proxy: TcpProxy;
let apiSql: Sql;
let server: TestServer;

interface Read {
  started: number;
  ended: number;
  outcome: string;
}

beforeAll(async () => {
  await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Main'), (2, 'Income')`;
  const target = new URL(db.url);
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  // Fewer connections than clients, so that reads queue for a connection as under real load.
  apiSql = createSql(proxy.url(db.url), apiSqlOptions(5_000, { max: 4, waitTimeoutMs: 500 }));
  server = await startTestServer(apiSql);
});

afterAll(async () => {
  await server?.close();
  await apiSql?.end({ timeout: 1 });
  await proxy?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads in a loop from CLIENTS clients until stopped, each outcome 'ok' or the error code. */
function readLoad() {
  const reads: Read[] = [];
  let running = true;
  const client = async () => {
    while (running) {
      const started = performance.now();
      let outcome: string;
      try {
        // The abort only turns a hang into an outcome this test reports.
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: READ }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        outcome = body.errors ? String(body.errors[0]!.extensions?.code) : 'ok';
      } catch (error) {
        outcome = `fetch failed: ${String(error)}`;
      }
      reads.push({ started, ended: performance.now(), outcome });
      // A failed read is retried at once, as a BI tool would; keep the loop from spinning.
      if (outcome !== 'ok') await sleep(20);
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  return {
    reads,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

async function readiness(): Promise<number> {
  // The abort only turns a hang into a failure of this test instead of a timeout of the file.
  return (await fetch(new URL('/readyz', server.url), { signal: AbortSignal.timeout(10_000) })).status;
}

async function until(check: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

describe('a PostgreSQL outage under read load', () => {
  it('fails reads with UNAVAILABLE while the database is away, and heals without a restart', async () => {
    const load = readLoad();
    try {
      expect(await until(async () => load.reads.some((read) => read.outcome === 'ok'), 10_000)).toBe(true);
      expect(await readiness()).toBe(200);

      const cutAt = performance.now();
      await proxy.cut();
      await sleep(1_500);
      const readyDuringCut = await readiness();
      await sleep(1_500);
      const restoredAt = performance.now();
      await proxy.restore();

      expect(await until(async () => load.reads.some((read) => read.started > restoredAt && read.outcome === 'ok'), 15_000)).toBe(true);
      expect(await until(async () => (await readiness()) === 200, 15_000)).toBe(true);
      const healedAt = performance.now();
      await sleep(500);
      await load.stop();

      expect(readyDuringCut).toBe(503);
      const duringCut = load.reads.filter((read) => read.started > cutAt + 100 && read.ended < restoredAt);
      expect(duringCut.length).toBeGreaterThan(CLIENTS);
      expect(new Set(duringCut.map((read) => read.outcome))).toEqual(new Set(['UNAVAILABLE']));
      // Reads that began in the first half of the cut answered while it lasted: none waited for the database's return.
      const early = load.reads.filter((read) => read.started > cutAt + 100 && read.started < cutAt + 1_500);
      expect(early.length).toBeGreaterThan(0);
      expect(early.filter((read) => read.ended >= restoredAt)).toEqual([]);
      // No code but UNAVAILABLE at any point: not INTERNAL_SERVER_ERROR, which clients alert on.
      expect(new Set(load.reads.filter((read) => read.outcome !== 'ok').map((read) => read.outcome))).toEqual(new Set(['UNAVAILABLE']));
      // Once healed, every read succeeds again.
      const afterHealing = load.reads.filter((read) => read.started > healedAt);
      expect(afterHealing.length).toBeGreaterThan(0);
      expect(afterHealing.filter((read) => read.outcome !== 'ok')).toEqual([]);
    } finally {
      await load.stop();
      await proxy.restore();
    }
  }, 60_000);
});
