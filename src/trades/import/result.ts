import type { ImportError } from '../../lib/csv-import.js';

export type { ImportError };

/** What an import did: all of the file's trades, or, when `errors` is not empty, nothing. */
export interface ImportResult {
  /** The data rows of the file. */
  rows: number;
  imported: number;
  /** Rows skipped because their external_id was recorded before or repeats an earlier row's. */
  duplicates: number;
  errors: ImportError[];
}
