import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/actor.js';
import { entryHash, GENESIS_HASH } from '../../src/audit/canonical.js';
import { auditHead, parseCheckpoints } from '../../src/audit/checkpoint.js';
import { recordAudit } from '../../src/audit/record.js';
import { verifyChain } from '../../src/audit/verify.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { tamper } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase;
const dirs: string[] = [];

beforeEach(async () => {
  await db?.drop();
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function append(count: number, payload: (index: number) => Record<string, unknown> = (index) => ({ index })): Promise<void> {
  for (let index = 0; index < count; index++) {
    await db.sql.begin((tx) =>
      recordAudit(tx, {
        actor: systemActor('test'),
        action: 'trade.recorded',
        entity: 'trade',
        entityId: String(index),
        payload: payload(index),
      }),
    );
  }
}

function cli(script: string, args: string[] = [], url = db.url) {
  return spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: url },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

async function checkpointFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'asset360-audit-'));
  dirs.push(dir);
  return path.join(dir, 'checkpoints.txt');
}

describe('the chain', () => {
  it('stays linear and gap-free under concurrent writers, rolled-back ones included', async () => {
    const writers = Array.from({ length: 40 }, (_, index) =>
      db.sql
        .begin(async (tx) => {
          await recordAudit(tx, {
            actor: systemActor('test'),
            action: 'trade.recorded',
            entity: 'trade',
            entityId: String(index),
            payload: { index },
          });
          // Every fifth writer fails after appending: its number must go back, not leave a gap.
          if (index % 5 === 0) throw new Error('rolled back');
        })
        .catch((error: Error) => error.message),
    );
    const outcomes = await Promise.all(writers);
    expect(outcomes.filter((outcome) => outcome === 'rolled back')).toHaveLength(8);
    const rows = await db.sql<{ seq: string; prev: Buffer; hash: Buffer; index: number }[]>`
      select seq::text as seq, prev_hash as prev, hash, (payload->>'index')::int as index from audit_log a order by a.seq`;
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 32 }, (_, index) => String(index + 1)));
    expect(rows.map((row) => row.index % 5 === 0)).not.toContain(true);
    rows.forEach((row, index) => expect(row.prev.equals(index === 0 ? GENESIS_HASH : rows[index - 1]!.hash)).toBe(true));
    expect(await verifyChain(db.sql)).toEqual({ ok: true, count: 32n, head: { seq: '32', hash: rows[31]!.hash.toString('hex') } });
  });

  it('keeps time in step with seq', async () => {
    await append(20);
    const [row] = await db.sql<[{ backwards: number }]>`
      select count(*)::int as backwards from (select at < lag(at) over (order by seq) as back from audit_log) t where back`;
    expect(row.backwards).toBe(0);
  });

  it('verifies an empty log', async () => {
    expect(await verifyChain(db.sql)).toEqual({ ok: true, count: 0n, head: null });
  });
});

describe('the guard', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, for the superuser too, even with replication-role triggers off', async () => {
    await append(2);
    const refused = /audit_log is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/;
    await expect(db.sql`update audit_log set payload = '{}' where seq = 1`).rejects.toThrow(refused);
    await expect(db.sql`delete from audit_log where seq = 2`).rejects.toThrow(refused);
    await expect(db.sql`truncate audit_log`).rejects.toThrow(refused);
    await expect(
      db.sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from audit_log`;
      }),
    ).rejects.toThrow(refused);
    const [{ superuser }] = await db.sql<[{ superuser: boolean }]>`select rolsuper as superuser from pg_roles where rolname = current_user`;
    expect(superuser).toBe(true);
    expect((await db.sql`select count(*)::int as n from audit_log`)[0]!.n).toBe(2);
  });
});

describe('the verifier', () => {
  it('catches an edited payload at its seq', async () => {
    await append(5);
    await tamper(db.sql, (sql) => sql`update audit_log set payload = '{"index": 99}' where seq = 3`);
    expect(await verifyChain(db.sql)).toMatchObject({ ok: false, seq: '3', reason: 'edited' });
  });

  it('catches an edited entry whose own hash was recomputed, at that entry', async () => {
    await append(5);
    await tamper(db.sql, async (sql) => {
      await sql`update audit_log set actor_subject = 'mallory' where seq = 2`;
      await sql`update audit_log set hash = audit_entry_hash(audit_log) where seq = 2`;
    });
    expect(await verifyChain(db.sql)).toMatchObject({ ok: false, seq: '2', reason: 'edited' });
  });

  it('catches a deleted row, the first one too', async () => {
    await append(5);
    await tamper(db.sql, (sql) => sql`delete from audit_log where seq = 4`);
    expect(await verifyChain(db.sql)).toMatchObject({
      ok: false,
      seq: '4',
      reason: 'missing',
      detail: expect.stringContaining('seq 3 is followed by seq 5'),
    });
    await tamper(db.sql, (sql) => sql`delete from audit_log where seq in (1, 2)`);
    expect(await verifyChain(db.sql)).toMatchObject({
      ok: false,
      seq: '1',
      reason: 'missing',
      detail: expect.stringContaining('seq 1 to 2 are'),
    });
  });

  it('catches a swapped pair as reordered', async () => {
    await append(5);
    await tamper(db.sql, async (sql) => {
      await sql`update audit_log set seq = 1000 where seq = 2`;
      await sql`update audit_log set seq = 2 where seq = 3`;
      await sql`update audit_log set seq = 3 where seq = 1000`;
    });
    expect(await verifyChain(db.sql)).toMatchObject({
      ok: false,
      seq: '2',
      reason: 'reordered',
      detail: 'this entry was written as seq 3',
    });
  });

  it('passes a rewritten and re-hashed tail, which only a checkpoint catches', async () => {
    await append(6);
    const checkpoint = (await auditHead(db.sql))!;
    await append(2);
    await tamper(db.sql, async (sql) => {
      await sql`update audit_log set payload = '{"index": -1}' where seq = 4`;
      // Re-chain from seq 4 on, in order, as an attacker would.
      for (const seq of [4, 5, 6, 7, 8]) {
        await sql`update audit_log set prev_hash = (select hash from audit_log where seq = ${seq - 1}) where seq = ${seq}`;
        await sql`update audit_log set hash = audit_entry_hash(audit_log) where seq = ${seq}`;
      }
    });
    expect(await verifyChain(db.sql)).toMatchObject({ ok: true, count: 8n });
    const result = await verifyChain(db.sql, [{ seq: checkpoint.seq, hash: checkpoint.hash }]);
    expect(result).toMatchObject({ ok: false, seq: '6', reason: 'edited', detail: expect.stringContaining('differs from the checkpoint') });
  });

  it('catches a truncated tail against a checkpoint', async () => {
    await append(6);
    const checkpoint = (await auditHead(db.sql))!;
    await tamper(db.sql, (sql) => sql`delete from audit_log where seq >= 5`);
    expect(await verifyChain(db.sql)).toMatchObject({ ok: true, count: 4n });
    expect(await verifyChain(db.sql, [{ seq: checkpoint.seq, hash: checkpoint.hash }])).toMatchObject({
      ok: false,
      seq: '6',
      reason: 'missing',
      detail: expect.stringContaining('the log ends at seq 4'),
    });
  });

  it('streams a log longer than one batch', async () => {
    await db.sql.begin(async (tx) => {
      for (let index = 0; index < 2500; index++) {
        await recordAudit(tx, {
          actor: systemActor('test'),
          action: 'trade.recorded',
          entity: 'trade',
          entityId: null,
          payload: { index, price: '1.50' },
        });
      }
    });
    const head = (await auditHead(db.sql))!;
    expect(await verifyChain(db.sql)).toEqual({ ok: true, count: 2500n, head: { seq: '2500', hash: head.hash } });
  });
});

describe('npm run audit:verify and audit:checkpoint', () => {
  it('print OK with the count and head hash, append checkpoints, and fail with the first bad seq', async () => {
    expect(cli('audit-checkpoint')).toMatchObject({ status: 1, stderr: expect.stringMatching(/the audit log is empty/) });
    await append(3, (index) => ({ index, note: 'naïve 😀', amount: '12.50' }));
    const file = await checkpointFile();
    const taken = cli('audit-checkpoint', ['--file', file]);
    expect(taken.status, taken.stderr).toBe(0);
    const head = (await auditHead(db.sql))!;
    expect(taken.stdout).toBe(`3 ${head.hash} ${head.at.toISOString()}\n`);
    await append(1);
    expect(cli('audit-checkpoint', ['--file', file]).status).toBe(0);
    expect(parseCheckpoints(await readFile(file, 'utf8')).map((checkpoint) => checkpoint.seq)).toEqual(['3', '4']);

    const ok = cli('audit-verify', ['--checkpoint', file]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`OK 4 ${(await auditHead(db.sql))!.hash} (extends 2 checkpoints)\n`);

    await tamper(db.sql, (sql) => sql`delete from audit_log where seq = 4`);
    const truncated = cli('audit-verify', ['--checkpoint', file]);
    expect(truncated.status).toBe(1);
    expect(truncated.stdout).toMatch(/^FAIL seq 4 missing: the log ends at seq 3/);
    expect(cli('audit-verify').stdout).toBe(`OK 3 ${head.hash}\n`);

    await tamper(db.sql, (sql) => sql`update audit_log set entity_id = '9' where seq = 2`);
    expect(cli('audit-verify')).toMatchObject({ status: 1, stdout: 'FAIL seq 2 edited: its content no longer matches its hash\n' });
  });

  it('refuse a bad checkpoint file, a missing DATABASE_URL and unknown options with exit code 2', async () => {
    const file = await checkpointFile();
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '# kept offline\n3 not-a-hash\n'));
    expect(cli('audit-verify', ['--checkpoint', file])).toMatchObject({ status: 2, stderr: expect.stringContaining('line 2: expected') });
    expect(cli('audit-verify', ['--what'])).toMatchObject({ status: 2 });
    expect(
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      }),
    ).toMatchObject({ status: 2, stderr: expect.stringContaining('DATABASE_URL is not set') });
  });
});

describe('entryHash', () => {
  it('changes with any field', async () => {
    const entry = {
      seq: '1',
      at: '2026-01-01T00:00:00.000000Z',
      actorSubject: 'a',
      actorRole: null,
      action: 'x.y',
      entity: 'e',
      entityId: null,
      payload: '{}',
    };
    const base = entryHash(GENESIS_HASH, entry);
    for (const change of [
      { seq: '2' },
      { at: '2026-01-01T00:00:00.000001Z' },
      { actorRole: 'ADMIN' },
      { entityId: '' },
      { payload: '{"a": null}' },
    ]) {
      expect(entryHash(GENESIS_HASH, { ...entry, ...change }).equals(base), JSON.stringify(change)).toBe(false);
    }
    expect(entryHash(Buffer.alloc(32, 1), entry).equals(base)).toBe(false);
  });
});
