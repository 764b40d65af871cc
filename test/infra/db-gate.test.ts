import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, isReachable, reconnectDelaySeconds, type Sql } from '../../src/infra/db.js';
import { gateOf } from '../../src/infra/db-gate.js';
import { UnavailableError } from '../../src/lib/errors.js';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
let gatedSql: Sql;

beforeAll(async () => {
  await db.sql`create table gate_writes (id int primary key)`;
  gatedSql = createSql(db.url, { max: 1, waitTimeoutMs: 200 });
});

afterAll(() => gatedSql?.end({ timeout: 1 }));

describe('the wait bound of a pool', () => {
  it('refuses a statement that found no connection in time with UNAVAILABLE, and never runs it later', async () => {
    const busy = gatedSql`select pg_sleep(0.6)`.execute();
    const refused = gatedSql`insert into gate_writes values (1)`.then(
      () => 'ran',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    // What the metrics read: one caller queued now, then refused.
    const gate = gateOf(gatedSql)!;
    const refusedBefore = gate.refused;
    expect(gate.queued).toBe(1);
    expect(await refused).toBeInstanceOf(UnavailableError);
    expect(((await refused) as UnavailableError).code).toBe('UNAVAILABLE');
    expect([gate.queued, gate.refused - refusedBefore]).toEqual([0, 1]);
    await busy;
    expect(await gatedSql`select count(*)::int as n from gate_writes`).toEqual([{ n: 0 }]);
  });

  it('holds a transaction to one connection and lets the next caller in once it ends', async () => {
    const inserted = await gatedSql.begin(async (tx) => {
      await tx`insert into gate_writes values (2)`;
      return tx`select count(*)::int as n from gate_writes`;
    });
    expect(inserted).toEqual([{ n: 1 }]);
    expect(await gatedSql`select array_agg(id)::int[] as ids from gate_writes`).toEqual([{ ids: [2] }]);
  });

  it('answers a readiness probe false within its timeout when the pool is taken', async () => {
    const busy = gatedSql`select pg_sleep(0.5)`.execute();
    expect(await isReachable(gatedSql, 100)).toBe(false);
    await busy;
    expect(await isReachable(gatedSql, 1_000)).toBe(true);
  });
});

describe('the reconnect delay', () => {
  it('starts at tens of milliseconds and never exceeds half a second, however many attempts failed', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const delay = reconnectDelaySeconds(attempt);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(0.5);
    }
    expect(reconnectDelaySeconds(1)).toBeLessThanOrEqual(0.05);
  });
});
