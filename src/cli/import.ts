/**
 * npm run import -- trades.csv
 *
 * Imports a trades CSV (format in docs/trades.md) into DATABASE_URL, all or nothing, and prints what
 * it imported or every error, by line and column. Exits with 1 when the file is rejected.
 */
import { systemActor } from '../audit/actor.js';
import { importTrades } from '../trades/import/import-trades.js';
import { importFileCommand } from './import-file.js';

await importFileCommand('import', 'usage: npm run import -- <trades.csv>', (sql, input, fileName) =>
  importTrades(sql, input, systemActor('import-cli'), fileName),
);
