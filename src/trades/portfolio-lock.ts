import type postgres from 'postgres';
import type { CostMethod } from './cost-method.js';

export interface LockedPortfolio {
  id: string;
  costMethod: CostMethod;
}

/**
 * Serializes every change to the trades and lots of these portfolios: recordTrade, importTrades and
 * setCostMethod each take this row lock first, so that an oversell check always sees the trades of
 * the transactions before it. Locks are taken in id order, so that two imports never deadlock.
 * Returns the portfolios that exist.
 */
export async function lockPortfolios(tx: postgres.TransactionSql, portfolioIds: readonly string[]): Promise<LockedPortfolio[]> {
  return tx<LockedPortfolio[]>`
    select portfolio_id::text as id, cost_method as "costMethod"
    from portfolios
    where portfolio_id = any(${[...portfolioIds]}::bigint[])
    order by portfolio_id
    for no key update`;
}
