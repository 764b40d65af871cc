import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type postgres from 'postgres';
import type { Actor } from '../../audit/actor.js';
import { recordAudit } from '../../audit/record.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { chunksOf, copyChunks } from '../../infra/copy.js';
import { ContentHash } from '../../lib/content-hash.js';
import { csvRecords, formRows, Rejected, sortErrors, type ImportError } from '../../lib/csv-import.js';
import { refusalOf } from '../refusal.js';
import { cashGroupErrors, cashReferenceErrors } from './checks.js';
import { CASH_COLUMNS, CASH_FORMAT } from './columns.js';
import { STAGED_CASH_COLUMNS, stageCashRow } from './row.js';
import { createCashStaging, resolveCashStaging } from './staging.js';

/** What an import did: all of the file's movements, or, when `errors` is not empty, nothing. */
export interface CashImportResult {
  /** The data rows of the file. */
  rows: number;
  imported: number;
  /** Rows skipped because their external_id was booked before or repeats an earlier row's. */
  duplicates: number;
  errors: ImportError[];
}

/**
 * Imports a cash CSV (format in the README) all or nothing, into the accounts the viewer may pay
 * from: parsed as it streams in, COPYed into a staging table, checked together (accounts,
 * currencies, dates, transfer groups), classified by the category rules where a row has no
 * category, and inserted in one statement, which the database checks against every overdraft
 * limit. The legs of a file's transfer group become one transfer group of the ledger; between two
 * currencies its rate is the incoming amount over the outgoing one. An accepted file leaves one
 * entry in the audit log (`cash.imported`) with its counts and the SHA-256 of its bytes.
 */
export async function importCashTransactions(
  sql: Sql,
  viewer: Viewer,
  source: Readable,
  actor: Actor,
  fileName: string | null = null,
): Promise<CashImportResult> {
  const content = new ContentHash();
  const parser = csvRecords(source, content);
  const counter = { rows: 0 };
  try {
    return await sql.begin(async (tx) => {
      const errors: ImportError[] = [];
      await createCashStaging(tx);
      await copyChunks(tx, 'cash_import_rows', STAGED_CASH_COLUMNS, chunksOf(formRows(parser, CASH_FORMAT, errors, stageCashRow, counter)));
      await resolveCashStaging(tx, viewer);
      errors.push(...(await cashReferenceErrors(tx)), ...(await cashGroupErrors(tx)));
      if (errors.length > 0) throw new Rejected(errors);
      await classify(tx);
      let imported = 0;
      const refusal = await refusalOf(tx, async (savepoint) => {
        imported = await insertMovements(savepoint);
        await savepoint`set constraints cash_transfer_balanced immediate`;
      });
      if (refusal !== undefined) throw new Rejected([await refusalError(tx, refusal.accountId, refusal.date, refusal.message)]);
      const rows = counter.rows;
      // The parser has read the whole file by now: the staging COPY consumed every record.
      const file = content.digest();
      await recordAudit(tx, {
        actor,
        action: 'cash.imported',
        entity: 'cash_file',
        entityId: file.sha256,
        payload: { file: fileName, sha256: file.sha256, bytes: file.bytes, rows, imported, duplicates: rows - imported },
      });
      return { rows, imported, duplicates: rows - imported, errors: [] };
    });
  } catch (error) {
    if (error instanceof Rejected)
      return { rows: counter.rows, imported: 0, duplicates: 0, errors: sortErrors(error.errors, CASH_COLUMNS) };
    throw error;
  } finally {
    parser.destroy();
    source.destroy();
  }
}

/** Rows without a category get the rules' (procedures/cash_category.sql), asked once per distinct description and counterparty. */
async function classify(tx: postgres.TransactionSql): Promise<void> {
  // Empty cells are staged as NULL, so '' stands for "none" in the join keys without colliding with a value.
  await tx`
    update cash_import r set category = c.category
    from (
      select d.description, d.counterparty_name, d.counterparty_account,
        cash_category(nullif(d.description, ''), nullif(d.counterparty_name, ''), nullif(d.counterparty_account, '')) as category
      from (
        select distinct coalesce(description, '') as description, coalesce(counterparty_name, '') as counterparty_name,
          coalesce(counterparty_account, '') as counterparty_account
        from cash_import
        where category is null and not duplicate
      ) d
    ) c
    where r.category is null and not r.duplicate and c.category is not null
      and coalesce(r.description, '') = c.description and coalesce(r.counterparty_name, '') = c.counterparty_name
      and coalesce(r.counterparty_account, '') = c.counterparty_account`;
}

/**
 * Inserts the rows that are not duplicates, each file group as a new transfer group; returns how many.
 * A group's id is derived from the import's own random nonce and the file's group id, and its rate
 * from its legs by a window, so that no join on the mostly-null group column is needed (a hash join
 * on it puts every row without a group in one bucket).
 */
async function insertMovements(tx: postgres.TransactionSql): Promise<number> {
  const nonce = randomUUID();
  const result = await tx`
    insert into cash_movements (movement_id, account_id, movement_date, amount, currency, section, category, description,
      counterparty_name, counterparty_account, external_id, transfer_group, fx_rate)
    select r.movement_id, r.account_id, r.movement_date, r.amount, r.currency, r.section, r.category, r.description,
      r.counterparty_name, r.counterparty_account, r.external_id,
      case when r.group_ref is not null then md5(${nonce} || r.group_ref)::uuid end,
      case when r.group_ref is not null and min(r.currency) over legs <> max(r.currency) over legs
        then max(r.amount) filter (where r.amount > 0) over legs / -min(r.amount) filter (where r.amount < 0) over legs
      end
    from cash_import r
    where not r.duplicate
    window legs as (partition by r.group_ref)
    order by r.movement_id
    on conflict (external_id) do nothing`;
  return result.count;
}

/** The overdraft at the line that caused it: the file's last debit of the account on or before the day it goes below its limit. */
async function refusalError(
  tx: postgres.TransactionSql,
  accountId: string | null,
  date: string | null,
  message: string,
): Promise<ImportError> {
  const [row] = await tx<{ line: number }[]>`
    select r.line from cash_import r
    where not r.duplicate and r.amount < 0 and r.account_id = ${accountId}::bigint and r.movement_date <= ${date}::date
    order by r.movement_date desc, r.line desc
    limit 1`;
  return { line: row?.line ?? 1, column: 'amount', message };
}
