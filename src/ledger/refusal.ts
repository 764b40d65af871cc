import postgres from 'postgres';

/** The rules the database enforces on the ledger (db/0033, db/0034, procedures/settle_trades.sql), by constraint name. */
export type LedgerRule = 'cash_overdraft' | 'cash_transfer_balanced' | 'cash_settlement_rate';
const RULES: readonly string[] = ['cash_overdraft', 'cash_transfer_balanced', 'cash_settlement_rate'];

/** Why the database refused a write to the ledger; the overdraft says where. */
export interface LedgerRefusal {
  rule: LedgerRule;
  message: string;
  accountId: string | null;
  date: string | null;
}

/** The refusal an error of the ledger's rules carries; undefined for any other error. */
export function ledgerRefusal(error: unknown): LedgerRefusal | undefined {
  if (!(error instanceof postgres.PostgresError) || error.code !== '23514' || !RULES.includes(error.constraint_name ?? ''))
    return undefined;
  let detail: { accountId?: string; date?: string } = {};
  try {
    detail = error.detail ? (JSON.parse(error.detail) as typeof detail) : {};
  } catch {
    // Only the overdraft rule sends a JSON detail.
  }
  return {
    rule: error.constraint_name as LedgerRule,
    message: error.message,
    accountId: detail.accountId ?? null,
    date: detail.date ?? null,
  };
}

/**
 * Runs a write inside a savepoint and returns the refusal if the ledger's rules refuse it, so that
 * the caller's transaction stays usable to say where the fault lies; other errors pass through.
 */
export async function refusalOf(
  tx: postgres.TransactionSql,
  write: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<LedgerRefusal | undefined> {
  try {
    await tx.savepoint(write);
    return undefined;
  } catch (error) {
    const refusal = ledgerRefusal(error);
    if (refusal === undefined) throw error;
    return refusal;
  }
}
