import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Asset } from '../asset/asset.type.js';
import { listComplexity } from '../common/complexity.js';
import type { Context } from '../context.js';
import { positionKey } from './position.loaders.js';
import { Lot, Position } from './position.type.js';
import { Reads } from '../cache/reads.js';

/** An estimate for the complexity limit: the open lots of a position. */
const LOTS_ESTIMATE = 5;

@Resolver(() => Position)
export class PositionResolver {
  // A position exists only for trades, whose asset is a foreign key.
  @Reads('build', 'reference')
  @FieldResolver(() => Asset)
  async asset(@Root() position: Position, @Ctx() { loaders }: Context): Promise<Asset> {
    return (await loaders.asset.byId.load(position.assetId))!;
  }

  @Reads('trades')
  @FieldResolver(() => [Lot], { description: 'The open lots, oldest first.', complexity: listComplexity(LOTS_ESTIMATE) })
  lots(@Root() position: Position, @Ctx() { loaders }: Context): Promise<Lot[]> {
    return loaders.position.lots.load(positionKey(position.portfolioId, position.assetId));
  }
}
