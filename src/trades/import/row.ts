import { type Line, line as copyLine } from '../../infra/copy.js';
import { decimalSign } from '../../lib/decimal.js';
import { isStorableDate, MAX_DATE, MIN_DATE, textProblem } from '../../lib/input.js';
import type { CsvColumn, Header } from './columns.js';
import type { ImportError } from './result.js';

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

/** Digits, an optional fraction, no sign, exponent or separators: bounded, so numeric never sees a megabyte. */
const UNSIGNED_DECIMAL = /^\d{1,24}(\.\d{1,24})?$/;
/** An ISO 8601 date, or a timestamp whose date part is taken as written. */
const TRADE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const MAX_TEXT = 200;

/**
 * Checks the form of one data row (what can be told without the database) and returns its line for
 * the staging table, or undefined after adding an error for each bad cell.
 */
export function stageRow(record: readonly string[], line: number, header: Header, errors: ImportError[]): Line | undefined {
  if (record.length !== header.size) {
    errors.push({ line, column: null, message: `the row has ${record.length} fields, the header ${header.size}` });
    return undefined;
  }
  const found = errors.length;
  const cell = (column: CsvColumn): string => {
    const index = header.get(column);
    return index === undefined ? '' : (record[index] ?? '');
  };
  const fail = (column: CsvColumn, message: string): null => {
    errors.push({ line, column, message });
    return null;
  };
  const text = (column: CsvColumn, required: boolean, max = MAX_TEXT): string | null => {
    const value = cell(column);
    if (value === '') return required ? fail(column, `${column} is required`) : null;
    const problem = textProblem(value, max);
    return problem ? fail(column, `${column} ${problem}`) : value;
  };
  const decimal = (column: CsvColumn, fallback: string | null, positive: boolean): string | null => {
    const value = cell(column);
    if (value === '' && fallback !== null) return fallback;
    if (!UNSIGNED_DECIMAL.test(value))
      return fail(column, `${column} must be a decimal number such as 12.50, got ${JSON.stringify(value.slice(0, 40))}`);
    return positive && decimalSign(value) === 0 ? fail(column, `${column} must be greater than 0`) : value;
  };

  const accountRef = text('account_ref', true);
  const time = cell('trade_time');
  const date = TRADE_TIME.exec(time)?.[1];
  const tradeDate =
    date !== undefined && isStorableDate(date)
      ? date
      : fail(
          'trade_time',
          `trade_time must be an ISO date or timestamp such as 2025-06-30, from ${MIN_DATE} to ${MAX_DATE}, got ${JSON.stringify(time.slice(0, 40))}`,
        );
  const symbol = text('symbol', false);
  const isin = text('isin', false);
  if (cell('symbol') === '' && cell('isin') === '') fail('symbol', 'symbol or isin is required');
  const side = cell('side').toUpperCase();
  if (side !== 'BUY' && side !== 'SELL') fail('side', `side must be BUY or SELL, got ${JSON.stringify(cell('side').slice(0, 40))}`);
  const quantity = decimal('qty', null, true);
  const price = decimal('price', null, false);
  const fees = decimal('fees', '0', false);
  const currencyCell = cell('currency');
  const currency =
    currencyCell === ''
      ? null
      : /^[a-z]{3}$/i.test(currencyCell)
        ? currencyCell.toUpperCase()
        : fail('currency', 'currency must be an ISO 4217 code such as USD');
  const externalId = text('external_id', false, 100);

  if (errors.length > found) return undefined;
  return copyLine([line, accountRef, tradeDate, symbol, isin, side, quantity, price, fees, currency, externalId]);
}
