import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';

export type Cell = string | number | bigint | null;

/** One row in COPY text format: tab-separated fields ending in a newline, fields made by `field`. */
export type Line = string;

/** Lines are batched into chunks of about this many characters: one socket write per chunk, not per row. */
const CHUNK_CHARACTERS = 256 * 1024;

/** Gathers lines into chunks for copyChunks. */
export class LineChunks {
  private chunk = '';

  /** Adds a line; returns the chunk to send once it is full. */
  add(line: Line): string | undefined {
    this.chunk += line;
    if (this.chunk.length < CHUNK_CHARACTERS) return undefined;
    const full = this.chunk;
    this.chunk = '';
    return full;
  }

  /** The last, partly filled chunk, if any. */
  rest(): string | undefined {
    return this.chunk.length > 0 ? this.chunk : undefined;
  }
}

/** The lines gathered into chunks for copyChunks, as they come. */
export async function* chunksOf(lines: AsyncIterable<Line>): AsyncGenerator<string> {
  const gathered = new LineChunks();
  for await (const line of lines) {
    const chunk = gathered.add(line);
    if (chunk !== undefined) yield chunk;
  }
  const rest = gathered.rest();
  if (rest !== undefined) yield rest;
}

/** Streams lines into `table` with COPY (text format), with backpressure; returns the number of rows. */
export async function copyLines(
  sql: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  lines: Iterable<Line>,
  { freeze = false } = {},
): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    const gathered = new LineChunks();
    for (const line of lines) {
      count++;
      const chunk = gathered.add(line);
      if (chunk !== undefined) yield chunk;
    }
    const rest = gathered.rest();
    if (rest !== undefined) yield rest;
  }
  await copyChunks(sql, table, columns, chunks(), { freeze });
  return count;
}

/**
 * Streams chunks of lines (see LineChunks) into `table` with COPY (text format), with backpressure.
 * A source that is read asynchronously, such as a parsed upload, comes as an async iterable.
 */
export async function copyChunks(
  sql: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string> | AsyncIterable<string>,
  { freeze = false } = {},
): Promise<void> {
  const query = freeze
    ? sql`copy ${sql(table)} (${sql([...columns])}) from stdin with (freeze)`
    : sql`copy ${sql(table)} (${sql([...columns])}) from stdin`;
  const serverError = rejectionOf(query);
  const target = await query.writable();
  await Promise.race([pipeline(Readable.from(chunks), target), serverError]);
}

/**
 * postgres.js 3.4 never settles a COPY's writable when the server's error arrives after the last
 * chunk was sent (porsager/postgres#1173, fix pending in #1183): the seed would hang inside its
 * transaction. The error's only trace is a late reject() of the already resolved query, so this
 * listens there. test/demo/seed.test.ts ('loads all or nothing') fails if that hook ever goes away.
 */
function rejectionOf(query: object): Promise<never> {
  const internals = query as { reject?: (error: unknown) => void };
  return new Promise((_, reject) => {
    const settle = internals.reject;
    if (typeof settle !== 'function') return;
    internals.reject = (error) => {
      reject(error);
      settle(error);
    };
  });
}

/** Builds a line from a whole row; the hot tables build theirs with template literals and `field` instead. */
export function line(cells: readonly Cell[]): Line {
  return `${cells.map(field).join('\t')}\n`;
}

export function field(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'number') {
    // PostgreSQL would accept 'NaN' and 'Infinity' silently; a generator bug must fail loudly instead.
    if (!Number.isFinite(cell)) throw new RangeError(`refusing to copy the non-finite number ${cell}`);
    return String(cell);
  }
  if (typeof cell === 'bigint') return String(cell);
  return /[\\\t\n\r]/.test(cell) ? cell.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] ?? char) : cell;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
