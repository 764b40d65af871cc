import { Readable } from 'node:stream';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/actor.js';
import { verifyChain } from '../../src/audit/verify.js';
import { buildAsset360, BuildFailedError } from '../../src/jobs/build-asset-360.js';
import { startRebuildWorker } from '../../src/jobs/rebuild.worker.js';
import { createWorkerRedis } from '../../src/infra/redis.js';
import { importTrades } from '../../src/trades/import/import-trades.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { graphql } from '../support/server.js';
import { memoryLogger, startRebuildServer, until, type RebuildServer } from '../jobs/support.js';
import { tradingBook } from '../trades/support.js';
import { entriesAfter, headSeq, type LoggedEntry } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('audit-write-paths');
const SECRET = 'audit-write-paths-secret-of-32-bytes!!';
const HEADER = 'account_ref,trade_time,symbol,isin,side,qty,price,fees,currency,external_id';

let server: RebuildServer;

beforeAll(async () => {
  await tradingBook(db.sql);
  server = await startRebuildServer(db.sql, { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, AUTH_MODE: 'on', JWT_SECRET: SECRET });
  await until('the server to reach Redis', async () => server.redis.status === 'ready');
});

afterAll(async () => {
  await server?.close();
});

async function as(role: string, query: string, variables: Record<string, unknown> = {}) {
  const token = await new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`${role.toLowerCase()}-1`)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
  return graphql(server.url, query, variables, { authorization: `Bearer ${token}` });
}

/** The entries `change` leaves behind, and its result. */
async function logged<T>(change: () => Promise<T>): Promise<{ result: T; entries: LoggedEntry[] }> {
  const before = await headSeq(db.sql);
  const result = await change();
  return { result, entries: await entriesAfter(db.sql, before) };
}

const RECORD = `mutation($input: TradeInput!) { recordTrade(input: $input) { id } }`;
const BUY = { assetId: '1', portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '100', price: '10.50', externalId: 'x-1' };

describe('recordTrade', () => {
  it('leaves one entry with the actor, the inputs and the trade id; a retry and a refused trade leave none', async () => {
    const { result, entries } = await logged(() => as('ANALYST', RECORD, { input: BUY }));
    const id = (result.data as { recordTrade: { id: string } }).recordTrade.id;
    expect(entries).toEqual([
      {
        seq: expect.any(String),
        actorSubject: 'analyst-1',
        actorRole: 'ANALYST',
        action: 'trade.recorded',
        entity: 'trade',
        entityId: id,
        payload: {
          trade_id: id,
          asset_id: '1',
          portfolio_id: '1',
          counterparty_id: null,
          type: 'BUY',
          date: '2025-01-02',
          quantity: '100',
          price: '10.50',
          costs: '0',
          currency: null,
          external_id: 'x-1',
          // The portfolio settles in no cash account (test/ledger/audit.test.ts has one that does).
          cash_leg: null,
        },
      },
    ]);
    expect((await logged(() => as('ANALYST', RECORD, { input: BUY }))).entries).toEqual([]);
    const refused = await logged(() => as('ANALYST', RECORD, { input: { ...BUY, externalId: null, type: 'SELL', quantity: '1000' } }));
    expect(refused.result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.quantity' });
    expect(refused.entries).toEqual([]);
    const forbidden = await logged(async () => (await as('VIEWER', RECORD, { input: BUY })).errors);
    expect(forbidden.entries).toEqual([]);
  });
});

describe('importTrades', () => {
  const IMPORT = `mutation($csv: String!) { importTrades(csv: $csv) { rows imported duplicates errors { line } } }`;

  it('leaves one entry per accepted file with its counts and the SHA-256 of its bytes; a rejected file leaves none', async () => {
    const file = `${HEADER}\nSpare,2025-01-02,,US0000000001,BUY,10,10,,,imp-1\nSpare,2025-01-03,,US0000000001,BUY,5,11,,,imp-2\n`;
    const { entries } = await logged(() => as('ANALYST', IMPORT, { csv: file }));
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(file, 'utf8').digest('hex');
    expect(entries).toEqual([
      {
        seq: expect.any(String),
        actorSubject: 'analyst-1',
        actorRole: 'ANALYST',
        action: 'trades.imported',
        entity: 'trades_file',
        entityId: sha256,
        payload: { file: null, sha256, bytes: Buffer.byteLength(file), rows: 2, imported: 2, duplicates: 0, settled: 0 },
      },
    ]);
    const rejected = await logged(() => as('ANALYST', IMPORT, { csv: `${HEADER}\nSpare,2025-01-02,,US0000000001,SELL,1000,10,,,imp-3\n` }));
    expect((rejected.result.data as { importTrades: { errors: unknown[] } }).importTrades.errors).toHaveLength(1);
    expect(rejected.entries).toEqual([]);
  });

  it('names a command line import and its file', async () => {
    const file = `${HEADER}\nSpare,2025-01-06,,US0000000001,BUY,1,10,,,imp-cli\n`;
    const { entries } = await logged(() => importTrades(db.sql, Readable.from([Buffer.from(file)]), systemActor('import-cli'), 'day.csv'));
    expect(entries).toMatchObject([
      { actorSubject: 'system:import-cli', actorRole: null, payload: { file: 'day.csv', rows: 1, imported: 1 } },
    ]);
  });
});

describe('setCostMethod', () => {
  const SET = `mutation($method: CostMethod!) { setCostMethod(portfolioId: "1", method: $method) { costMethod } }`;

  it('leaves one entry for a switch, none for a call that changes nothing or is refused', async () => {
    const { entries } = await logged(() => as('ANALYST', SET, { method: 'AVERAGE' }));
    expect(entries).toMatchObject([
      {
        actorSubject: 'analyst-1',
        action: 'cost_method.set',
        entity: 'portfolio',
        entityId: '1',
        payload: { portfolio_id: '1', from: 'FIFO', to: 'AVERAGE' },
      },
    ]);
    expect((await logged(() => as('ANALYST', SET, { method: 'AVERAGE' }))).entries).toEqual([]);
    const missing = await logged(() => as('ANALYST', `mutation { setCostMethod(portfolioId: "404", method: FIFO) { id } }`));
    expect(missing.result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(missing.entries).toEqual([]);
  });
});

describe('builds', () => {
  it('record started and succeeded with build id and as_of, under the actor that ran them', async () => {
    const { result, entries } = await logged(() =>
      buildAsset360(db.sql, '2025-01-31', { actor: systemActor('rebuild-worker'), jobId: '42' }),
    );
    const payload = { build_id: result.buildId, as_of: '2025-01-31', job_id: '42' };
    expect(entries).toEqual([
      expect.objectContaining({
        actorSubject: 'system:rebuild-worker',
        action: 'build.started',
        entity: 'asset_360_build',
        entityId: result.buildId,
        payload,
      }),
      expect.objectContaining({ action: 'build.succeeded', entityId: result.buildId, payload: { ...payload, row_count: result.rowCount } }),
    ]);
    // The pooled session is no longer acting for the worker.
    const [{ actor }] = await db.sql<[{ actor: string }]>`select audit_actor_subject() as actor`;
    expect(actor).toBe('system:sql:postgres');
  });

  it('record started and failed for a build that fails', async () => {
    await db.sql.unsafe(`
      create function audit_test_failure() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$;
      create trigger audit_test_failure before insert or update on asset_360 for each row execute function audit_test_failure();`);
    try {
      const before = await headSeq(db.sql);
      const error = await buildAsset360(db.sql, '2025-01-31', { actor: systemActor('rebuild-cli') }).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(BuildFailedError);
      const buildId = (error as BuildFailedError).build.buildId;
      expect(await entriesAfter(db.sql, before)).toMatchObject([
        { actorSubject: 'system:rebuild-cli', action: 'build.started', entityId: buildId },
        { action: 'build.failed', entityId: buildId, payload: { build_id: buildId, as_of: '2025-01-31', error: 'P0001: forced failure' } },
      ]);
    } finally {
      await db.sql`drop trigger audit_test_failure on asset_360`;
    }
  });

  it('record a build found abandoned as failed, in the transaction of the build that found it', async () => {
    const [{ id }] = await db.sql<[{ id: string }]>`
      insert into asset_360_builds (as_of, backend_pid, backend_start) values ('2025-01-30', 0, now()) returning build_id::text as id`;
    const { result, entries } = await logged(() => buildAsset360(db.sql, '2025-01-31', { actor: systemActor('rebuild-worker') }));
    expect(entries.map((entry) => [entry.action, entry.entityId])).toEqual([
      ['build.started', result.buildId],
      ['build.failed', id],
      ['build.succeeded', result.buildId],
    ]);
    expect(entries[1]!.payload).toEqual({
      build_id: id,
      as_of: '2025-01-30',
      error: 'abandoned: the session running it ended',
      job_id: null,
    });
  });
});

describe('settings', () => {
  it('record each changed value, before and after, under the session actor', async () => {
    const { entries } = await logged(() =>
      db.sql.begin(async (tx) => {
        await tx`select set_config('asset360.actor_subject', 'carol', true), set_config('asset360.actor_role', 'ADMIN', true)`;
        await tx`update asset_360_settings set var_high = 0.2, base_currency = base_currency`;
      }),
    );
    expect(entries).toEqual([
      {
        seq: expect.any(String),
        actorSubject: 'carol',
        actorRole: 'ADMIN',
        action: 'settings.changed',
        entity: 'asset_360_settings',
        entityId: null,
        payload: { changed: { var_high: { from: 0.15, to: 0.2 } } },
      },
    ]);
    expect((await logged(() => db.sql`update asset_360_settings set var_high = var_high`)).entries).toEqual([]);
    const refused = await logged(() => db.sql`update asset_360_settings set var_high = 0`.catch((error: Error) => error.message));
    expect(refused.result).toMatch(/check constraint/);
    expect(refused.entries).toEqual([]);
  });
});

describe('the rebuild and risk queues', () => {
  it('record requests, schedule changes, pause and resume, one entry each, none for a refused schedule', async () => {
    const steps: Array<[string, string, Record<string, unknown>]> = [
      ['mutation { rebuildAsset360(asOf: "2025-01-31") { id } }', 'build.requested', { as_of: '2025-01-31' }],
      [
        'mutation { setRebuildSchedule(pattern: "0 4 * * *", tz: "UTC") { pattern } }',
        'rebuild_schedule.set',
        { pattern: '0 4 * * *', tz: 'UTC' },
      ],
      ['mutation { pauseRebuilds { paused } }', 'rebuilds.paused', {}],
      ['mutation { resumeRebuilds { paused } }', 'rebuilds.resumed', {}],
      ['mutation { runRiskEngine(asOf: "2025-01-31") { id } }', 'risk.requested', { as_of: '2025-01-31' }],
      [
        'mutation { setRiskSchedule(pattern: "0 23 * * 1-5", tz: "UTC") { pattern } }',
        'risk_schedule.set',
        { pattern: '0 23 * * 1-5', tz: 'UTC' },
      ],
    ];
    for (const [mutation, action, payload] of steps) {
      const { result, entries } = await logged(() => as('OPERATOR', mutation));
      expect(result.errors, mutation).toBeUndefined();
      expect(entries, mutation).toMatchObject([{ actorSubject: 'operator-1', actorRole: 'OPERATOR', action, payload }]);
    }
    const refused = await logged(() => as('OPERATOR', 'mutation { setRebuildSchedule(pattern: "every day") { pattern } }'));
    expect(refused.result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refused.entries).toEqual([]);
  });

  it('leave no entry when Redis refuses the change', async () => {
    const { entries } = await logged(async () => {
      server.redis.disconnect();
      try {
        return await as('OPERATOR', 'mutation { pauseRebuilds { paused } }');
      } finally {
        await server.redis.connect().catch(() => {});
      }
    });
    expect(entries).toEqual([]);
  });
});

describe('a worker installing the configured schedules', () => {
  it('records the install once, and nothing when the schedule in Redis is already the configured one', async () => {
    const workerRedis = createWorkerRedis(TEST_REDIS_URL, memoryLogger().log);
    const names = { queueName: 'asset360-rebuild', queuePrefix: `${prefix}:worker` };
    const start = () =>
      startRebuildWorker({
        sql: db.sql,
        connection: workerRedis,
        names,
        schedule: { pattern: '0 5 * * *', tz: 'UTC' },
        riskSchedule: { pattern: '0 21 * * 1-5', tz: 'UTC' },
        shutdownTimeoutMs: 5_000,
        log: memoryLogger().log,
      });
    try {
      const before = await headSeq(db.sql);
      const first = start();
      expect(await first.scheduled).toBe('created');
      await until('both schedules to be recorded', async () => (await entriesAfter(db.sql, before)).length === 2);
      expect(
        (await entriesAfter(db.sql, before))
          .map((entry) => [entry.actorSubject, entry.action, entry.payload])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ).toEqual([
        ['system:worker', 'rebuild_schedule.set', { pattern: '0 5 * * *', tz: 'UTC', set_by: 'config', outcome: 'created' }],
        ['system:worker', 'risk_schedule.set', { pattern: '0 21 * * 1-5', tz: 'UTC', set_by: 'config', outcome: 'created' }],
      ]);
      await first.close();
      const again = await headSeq(db.sql);
      const second = start();
      expect(await second.scheduled).toBe('unchanged');
      await second.close();
      expect(await entriesAfter(db.sql, again)).toEqual([]);
    } finally {
      workerRedis.disconnect();
    }
  });
});

describe('the whole log', () => {
  it('verifies after every write path', async () => {
    expect(await verifyChain(db.sql)).toMatchObject({ ok: true });
  });
});
