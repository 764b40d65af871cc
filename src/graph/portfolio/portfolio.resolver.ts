import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Allocation } from '../allocation/allocation.type.js';
import { AGGREGATE_COMPLEXITY, listComplexity, pageComplexity } from '../common/complexity.js';
import { ConnectionArgs, type Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { Keyset } from '../common/keyset.js';
import { countRows } from '../common/sql.js';
import { visiblePortfolios } from '../common/visibility.js';
import { Trade, TradeArgs, TradeConnection } from '../trade/trade.type.js';
import { portfolioColumns } from './portfolio.loaders.js';
import { Portfolio, PortfolioConnection } from './portfolio.type.js';

/** An estimate for the complexity limit: the assets of a portfolio. */
const ALLOCATIONS_ESTIMATE = 100;

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @Query(() => Portfolio, {
    nullable: true,
    description: 'One portfolio by id; null when there is none, or when the viewer may not see it.',
  })
  portfolio(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Portfolio | null> {
    return loaders.portfolio.byId.load(parseId(id, 'id'));
  }

  @Query(() => PortfolioConnection, {
    description: 'The portfolios the viewer may see, by id.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  async portfolios(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { sql, viewer }: Context): Promise<Page<Portfolio>> {
    const keyset = new Keyset(sql, [{ name: 'ID', expression: sql`p.portfolio_id`, kind: 'id', direction: 'ASC', nullable: false }]);
    const { first, after } = keyset.request(args);
    const visible = visiblePortfolios(sql, viewer, sql`p.portfolio_id`);
    const rows = await sql`
      select ${portfolioColumns(sql)}, ${keyset.columns()}
      from portfolios p
      where ${visible} and ${keyset.after(after)}
      order by ${keyset.orderBy()}
      limit ${first + 1}`;
    return keyset.connection(rows, first, () => countRows(sql, sql`portfolios p where ${visible}`));
  }

  @FieldResolver(() => [Allocation], {
    description: 'The assets of the portfolio, by asset id.',
    complexity: listComplexity(ALLOCATIONS_ESTIMATE),
  })
  allocations(@Root() portfolio: Portfolio, @Ctx() { loaders }: Context): Promise<Allocation[]> {
    return loaders.allocation.byPortfolio.load(portfolio.id);
  }

  @FieldResolver(() => TradeConnection, { description: "The portfolio's trades, newest first.", complexity: pageComplexity(1) })
  trades(@Root() portfolio: Portfolio, @Args(() => TradeArgs) args: TradeArgs, @Ctx() { loaders }: Context): Promise<Page<Trade>> {
    return loaders.trade.page('portfolio', portfolio.id, args);
  }
}
