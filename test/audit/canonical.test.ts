import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonical, entryHash, JsonNumber, parseJson, type StoredEntry } from '../../src/audit/canonical.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';

const db = useTestDatabase();

/** Strings that stress the serialization: escapes, controls, astral and combining characters, keys that sort differently in UTF-16. */
const STRINGS = [
  '',
  'plain',
  'quote " and backslash \\ and slash /',
  'controls \u0001\u0008\t\n\f\r\u001f\u007f',
  'é vs e\u0301',
  '中文',
  '\u{1F600} astral',
  '\uFF61 halfwidth',
  'line\u2028separator',
  'ünïcödé',
];

const NUMBERS = ['0', '-0', '1', '-1', '1.50', '0.000001', '1e2', '1E-3', '123456789012345678901234567890.123456789', '-2.5e+10', '3.0'];

function randomJson(random: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const kind = depth > 2 ? Math.floor(random() * 4) : Math.floor(random() * 6);
  switch (kind) {
    case 0:
      return JSON.stringify(pick(STRINGS));
    case 1:
      return pick(NUMBERS);
    case 2:
      return pick(['true', 'false', 'null']);
    case 3:
      return JSON.stringify(pick(STRINGS) + String(Math.floor(random() * 10)));
    case 4:
      return `[${Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1)).join(', ')}]`;
    default:
      return `{${Array.from({ length: Math.floor(random() * 5) }, () => `${JSON.stringify(pick(STRINGS) + pick(['', 'a', 'b', '\u{1F600}', '\uFF61']))}: ${randomJson(random, depth + 1)}`).join(', ')}}`;
  }
}

describe('the canonical serialization', () => {
  it('is byte for byte the same in TypeScript and in PostgreSQL, for unicode, escapes and numbers', async () => {
    const random = seededRandom(15, 'audit-canonical');
    const documents = Array.from({ length: 300 }, () => `{"v": ${randomJson(random, 0)}, ${JSON.stringify(STRINGS.join(''))}: 1}`);
    const rows = await db.sql<{ stored: string; canonical: string }[]>`
      select d::jsonb::text as stored, audit_canonical(d::jsonb) as canonical
      from unnest(${documents}::text[]) with ordinality as u(d, i) order by i`;
    for (const row of rows) expect(canonical(parseJson(row.stored))).toBe(row.canonical);
  });

  it('keeps jsonb numbers as PostgreSQL prints them: scale kept, exponents expanded', async () => {
    const [row] = await db.sql<[{ canonical: string }]>`
      select audit_canonical('{"b": [1.50, 1e2, 1E-3, -0, 12345678901234567890123]}'::jsonb) as canonical`;
    expect(row.canonical).toBe('{"b":[1.50,100,0.001,0,12345678901234567890123]}');
    expect(canonical(parseJson('{"b": [1.50, 100, 0.001, 0, 12345678901234567890123]}'))).toBe(row.canonical);
  });

  it('orders keys by UTF-8 bytes (code points), not UTF-16 units as a JavaScript sort would', async () => {
    const [row] = await db.sql<
      [{ canonical: string }]
    >`select audit_canonical(${'{"\uFF61": 1, "\u{1F600}": 2, "a": 3, "aa": 4, "B": 5}'}::text::jsonb) as canonical`;
    expect(row.canonical).toBe('{"B":5,"a":3,"aa":4,"\uFF61":1,"\u{1F600}":2}');
    expect(['\uFF61', '\u{1F600}'].sort()).toEqual(['\u{1F600}', '\uFF61']);
  });

  it('hashes an entry as the documented few lines do', async () => {
    await db.sql`select audit_append('alice', 'ANALYST', 'trade.recorded', 'trade', '7', ${'{"price": "10.50", "n": 1.0, "name": "Zoë \u{1F600}"}'}::text::jsonb)`;
    const [row] = await db.sql<[StoredEntry & { prevHash: Buffer; hash: Buffer }]>`
      select seq::text as seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor_subject as "actorSubject",
        actor_role as "actorRole", action, entity, entity_id as "entityId", payload::text as payload, prev_hash as "prevHash", hash
      from audit_log order by seq desc limit 1`;
    expect(entryHash(row.prevHash, row).equals(row.hash)).toBe(true);
    // docs/audit.md, spelled out: the previous hash, then the entry's canonical JSON in UTF-8.
    const text =
      `{"action":"trade.recorded","actor_role":"ANALYST","actor_subject":"alice","at":"${row.at}","entity":"trade","entity_id":"7",` +
      `"payload":{"n":1.0,"name":"Zoë \u{1F600}","price":"10.50"},"seq":${row.seq}}`;
    expect(createHash('sha256').update(row.prevHash).update(text, 'utf8').digest().equals(row.hash)).toBe(true);
    expect(row.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('refuses text that is not JSON', () => {
    for (const text of ['', '{', '{"a" 1}', '[1,]', '"open', '01', '{"a": 1} x', 'nul'])
      expect(() => parseJson(text), text).toThrow(SyntaxError);
    expect(parseJson(' [ -0.5e3 , "x" ] ')).toEqual([new JsonNumber('-0.5e3'), 'x']);
  });
});
