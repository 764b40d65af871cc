import type { CsvFormat } from '../../lib/csv-import.js';

/** The columns of the trades CSV, in the documented order (docs/trades.md). */
export const CSV_COLUMNS = [
  'account_ref',
  'trade_time',
  'symbol',
  'isin',
  'side',
  'qty',
  'price',
  'fees',
  'currency',
  'external_id',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const TRADES_FORMAT: CsvFormat<CsvColumn> = {
  columns: CSV_COLUMNS,
  required: ['account_ref', 'trade_time', 'side', 'qty', 'price'],
  checkHeader(header, errors) {
    if (!header.has('symbol') && !header.has('isin')) {
      errors.push({ line: 1, column: 'symbol', message: 'the file needs a symbol or an isin column to name the assets' });
    }
  },
};
