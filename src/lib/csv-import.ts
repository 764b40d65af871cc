import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Parser } from 'csv-parse';
import { decimalSign } from './decimal.js';
import { isStorableDate, MAX_DATE, MIN_DATE, textProblem } from './input.js';

/*
 * What every all-or-nothing CSV import shares (the trades import, the cash import): the parser, the
 * header, the form checks of a row's cells, and errors that name a line and a column.
 */

/** A reason to reject a file, at a line of it (1 is the header) and, when one is at fault, a column. */
export interface ImportError {
  line: number;
  column: string | null;
  message: string;
}

/** A file's columns in their documented order, which the errors follow; the header may list them in any order and case. */
export interface CsvFormat<TColumn extends string> {
  columns: readonly TColumn[];
  required: readonly TColumn[];
  /** Further checks of a header whose names are all known, such as "one of two columns". */
  checkHeader?: (header: Header<TColumn>, errors: ImportError[]) => void;
}

/** Where each column is in a row of the file. */
export type Header<TColumn extends string> = ReadonlyMap<TColumn, number>;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Thrown inside an import's transaction to roll it back; its errors become the result. */
export class Rejected extends Error {
  constructor(readonly errors: ImportError[]) {
    super('the file was rejected');
  }
}

/** A streaming parser over the source, read through `through` (a hash of the bytes, say); destroy it (and the source) when done, as a rejected header stops reading early. */
export function csvRecords(source: Readable, ...through: Transform[]): Parser {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true });
  // The reader sees parse errors through the parser's async iterator; pipeline ties the streams'
  // lifetimes together so that an error after reading stopped is not left unhandled.
  pipeline([source, ...through, parser]).catch(() => {});
  return parser;
}

/** Reads the header line; undefined, with the errors added, if it cannot be used. */
export function readHeader<TColumn extends string>(
  record: readonly string[],
  format: CsvFormat<TColumn>,
  errors: ImportError[],
): Header<TColumn> | undefined {
  const header = new Map<TColumn, number>();
  const found = errors.length;
  const isColumn = (name: string): name is TColumn => (format.columns as readonly string[]).includes(name);
  record.forEach((cell, index) => {
    const name = cell.toLowerCase();
    if (!isColumn(name)) {
      errors.push({ line: 1, column: cell, message: `"${cell}" is not a column of the format: use ${format.columns.join(', ')}` });
    } else if (header.has(name)) {
      errors.push({ line: 1, column: name, message: `the column ${name} appears twice` });
    } else {
      header.set(name, index);
    }
  });
  for (const column of format.required) {
    if (!header.has(column)) errors.push({ line: 1, column, message: `the required column ${column} is missing` });
  }
  format.checkHeader?.(header, errors);
  return errors.length === found ? header : undefined;
}

/**
 * The data rows of a parsed file (counted in `counter.rows`), each turned by `row` into what the import stages (or undefined
 * after it added the row's errors). Errors of the header, the CSV syntax and an empty file are added
 * to `errors`; reading stops at the first of those.
 */
export async function* formRows<TColumn extends string, TRow>(
  records: AsyncIterable<ParsedRecord>,
  format: CsvFormat<TColumn>,
  errors: ImportError[],
  row: (cells: RowCells<TColumn>) => TRow | undefined,
  counter: { rows: number },
): AsyncGenerator<TRow> {
  let header: Header<TColumn> | undefined;
  try {
    for await (const { record, info } of records) {
      if (header === undefined) {
        header = readHeader(record, format, errors);
        if (header === undefined) return;
        continue;
      }
      counter.rows++;
      if (record.length !== header.size) {
        errors.push({ line: info.lines, column: null, message: `the row has ${record.length} fields, the header ${header.size}` });
        continue;
      }
      const staged = row(new RowCells(record, info.lines, header, errors));
      if (staged !== undefined) yield staged;
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
      message: `the file is empty: it needs a header line naming its columns (${format.columns.join(',')})`,
    });
}

/** Digits, an optional fraction, no exponent or separators: bounded, so numeric never sees a megabyte. */
const UNSIGNED_DECIMAL = /^\d{1,24}(\.\d{1,24})?$/;
const SIGNED_DECIMAL = /^-?\d{1,24}(\.\d{1,24})?$/;
const MAX_TEXT = 200;

/** The cells of one data row, read by column with the form checks every import makes; each failure adds an error. */
export class RowCells<TColumn extends string> {
  private readonly found: number;

  constructor(
    private readonly record: readonly string[],
    readonly line: number,
    private readonly header: Header<TColumn>,
    private readonly errors: ImportError[],
  ) {
    this.found = errors.length;
  }

  /** True once any cell of this row failed. */
  get failed(): boolean {
    return this.errors.length > this.found;
  }

  cell(column: TColumn): string {
    const index = this.header.get(column);
    return index === undefined ? '' : (this.record[index] ?? '');
  }

  fail(column: TColumn, message: string): null {
    this.errors.push({ line: this.line, column, message });
    return null;
  }

  text(column: TColumn, required: boolean, max = MAX_TEXT): string | null {
    const value = this.cell(column);
    if (value === '') return required ? this.fail(column, `${column} is required`) : null;
    const problem = textProblem(value, max);
    return problem ? this.fail(column, `${column} ${problem}`) : value;
  }

  /** An unsigned decimal; `fallback` when empty and one is given; `positive` refuses 0. */
  decimal(column: TColumn, fallback: string | null, positive: boolean): string | null {
    const value = this.cell(column);
    if (value === '' && fallback !== null) return fallback;
    if (!UNSIGNED_DECIMAL.test(value)) return this.fail(column, `${column} must be a decimal number such as 12.50, got ${quoted(value)}`);
    return positive && decimalSign(value) === 0 ? this.fail(column, `${column} must be greater than 0`) : value;
  }

  /** A signed, non-zero decimal with at most `decimals` places, such as -12.50. */
  signedDecimal(column: TColumn, decimals: number): string | null {
    const value = this.cell(column);
    if (!SIGNED_DECIMAL.test(value)) return this.fail(column, `${column} must be a decimal number such as -12.50, got ${quoted(value)}`);
    if ((value.split('.')[1]?.length ?? 0) > decimals) return this.fail(column, `${column} must have at most ${decimals} decimals`);
    return decimalSign(value) === 0 ? this.fail(column, `${column} must not be 0`) : value;
  }

  /** An ISO 4217 code in any case, upper-cased; null when empty and not required. */
  currency(column: TColumn, required: boolean): string | null {
    const value = this.cell(column);
    if (value === '') return required ? this.fail(column, `${column} is required`) : null;
    return /^[a-z]{3}$/i.test(value) ? value.toUpperCase() : this.fail(column, `${column} must be an ISO 4217 code such as USD`);
  }

  /** A date written YYYY-MM-DD, or a timestamp whose date part is taken as written. */
  date(column: TColumn): string | null {
    const value = this.cell(column);
    const date = DATE_OR_TIME.exec(value)?.[1];
    return date !== undefined && isStorableDate(date)
      ? date
      : this.fail(
          column,
          `${column} must be an ISO date or timestamp such as 2025-06-30, from ${MIN_DATE} to ${MAX_DATE}, got ${quoted(value)}`,
        );
  }

  /** One of the values, in any case, upper-cased. */
  oneOf<TValue extends string>(column: TColumn, values: readonly TValue[]): TValue | null {
    const value = this.cell(column).toUpperCase();
    return (values as readonly string[]).includes(value)
      ? (value as TValue)
      : this.fail(
          column,
          `${column} must be ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}, got ${quoted(this.cell(column))}`,
        );
  }
}

const DATE_OR_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function quoted(value: string): string {
  return JSON.stringify(value.slice(0, 40));
}

/** Errors by line, then by the column's place in the format (whole-row errors first). */
export function sortErrors(errors: readonly ImportError[], columns: readonly string[]): ImportError[] {
  const order = (column: string | null) => (column === null ? -1 : columns.indexOf(column));
  return [...errors].sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
}
