import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/audit/actor.js';
import type { AuditAction } from '../../src/audit/actions.js';
import { recordAudit } from '../../src/audit/record.js';
import { AuditLogDocument, AuditLogHeadDocument } from '../generated/graphql.js';
import { useTestDatabase } from '../support/database.js';
import { dataOf, graphqlClient, type Execute } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer } from '../security/support.js';

const db = useTestDatabase();
let server: TestServer;
const clients: Partial<Record<'VIEWER' | 'ANALYST' | 'OPERATOR' | 'ADMIN', Execute>> = {};

async function append(actor: Actor, action: AuditAction, entity: string, entityId: string | null, payload: Record<string, unknown>) {
  return db.sql.begin((tx) => recordAudit(tx, { actor, action, entity, entityId, payload }));
}

beforeAll(async () => {
  server = await startTestServer(db.sql, AUTH_ON);
  for (const role of ['VIEWER', 'ANALYST', 'OPERATOR', 'ADMIN'] as const) clients[role] = graphqlClient(server.url, await bearer(role));
});
afterAll(() => server?.close());

describe('auditLogHead', () => {
  it('is null while the log is empty, then the latest entry', async () => {
    expect(dataOf(await clients.OPERATOR!(AuditLogHeadDocument)).auditLogHead).toBeNull();
    await append({ subject: 'alice', role: 'ANALYST' }, 'trade.recorded', 'trade', '1', { trade_id: '1', price: '10.50' });
    const last = await append(systemActor('rebuild-worker'), 'build.started', 'asset_360_build', '7', { build_id: '7' });
    expect(dataOf(await clients.ADMIN!(AuditLogHeadDocument)).auditLogHead).toEqual({
      seq: last.seq,
      hash: last.hash.toString('hex'),
      at: last.at.toISOString(),
    });
  });
});

describe('auditLog', () => {
  it('lists entries newest first, page after page, with their hashes chained', async () => {
    for (let index = 0; index < 5; index++)
      await append({ subject: 'bob', role: 'OPERATOR' }, 'rebuilds.paused', 'rebuild_queue', null, {});
    const first = dataOf(await clients.OPERATOR!(AuditLogDocument, { first: 4 })).auditLog;
    expect(first.totalCount).toBe(7);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = dataOf(await clients.OPERATOR!(AuditLogDocument, { first: 4, after: first.pageInfo.endCursor })).auditLog;
    const nodes = [...first.edges, ...rest.edges].map((edge) => edge.node);
    expect(nodes.map((node) => node.seq)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    nodes.slice(0, -1).forEach((node, index) => expect(node.prevHash).toBe(nodes[index + 1]!.hash));
    expect(nodes[6]).toMatchObject({
      actorSubject: 'alice',
      actorRole: 'ANALYST',
      action: 'trade.recorded',
      entity: 'trade',
      entityId: '1',
      payload: { trade_id: '1', price: '10.50' },
      prevHash: '0'.repeat(64),
    });
  });

  it('filters by action, actor, entity and time, all together', async () => {
    const seqs = async (filter: Record<string, unknown>) =>
      dataOf(await clients.OPERATOR!(AuditLogDocument, { filter })).auditLog.edges.map((edge) => edge.node.seq);
    expect(await seqs({ action: 'trade.recorded' })).toEqual(['1']);
    expect(await seqs({ actor: 'system:rebuild-worker' })).toEqual(['2']);
    expect(await seqs({ entity: 'asset_360_build', entityId: '7' })).toEqual(['2']);
    expect(await seqs({ entity: 'asset_360_build', entityId: '8' })).toEqual([]);
    expect(await seqs({ actor: 'bob', action: 'trade.recorded' })).toEqual([]);
    const [{ at }] = await db.sql<
      [{ at: string }]
    >`select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from audit_log where seq = 2`;
    const later = await seqs({ from: new Date(Date.parse(at) + 1).toISOString() });
    expect(later.every((seq) => Number(seq) > 2)).toBe(true);
    expect(await seqs({ to: at, action: 'trade.recorded' })).toEqual(['1']);
  });

  it('refuses a reversed time range and an overlong filter with BAD_USER_INPUT naming the argument', async () => {
    const reversed = await clients.OPERATOR!(AuditLogDocument, { filter: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.to' });
    const long = await clients.OPERATOR!(AuditLogDocument, { filter: { action: 'x'.repeat(201) } });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.action' });
    const cursor = await clients.OPERATOR!(AuditLogDocument, { after: 'bm90LWEtY3Vyc29y' });
    expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('is refused to VIEWER and ANALYST with FORBIDDEN', async () => {
    for (const role of ['VIEWER', 'ANALYST'] as const) {
      for (const result of [await clients[role]!(AuditLogDocument, {}), await clients[role]!(AuditLogHeadDocument)]) {
        expect(
          result.errors?.map((error) => error.extensions?.code),
          role,
        ).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(result.data), role).not.toMatch(/alice|[0-9a-f]{64}/);
      }
    }
  });
});
