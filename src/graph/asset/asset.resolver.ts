import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { parseId } from '../common/ids.js';
import { Asset } from './asset.type.js';

@Resolver(() => Asset)
export class AssetResolver {
  @Query(() => Asset, { nullable: true, description: 'One asset by id; null when there is none.' })
  asset(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Asset | null> {
    return loaders.asset.byId.load(parseId(id, 'id'));
  }
}
