import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { Keyset } from '../common/keyset.js';
import { countRows } from '../common/sql.js';
import { Asset360Build, Asset360BuildConnection } from './build.type.js';
import { buildColumns, currentBuild } from './build.sql.js';

@Resolver(() => Asset360Build)
export class BuildResolver {
  @Query(() => Asset360Build, { nullable: true, description: 'The current build (the latest that succeeded); null before the first.' })
  async asset360Build(@Ctx() { sql }: Context): Promise<Asset360Build | null> {
    const [build] = await sql<Asset360Build[]>`select ${buildColumns(sql)} from ${currentBuild(sql)} b`;
    return build ?? null;
  }

  @Query(() => Asset360BuildConnection, {
    description: 'Every build, running and failed ones included, newest first.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  async asset360Builds(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { sql }: Context): Promise<Page<Asset360Build>> {
    const keyset = new Keyset(sql, [{ name: 'ID', expression: sql`b.build_id`, kind: 'id', direction: 'DESC', nullable: false }]);
    const { first, after } = keyset.request(args);
    const rows = await sql`
      select ${buildColumns(sql)}, ${keyset.columns()}
      from asset_360_builds b
      where ${keyset.after(after)}
      order by ${keyset.orderBy()}
      limit ${first + 1}`;
    return keyset.connection(rows, first, () => countRows(sql, sql`asset_360_builds`));
  }
}
