import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Asset } from '../asset/asset.type.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { Allocation } from './allocation.type.js';
import { Reads } from '../cache/reads.js';

// portfolio_allocation's foreign keys guarantee both ends exist.
@Resolver(() => Allocation)
export class AllocationResolver {
  @Reads('reference')
  @FieldResolver(() => Portfolio)
  async portfolio(@Root() allocation: Allocation, @Ctx() { loaders }: Context): Promise<Portfolio> {
    return (await loaders.portfolio.byId.load(allocation.portfolioId))!;
  }

  @Reads('build', 'reference')
  @FieldResolver(() => Asset)
  async asset(@Root() allocation: Allocation, @Ctx() { loaders }: Context): Promise<Asset> {
    return (await loaders.asset.byId.load(allocation.assetId))!;
  }
}
