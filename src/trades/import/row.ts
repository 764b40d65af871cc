import { type Line, line as copyLine } from '../../infra/copy.js';
import type { RowCells } from '../../lib/csv-import.js';
import type { CsvColumn } from './columns.js';

/** The staging table's columns, in the order of the lines stageRow makes. */
export const STAGED_COLUMNS = [
  'line',
  'account_ref',
  'trade_date',
  'symbol',
  'isin',
  'side',
  'quantity',
  'price',
  'fees',
  'currency',
  'external_id',
] as const;

/**
 * Checks the form of one data row (what can be told without the database) and returns its line for
 * the staging table, or undefined after adding an error for each bad cell.
 */
export function stageRow(row: RowCells<CsvColumn>): Line | undefined {
  const accountRef = row.text('account_ref', true);
  const tradeDate = row.date('trade_time');
  const symbol = row.text('symbol', false);
  const isin = row.text('isin', false);
  if (row.cell('symbol') === '' && row.cell('isin') === '') row.fail('symbol', 'symbol or isin is required');
  const side = row.oneOf('side', ['BUY', 'SELL'] as const);
  const quantity = row.decimal('qty', null, true);
  const price = row.decimal('price', null, false);
  const fees = row.decimal('fees', '0', false);
  const currency = row.currency('currency', false);
  const externalId = row.text('external_id', false, 100);

  if (row.failed) return undefined;
  return copyLine([row.line, accountRef, tradeDate, symbol, isin, side, quantity, price, fees, currency, externalId]);
}
