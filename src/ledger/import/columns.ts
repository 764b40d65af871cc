import type { CsvFormat } from '../../lib/csv-import.js';

/** The columns of the cash CSV, in the documented order (README, Accounts and cash). */
export const CASH_COLUMNS = [
  'external_id',
  'account_ref',
  'date',
  'amount',
  'currency',
  'section',
  'category',
  'description',
  'counterparty_name',
  'counterparty_account',
  'transfer_group_id',
] as const;
export type CashColumn = (typeof CASH_COLUMNS)[number];

export const CASH_FORMAT: CsvFormat<CashColumn> = {
  columns: CASH_COLUMNS,
  required: ['account_ref', 'date', 'amount', 'currency', 'section'],
};
