import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { Asset360Build, Asset360BuildConnection } from './build.type.js';
import { buildColumns, currentBuildRow } from './build.sql.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Asset360Build)
export class BuildResolver {
  @Reads('builds')
  @Query(() => Asset360Build, { nullable: true, description: 'The current build (the latest that succeeded); null before the first.' })
  asset360Build(@Ctx() { sql }: Context): Promise<Asset360Build | null> {
    return currentBuildRow(sql);
  }

  @Reads('builds')
  @Query(() => Asset360BuildConnection, {
    description: 'Every build, running and failed ones included, newest first.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  asset360Builds(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { sql }: Context): Promise<Page<Asset360Build>> {
    return rootConnection(sql, {
      keyset: new Keyset(sql, [{ name: 'ID', expression: sql`b.build_id`, kind: 'id', direction: 'DESC', nullable: false }]),
      args,
      columns: buildColumns(sql),
      from: sql`asset_360_builds b`,
    });
  }
}
