import type { Sql } from '../infra/db.js';
import type { Viewer } from '../auth/viewer.js';
import { createAccountLoaders } from './account/account.loaders.js';
import { createAllocationLoaders } from './allocation/allocation.loaders.js';
import { createAssetLoaders } from './asset/asset.loaders.js';
import { createCounterpartyLoaders } from './counterparty/counterparty.loaders.js';
import { createMovementLoaders } from './ledger/movement.loaders.js';
import { createOwnerLoaders } from './owner/owner.loaders.js';
import { createPortfolioLoaders } from './portfolio/portfolio.loaders.js';
import { createPositionLoaders } from './position/position.loaders.js';
import { createPriceLoaders } from './price/price.loaders.js';
import { createTradeLoaders } from './trade/trade.loaders.js';
import { createViolationLoaders } from './violation/violation.loaders.js';

/** Fresh per request, so that no cached row outlives the request that read it, nor serves another viewer. */
export function createLoaders(sql: Sql, viewer: Viewer) {
  return {
    account: createAccountLoaders(sql, viewer),
    allocation: createAllocationLoaders(sql, viewer),
    asset: createAssetLoaders(sql),
    counterparty: createCounterpartyLoaders(sql),
    movement: createMovementLoaders(sql, viewer),
    owner: createOwnerLoaders(sql),
    portfolio: createPortfolioLoaders(sql, viewer),
    position: createPositionLoaders(sql, viewer),
    price: createPriceLoaders(sql),
    trade: createTradeLoaders(sql, viewer),
    violation: createViolationLoaders(sql),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
