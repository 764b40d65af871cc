import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import { Trade, TradeArgs, TradeConnection } from '../trade/trade.type.js';
import { counterpartyColumns } from './counterparty.sql.js';
import { Counterparty, CounterpartyConnection } from './counterparty.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Counterparty)
export class CounterpartyResolver {
  @Reads('reference')
  @Query(() => Counterparty, { nullable: true, description: 'One counterparty by id; null when there is none.' })
  counterparty(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Counterparty | null> {
    return loaders.counterparty.byId.load(parseId(id, 'id'));
  }

  @Reads('reference')
  @Query(() => CounterpartyConnection, { complexity: pageComplexity(AGGREGATE_COMPLEXITY) })
  counterparties(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { sql }: Context): Promise<Page<Counterparty>> {
    return rootConnection(sql, {
      keyset: new Keyset(sql, [{ name: 'ID', expression: sql`c.counterparty_id`, kind: 'id', direction: 'ASC', nullable: false }]),
      args,
      columns: counterpartyColumns(sql),
      from: sql`counterparty_info c`,
    });
  }

  @Reads('trades', 'reference')
  @FieldResolver(() => TradeConnection, {
    description: 'The trades done with this counterparty (for the portfolios the viewer may see), newest first.',
    complexity: pageComplexity(1),
  })
  trades(@Root() counterparty: Counterparty, @Args(() => TradeArgs) args: TradeArgs, @Ctx() { loaders }: Context): Promise<Page<Trade>> {
    return loaders.trade.page('counterparty', counterparty.id, args);
  }
}
