import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type postgres from 'postgres';
import type { Actor } from '../../audit/actor.js';
import { recordAudit } from '../../audit/record.js';
import type { Sql } from '../../infra/db.js';
import { copyChunks, LineChunks } from '../../infra/copy.js';
import { uncoveredSales } from '../oversell.js';
import { lockPortfolios } from '../portfolio-lock.js';
import { type PositionKey, recomputePositions } from '../positions.js';
import { oversellErrors, referenceErrors } from './checks.js';
import { CSV_COLUMNS, type Header, readHeader } from './columns.js';
import type { ImportError, ImportResult } from './result.js';
import { STAGED_COLUMNS, stageRow } from './row.js';
import { createStaging, resolveStaging } from './staging.js';

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Thrown inside the import's transaction to roll it back; the errors become the result. */
class Rejected extends Error {
  constructor(readonly errors: ImportError[]) {
    super('the file was rejected');
  }
}

/**
 * Imports a trades CSV (format in docs/trades.md) all or nothing: the rows are parsed as they
 * stream in, COPYed into a staging table, checked together, inserted in one statement, checked for
 * oversells over the whole timeline of every position they touch, and the lots of those positions
 * recomputed. A file with any error imports nothing and reports every error found. An accepted file
 * leaves one entry in the audit log, in the same transaction, with its counts and the SHA-256 of its
 * bytes; `fileName` (as the operator named it) goes into the entry too.
 */
export async function importTrades(sql: Sql, source: Readable, actor: Actor, fileName: string | null = null): Promise<ImportResult> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true });
  const content = new ContentHash();
  // The reader sees parse errors through the parser's async iterator; pipeline ties the streams'
  // lifetimes together so that an error after reading stopped is not left unhandled.
  pipeline(source, content, parser).catch(() => {});
  let rows = 0;
  try {
    return await sql.begin(async (tx) => {
      const errors: ImportError[] = [];
      await createStaging(tx);
      await copyChunks(
        tx,
        'import_rows',
        STAGED_COLUMNS,
        staged(parser, errors, () => rows++),
      );
      await resolveStaging(tx);
      errors.push(...(await referenceErrors(tx)));
      if (errors.length > 0) throw new Rejected(errors);

      const positions = await tx<PositionKey[]>`
        select distinct portfolio_id::text as "portfolioId", asset_id::text as "assetId"
        from import_trades where transaction_id is not null`;
      await lockPortfolios(tx, [...new Set(positions.map((position) => position.portfolioId))]);
      const imported = await insertTrades(tx);
      const oversold = await oversellErrors(tx, await uncoveredSales(tx, positions));
      if (oversold.length > 0) throw new Rejected(oversold);
      await recomputePositions(tx, positions);
      // The parser has read the whole file by now: the staging COPY consumed every record.
      const file = content.digest();
      await recordAudit(tx, {
        actor,
        action: 'trades.imported',
        entity: 'trades_file',
        entityId: file.sha256,
        payload: { file: fileName, sha256: file.sha256, bytes: file.bytes, rows, imported, duplicates: rows - imported },
      });
      return { rows, imported, duplicates: rows - imported, errors: [] };
    });
  } catch (error) {
    if (error instanceof Rejected) return { rows, imported: 0, duplicates: 0, errors: sorted(error.errors) };
    throw error;
  } finally {
    // A rejected header stops reading early; the file must not stay open.
    parser.destroy();
    source.destroy();
  }
}

/** The staging lines of the well-formed rows, in chunks; every error of form is added to `errors`. */
async function* staged(records: AsyncIterable<ParsedRecord>, errors: ImportError[], countRow: () => void): AsyncGenerator<string> {
  const chunks = new LineChunks();
  let header: Header | undefined;
  try {
    for await (const { record, info } of records) {
      if (header === undefined) {
        header = readHeader(record, errors);
        if (header === undefined) return;
        continue;
      }
      countRow();
      const line = stageRow(record, info.lines, header, errors);
      const chunk = line === undefined ? undefined : chunks.add(line);
      if (chunk !== undefined) yield chunk;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    errors.push({ line: typeof error.lines === 'number' ? error.lines : 1, column: null, message: error.message });
    return;
  }
  if (header === undefined)
    errors.push({
      line: 1,
      column: null,
      message: `the file is empty: it needs a header line naming its columns (${CSV_COLUMNS.join(',')})`,
    });
  const rest = chunks.rest();
  if (rest !== undefined) yield rest;
}

/** Inserts the rows that are not duplicates; returns how many. A concurrent import of the same external_id loses quietly. */
async function insertTrades(tx: postgres.TransactionSql): Promise<number> {
  const result = await tx`
    insert into transactions (transaction_id, asset_id, transaction_date, transaction_type, quantity, price, total_amount,
      counterparty_id, portfolio_id, transaction_costs, external_id)
    select transaction_id, asset_id, trade_date, side, quantity, price, quantity * price, null, portfolio_id, fees, external_id
    from import_trades
    where transaction_id is not null
    order by transaction_id
    on conflict (external_id) do nothing`;
  return result.count;
}

function sorted(errors: readonly ImportError[]): ImportError[] {
  const order = (column: string | null) => (column === null ? -1 : CSV_COLUMNS.indexOf(column as (typeof CSV_COLUMNS)[number]));
  return [...errors].sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
}

/** Passes the file through, hashing its bytes on the way (strings, as the graph passes them, as UTF-8). */
class ContentHash extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: () => void): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    this.push(buffer);
    done();
  }

  digest(): { sha256: string; bytes: number } {
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
