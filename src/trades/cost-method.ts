import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import type { Sql } from '../infra/db.js';
import { BadUserInputError } from '../lib/errors.js';
import { lockPortfolios } from './portfolio-lock.js';
import { type PositionKey, recomputePositions } from './positions.js';

/** How a sale's cost basis is taken from the lots: oldest first, or at the position's average cost. */
export type CostMethod = 'FIFO' | 'AVERAGE';

/**
 * Switches a portfolio's cost method and recomputes the lots and realized results of all its
 * positions; a switch leaves one entry in the audit log, a call that changes nothing leaves none.
 */
export async function setCostMethod(sql: Sql, portfolioId: string, method: CostMethod, actor: Actor): Promise<void> {
  await sql.begin(async (tx) => {
    const [portfolio] = await lockPortfolios(tx, [portfolioId]);
    if (!portfolio) throw new BadUserInputError(`portfolioId ${portfolioId} is not a portfolio`, 'portfolioId');
    if (portfolio.costMethod === method) return;
    await tx`update portfolios set cost_method = ${method} where portfolio_id = ${portfolioId}::bigint`;
    const positions = await tx<PositionKey[]>`
      select distinct portfolio_id::text as "portfolioId", asset_id::text as "assetId"
      from transactions where portfolio_id = ${portfolioId}::bigint`;
    await recomputePositions(tx, positions);
    await recordAudit(tx, {
      actor,
      action: 'cost_method.set',
      entity: 'portfolio',
      entityId: portfolioId,
      payload: { portfolio_id: portfolioId, from: portfolio.costMethod, to: method, positions: positions.length },
    });
  });
}
