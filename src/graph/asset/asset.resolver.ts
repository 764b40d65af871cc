import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Allocation } from '../allocation/allocation.type.js';
import { AGGREGATE_COMPLEXITY, listComplexity, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { selectedFields } from '../common/selection.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { PricePoint } from '../price/price.type.js';
import { Trade, TradeArgs, TradeConnection } from '../trade/trade.type.js';
import { Violation } from '../violation/violation.type.js';
import { AssetFilter, AssetOrder } from './asset.inputs.js';
import { assetColumns, assetConditions, assetSortKeys, assetSource } from './asset.sql.js';
import { Asset, AssetConnection } from './asset.type.js';
import { DateScalar } from '../common/scalars.js';
import { Reads } from '../cache/reads.js';

/** Estimates for the complexity limit: a year of business days, and a few rules or portfolios an asset. */
const PRICES_ESTIMATE = 250;
const PER_ASSET_ESTIMATE = 10;

@Resolver(() => Asset)
export class AssetResolver {
  @Reads('build', 'reference')
  @Query(() => Asset, { nullable: true, description: 'One asset by id; null when there is none.' })
  asset(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Asset | null> {
    return loaders.asset.byId.load(parseId(id, 'id'));
  }

  @Reads('build', 'reference')
  @Query(() => AssetConnection, { complexity: pageComplexity(AGGREGATE_COMPLEXITY) })
  assets(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AssetFilter, { nullable: true }) filter: AssetFilter | null,
    @Arg('orderBy', () => [AssetOrder], { nullable: true, description: 'By name when empty; then by id.' }) orderBy: AssetOrder[] | null,
    @Ctx() { sql }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Asset>> {
    return rootConnection(sql, {
      keyset: new Keyset(sql, assetSortKeys(sql, orderBy)),
      args,
      columns: assetColumns(sql, selectedFields(info, ['edges', 'node'])),
      from: assetSource(sql),
      where: assetConditions(sql, filter),
    });
  }

  @Reads('trades', 'reference')
  @FieldResolver(() => TradeConnection, {
    description: "The asset's trades in the portfolios the viewer may see, newest first.",
    complexity: pageComplexity(1),
  })
  trades(@Root() asset: Asset, @Args(() => TradeArgs) args: TradeArgs, @Ctx() { loaders }: Context): Promise<Page<Trade>> {
    return loaders.trade.page('asset', asset.id, args);
  }

  @Reads('market')
  @FieldResolver(() => [PricePoint], {
    description: 'Market data from `from` to `to` (both included, each optional), oldest first.',
    complexity: listComplexity(PRICES_ESTIMATE),
  })
  prices(
    @Root() asset: Asset,
    @Arg('from', () => DateScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateScalar, { nullable: true }) to: Date | null,
    @Ctx() { loaders }: Context,
  ): Promise<PricePoint[]> {
    return loaders.price.between(asset.id, from, to);
  }

  @Reads('compliance', 'build', 'reference')
  @FieldResolver(() => [Violation], {
    description: 'The rules the asset breaks as of the current build; as many as activeViolations.',
    complexity: listComplexity(PER_ASSET_ESTIMATE),
  })
  violations(@Root() asset: Asset, @Ctx() { loaders }: Context): Promise<Violation[]> {
    return loaders.violation.byAsset.load(asset.id);
  }

  @Reads('allocations', 'reference')
  @FieldResolver(() => [Allocation], {
    description: 'The portfolios holding the asset (of those the viewer may see), by portfolio id.',
    complexity: listComplexity(PER_ASSET_ESTIMATE),
  })
  allocations(@Root() asset: Asset, @Ctx() { loaders }: Context): Promise<Allocation[]> {
    return loaders.allocation.byAsset.load(asset.id);
  }
}
