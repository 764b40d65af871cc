import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Asset } from '../asset/asset.type.js';
import { Violation } from './violation.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Violation)
export class ViolationResolver {
  // compliance_records.asset_id is a foreign key: the asset exists.
  @Reads('build', 'reference')
  @FieldResolver(() => Asset)
  async asset(@Root() violation: Violation, @Ctx() { loaders }: Context): Promise<Asset> {
    return (await loaders.asset.byId.load(violation.assetId))!;
  }
}
