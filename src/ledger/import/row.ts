import { type Line, line as copyLine } from '../../infra/copy.js';
import type { RowCells } from '../../lib/csv-import.js';
import { CASH_DECIMALS } from '../amounts.js';
import type { CashColumn } from './columns.js';

/** The staging table's columns, in the order of the lines stageCashRow makes. */
export const STAGED_CASH_COLUMNS = [
  'line',
  'external_id',
  'account_ref',
  'movement_date',
  'amount',
  'currency',
  'section',
  'category',
  'description',
  'counterparty_name',
  'counterparty_account',
  'group_ref',
] as const;

const SECTIONS = ['INCOME', 'EXPENSE', 'TRANSFER'] as const;

/** Checks the form of one data row and returns its staging line, or undefined after adding an error for each bad cell. */
export function stageCashRow(row: RowCells<CashColumn>): Line | undefined {
  const externalId = row.text('external_id', false, 100);
  const accountRef = row.text('account_ref', true);
  const date = row.date('date');
  const amount = row.signedDecimal('amount', CASH_DECIMALS);
  const currency = row.currency('currency', true);
  const section = row.oneOf('section', SECTIONS);
  const category = row.text('category', false, 100);
  const description = row.text('description', false, 500);
  const counterpartyName = row.text('counterparty_name', false, 200);
  const counterpartyAccount = row.text('counterparty_account', false, 100);
  const group = row.text('transfer_group_id', false, 100);
  if (group !== null && section !== null && section !== 'TRANSFER') {
    row.fail('section', `section must be TRANSFER for a leg of transfer group ${group}`);
  }
  if (group === null && section === 'TRANSFER' && counterpartyName === null && counterpartyAccount === null) {
    row.fail(
      'counterparty_name',
      'a TRANSFER without transfer_group_id leaves the system: it needs counterparty_name or counterparty_account',
    );
  }
  if (row.failed) return undefined;
  return copyLine([
    row.line,
    externalId,
    accountRef,
    date,
    amount,
    currency,
    section,
    category,
    description,
    counterpartyName,
    counterpartyAccount,
    group,
  ]);
}
