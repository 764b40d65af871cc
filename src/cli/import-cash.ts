/**
 * npm run import:cash -- movements.csv
 *
 * Imports a cash CSV (format in the README, Accounts and cash) into DATABASE_URL, all or nothing, as
 * the bank's ADMIN (into any account), and prints what it imported or every error, by line and
 * column. Exits with 1 when the file is rejected.
 */
import { systemActor } from '../audit/actor.js';
import { ADMIN } from '../auth/viewer.js';
import { importCashTransactions } from '../ledger/import/import-cash.js';
import { importFileCommand } from './import-file.js';

await importFileCommand('import:cash', 'usage: npm run import:cash -- <movements.csv>', (sql, input, fileName) =>
  importCashTransactions(sql, ADMIN, input, systemActor('import-cash-cli'), fileName),
);
