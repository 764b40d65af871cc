import type { ImportError } from './result.js';

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

const REQUIRED: readonly CsvColumn[] = ['account_ref', 'trade_time', 'side', 'qty', 'price'];

/** Where each column is in a row of the file. */
export type Header = ReadonlyMap<CsvColumn, number>;

function isColumn(name: string): name is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(name);
}

/** Reads the header line (names in any order and case); undefined, with the errors added, if it cannot be used. */
export function readHeader(record: readonly string[], errors: ImportError[]): Header | undefined {
  const header = new Map<CsvColumn, number>();
  const found = errors.length;
  record.forEach((cell, index) => {
    const name = cell.toLowerCase();
    if (!isColumn(name)) {
      errors.push({ line: 1, column: cell, message: `"${cell}" is not a column of the format: use ${CSV_COLUMNS.join(', ')}` });
    } else if (header.has(name)) {
      errors.push({ line: 1, column: name, message: `the column ${name} appears twice` });
    } else {
      header.set(name, index);
    }
  });
  for (const column of REQUIRED) {
    if (!header.has(column)) errors.push({ line: 1, column, message: `the required column ${column} is missing` });
  }
  if (!header.has('symbol') && !header.has('isin')) {
    errors.push({ line: 1, column: 'symbol', message: 'the file needs a symbol or an isin column to name the assets' });
  }
  return errors.length === found ? header : undefined;
}
