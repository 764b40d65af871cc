import { createHash } from 'node:crypto';

/**
 * The canonical serialization of docs/audit.md, the same bytes as audit_canonical and
 * audit_entry_hash in procedures/audit.sql. Payloads are read as jsonb's text and parsed here with
 * their numbers kept as written: jsonb prints a number as PostgreSQL numeric does (1.50 keeps its
 * scale), which a JavaScript number would lose.
 */
export type Json = null | boolean | string | JsonNumber | Json[] | JsonObject;
export type JsonObject = Map<string, Json>;

/** A number as its text, exactly as jsonb printed it. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export const GENESIS_HASH = Buffer.alloc(32);

/** An entry as the verifier reads it: `at` already in the canonical timestamp format, `payload` as jsonb text. */
export interface StoredEntry {
  seq: string;
  at: string;
  actorSubject: string;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  payload: string;
}

export function canonical(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = [...value.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value.get(key)!)}`).join(',')}}`;
}

export function entryText(entry: StoredEntry): string {
  return `${entryTextBeforeSeq(entry)}${entry.seq}}`;
}

/**
 * The canonical JSON of an entry up to its seq, which sorts last among its keys: the verifier
 * tries other numbers for a moved entry without serializing it again.
 */
export function entryTextBeforeSeq(entry: Omit<StoredEntry, 'seq'>): string {
  const text = canonical(
    new Map<string, Json>([
      ['seq', new JsonNumber('0')],
      ['at', entry.at],
      ['actor_subject', entry.actorSubject],
      ['actor_role', entry.actorRole],
      ['action', entry.action],
      ['entity', entry.entity],
      ['entity_id', entry.entityId],
      ['payload', parseJson(entry.payload)],
    ]),
  );
  return text.slice(0, -'0}'.length);
}

export function entryHash(prevHash: Buffer, entry: StoredEntry): Buffer {
  return hashText(prevHash, entryText(entry));
}

export function hashText(prevHash: Buffer, text: string): Buffer {
  return createHash('sha256').update(prevHash).update(text, 'utf8').digest();
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses JSON text keeping every number's text; throws on anything that is not JSON. */
export function parseJson(text: string): Json {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at ${at}: ${what}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const string = (): string => {
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail('unterminated string');
    const parsed = JSON.parse(text.slice(at, end + 1)) as string;
    at = end + 1;
    return parsed;
  };
  const value = (): Json => {
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      const object: JsonObject = new Map();
      skip();
      if (text[at] === '}') return (at++, object);
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        skip();
        if (text[at++] !== ':') fail('expected :');
        object.set(key, value());
        skip();
        const next = text[at++];
        if (next === '}') return object;
        if (next !== ',') fail('expected , or }');
      }
    }
    if (char === '[') {
      at++;
      const array: Json[] = [];
      skip();
      if (text[at] === ']') return (at++, array);
      for (;;) {
        array.push(value());
        skip();
        const next = text[at++];
        if (next === ']') return array;
        if (next !== ',') fail('expected , or ]');
      }
    }
    if (char === '"') return string();
    for (const [literal, parsed] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(literal, at)) return ((at += literal.length), parsed);
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (!number) return fail('expected a value');
    at = NUMBER.lastIndex;
    return new JsonNumber(number[0]);
  };
  const parsed = value();
  skip();
  if (at !== text.length) fail('trailing text');
  return parsed;
}
