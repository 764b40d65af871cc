import type { Readable } from 'node:stream';
import type postgres from 'postgres';
import type { Actor } from '../../audit/actor.js';
import { recordAudit } from '../../audit/record.js';
import type { Sql } from '../../infra/db.js';
import { chunksOf, copyChunks } from '../../infra/copy.js';
import { ContentHash } from '../../lib/content-hash.js';
import { csvRecords, formRows, Rejected, sortErrors, type ImportError } from '../../lib/csv-import.js';
import { settlementErrors } from '../../ledger/settlement.js';
import { uncoveredSales } from '../oversell.js';
import { lockPortfolios } from '../portfolio-lock.js';
import { type PositionKey, recomputePositions } from '../positions.js';
import { oversellErrors, referenceErrors } from './checks.js';
import { CSV_COLUMNS, TRADES_FORMAT } from './columns.js';
import type { ImportResult } from './result.js';
import { STAGED_COLUMNS, stageRow } from './row.js';
import { createStaging, resolveStaging } from './staging.js';

/**
 * Imports a trades CSV (format in docs/trades.md) all or nothing: the rows are parsed as they
 * stream in, COPYed into a staging table, checked together, inserted in one statement, checked for
 * oversells over the whole timeline of every position they touch, the lots of those positions
 * recomputed, and the trades of portfolios linked to a cash account settled in it (src/ledger). A
 * file with any error imports nothing and reports every error found. An accepted file leaves one
 * entry in the audit log, in the same transaction, with its counts, how many trades settled in cash
 * and the SHA-256 of its bytes; `fileName` (as the operator named it) goes into the entry too.
 */
export async function importTrades(sql: Sql, source: Readable, actor: Actor, fileName: string | null = null): Promise<ImportResult> {
  const content = new ContentHash();
  const parser = csvRecords(source, content);
  const counter = { rows: 0 };
  try {
    return await sql.begin(async (tx) => {
      const errors: ImportError[] = [];
      await createStaging(tx);
      const staged = formRows(parser, TRADES_FORMAT, errors, stageRow, counter);
      await copyChunks(tx, 'import_rows', STAGED_COLUMNS, chunksOf(staged));
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
      const settled = await settleImported(tx);
      // The parser has read the whole file by now: the staging COPY consumed every record.
      const file = content.digest();
      const rows = counter.rows;
      await recordAudit(tx, {
        actor,
        action: 'trades.imported',
        entity: 'trades_file',
        entityId: file.sha256,
        payload: { file: fileName, sha256: file.sha256, bytes: file.bytes, rows, imported, duplicates: rows - imported, settled },
      });
      return { rows, imported, duplicates: rows - imported, errors: [] };
    });
  } catch (error) {
    if (error instanceof Rejected) return { rows: counter.rows, imported: 0, duplicates: 0, errors: sortErrors(error.errors, CSV_COLUMNS) };
    throw error;
  } finally {
    // A rejected header stops reading early; the file must not stay open.
    parser.destroy();
    source.destroy();
  }
}

/**
 * Settles the imported trades and returns how many legs it booked; a leg the ledger refuses rejects
 * the file at the line of the trade that caused it.
 */
async function settleImported(tx: postgres.TransactionSql): Promise<number> {
  const [{ ids }] = await tx<[{ ids: string[] }]>`
    select coalesce(array_agg(transaction_id::text order by transaction_id), '{}') as ids from import_trades where transaction_id is not null`;
  const refused = await settlementErrors(tx, ids);
  if (refused === undefined) {
    const [{ settled }] = await tx<[{ settled: number }]>`
      select count(*)::int as settled from cash_movements where trade_id = any(${ids}::bigint[])`;
    return settled;
  }
  const [row] = await tx<{ line: number }[]>`
    select r.line from import_trades r join accounts a on a.portfolio_id = r.portfolio_id
    where r.transaction_id is not null and a.account_id = ${refused.accountId}::bigint and r.trade_date <= ${refused.date}::date
    order by r.trade_date desc, r.side, r.line desc limit 1`;
  throw new Rejected([{ line: row?.line ?? 1, column: 'qty', message: refused.message }]);
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
