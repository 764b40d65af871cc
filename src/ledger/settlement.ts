import type postgres from 'postgres';
import { refusalOf, type LedgerRefusal } from './refusal.js';

/**
 * Books the cash legs of these trades in the accounts their portfolios are linked to
 * (procedures/settle_trades.sql), in the caller's transaction; returns how many legs it booked.
 */
export async function settleTrades(tx: postgres.TransactionSql, tradeIds: readonly string[]): Promise<number> {
  if (tradeIds.length === 0) return 0;
  const [row] = await tx<[{ booked: number }]>`select settle_trades(${[...tradeIds]}::bigint[]) as booked`;
  return row.booked;
}

/** Settles the trades in a savepoint: the refusal when an account would be overdrawn or a rate is missing. */
export function settlementErrors(tx: postgres.TransactionSql, tradeIds: readonly string[]): Promise<LedgerRefusal | undefined> {
  return refusalOf(tx, (savepoint) => settleTrades(savepoint, tradeIds));
}
