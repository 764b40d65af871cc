import { type AssetPlan, INDEX_ASSET_ID, planAssets } from './assets.js';
import { BusinessCalendar } from './calendar.js';
import type { Currency } from './catalog.js';
import { type PortfolioPlan, planPortfolios } from './parties.js';
import { closeTicks, fxRates, marketFactor } from './prices.js';

export interface WorldOptions {
  assets: number;
  days: number;
  portfolios: number;
  seed: number;
  asOf: string;
}

/**
 * Everything the tables are derived from, small enough to hold at once: O(assets + days) numbers.
 * An asset's price path is O(days) and is regenerated (deterministically) by each table that needs it,
 * so memory stays bounded however many assets there are.
 */
export class DemoWorld {
  readonly seed: number;
  readonly calendar: BusinessCalendar;
  readonly assets: readonly AssetPlan[];
  readonly portfolios: readonly PortfolioPlan[];
  readonly market: Float64Array;
  readonly fx: Record<Currency, Float64Array>;

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.calendar = new BusinessCalendar(options.asOf, options.days);
    this.assets = planAssets(options.assets, options.seed, this.calendar);
    this.portfolios = planPortfolios(options.portfolios, options.assets, options.seed, this.calendar);
    this.market = marketFactor(options.seed, options.days);
    this.fx = fxRates(options.seed, options.days);
    // Asset 1 is the index the risk engine measures every beta and tracking error against.
    if (this.assets[INDEX_ASSET_ID - 1] === undefined) throw new Error('the demo needs at least one asset, the index');
  }

  closes(plan: AssetPlan): Float64Array {
    return closeTicks(plan, this.market, this.seed, this.calendar);
  }
}
