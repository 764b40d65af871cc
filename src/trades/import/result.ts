/** A reason to reject a file, at a line of it (1 is the header) and, when one is at fault, a column. */
export interface ImportError {
  line: number;
  column: string | null;
  message: string;
}

/** What an import did: all of the file's trades, or, when `errors` is not empty, nothing. */
export interface ImportResult {
  /** The data rows of the file. */
  rows: number;
  imported: number;
  /** Rows skipped because their external_id was recorded before or repeats an earlier row's. */
  duplicates: number;
  errors: ImportError[];
}
