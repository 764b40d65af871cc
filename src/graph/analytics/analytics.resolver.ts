import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { selectedFields } from '../common/selection.js';
import type { Sql } from '../../infra/db.js';
import { HOLDINGS } from '../access.js';
import type { Role } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { assetColumns, assetSource } from '../asset/asset.sql.js';
import { Asset } from '../asset/asset.type.js';
import { currentBuild } from '../build/build.sql.js';
import { intInRange } from '../common/arguments.js';
import { AGGREGATE_COMPLEXITY, listComplexity, sizedListComplexity } from '../common/complexity.js';
import {
  AllocationDimension,
  AllocationSlice,
  ComplianceSummary,
  MonthlyVolume,
  PerformanceDashboard,
  PortfolioOverview,
  RiskBucket,
} from './analytics.type.js';
import { Reads } from '../cache/reads.js';

const MAX_TOP = 500;
const MAX_MONTHS = 120;
/** An estimate for the complexity limit: the assets in violation. */
const VIOLATING_ASSETS_ESTIMATE = 100;

/**
 * The slices of the book by one dimension, largest share first, from the dashboard the build keeps
 * (procedures/refresh_asset_360_dashboard.sql). `share` is what the percentage divides: the market
 * value in base currency, or the number of assets.
 */
function slices(sql: Sql, dimension: AllocationDimension, share: 'value' | 'count'): Promise<AllocationSlice[]> {
  const [percentage, measure] =
    share === 'value' ? [sql`s.value_percentage`, sql`s.market_value`] : [sql`s.count_percentage`, sql`s.asset_count`];
  return sql<AllocationSlice[]>`
    select s.key, s.market_value as "marketValue", s.asset_count as count, ${percentage} as percentage
    from asset_360_dashboard_slices s
    where s.dimension = ${dimension}
    order by ${measure} desc, s.key asc nulls last`;
}

/** The first `top` assets of one of the dashboard's rankings (the assets in violation have no limit). */
function rankedAssets(sql: Sql, info: GraphQLResolveInfo, ranking: Ranking, top: number | null): Promise<Asset[]> {
  return sql<Asset[]>`
    select ${assetColumns(sql, selectedFields(info))}
    from asset_360_dashboard_rankings r
    join ${assetSource(sql)} on m.asset_id = r.asset_id
    where r.ranking = ${ranking} ${top === null ? sql`` : sql`and r.position <= ${top}`}
    order by r.position`;
}

type Ranking = 'VALUE_AT_RISK_DESC' | 'TOTAL_RETURN_DESC' | 'TOTAL_RETURN_ASC' | 'ACTIVE_VIOLATIONS_DESC';

/** The dashboard: every figure is one aggregate statement over asset_360 (or transactions). */
@Resolver()
export class AnalyticsResolver {
  @Reads('build')
  @Query(() => PortfolioOverview, { complexity: AGGREGATE_COMPLEXITY })
  async portfolioOverview(@Ctx() { sql }: Context): Promise<PortfolioOverview> {
    const [overview] = await sql<PortfolioOverview[]>`
      select t.total_assets as "totalAssets", t.total_value as "totalValue", t.average_return as "averageReturn"
      from asset_360_dashboard_totals t`;
    return overview ?? { totalAssets: 0, totalValue: '0', averageReturn: 0 };
  }

  @Reads('build')
  @Query(() => [AllocationSlice], {
    description: 'The book by a dimension; percentage is of the total marketValueBase.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  assetAllocation(
    @Arg('by', () => AllocationDimension, { nullable: true, defaultValue: AllocationDimension.ASSET_TYPE }) by: AllocationDimension | null,
    @Ctx() { sql }: Context,
  ): Promise<AllocationSlice[]> {
    return slices(sql, by ?? AllocationDimension.ASSET_TYPE, 'value');
  }

  @Reads('build')
  @Query(() => [AllocationSlice], {
    description: 'The book by sector; percentage is the share of the asset count.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  sectorExposure(@Ctx() { sql }: Context): Promise<AllocationSlice[]> {
    return slices(sql, AllocationDimension.SECTOR, 'count');
  }

  @Reads('build')
  @Query(() => [AllocationSlice], {
    description: 'The book by issuing country; percentage is the share of the asset count.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  geographicDistribution(@Ctx() { sql }: Context): Promise<AllocationSlice[]> {
    return slices(sql, AllocationDimension.COUNTRY, 'count');
  }

  @Reads('build', 'reference')
  @Query(() => [Asset], {
    description: 'The `top` assets with the highest valueAtRisk (1 to 500).',
    complexity: sizedListComplexity('top', 10, MAX_TOP, AGGREGATE_COMPLEXITY),
  })
  riskMetrics(
    @Arg('top', () => Int, { nullable: true, defaultValue: 10 }) top: number | null,
    @Ctx() { sql }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Asset[]> {
    return rankedAssets(sql, info, 'VALUE_AT_RISK_DESC', intInRange(top ?? 10, 'top', 1, MAX_TOP));
  }

  @Reads()
  @Query(() => PerformanceDashboard, { complexity: sizedListComplexity('top', 5, MAX_TOP, AGGREGATE_COMPLEXITY) })
  performanceDashboard(
    @Arg('top', () => Int, { nullable: true, defaultValue: 5, description: '1 to 500.' }) top: number | null,
  ): PerformanceDashboard {
    return { top: intInRange(top ?? 5, 'top', 1, MAX_TOP) };
  }

  @Reads()
  @Query(() => ComplianceSummary)
  complianceSummary(): ComplianceSummary {
    return {};
  }

  @Authorized<Role>(HOLDINGS)
  @Reads('trades', 'build', 'today')
  @Query(() => [MonthlyVolume], {
    complexity: sizedListComplexity('months', 12, MAX_MONTHS, AGGREGATE_COMPLEXITY),
    description:
      'One entry per month, oldest first, ending with the month of the current build (of today before the first build); ' +
      'trades after that as-of date are left out, as in the build. Firm-wide: needs ANALYST or above; graph.md makes it ' +
      'non-null, so a VIEWER asking for it gets FORBIDDEN and no data for the whole request.',
  })
  transactionAnalysis(
    @Arg('months', () => Int, { nullable: true, defaultValue: 12, description: '1 to 120.' }) months: number | null,
    @Ctx() { sql }: Context,
  ): Promise<MonthlyVolume[]> {
    const count = intInRange(months ?? 12, 'months', 1, MAX_MONTHS);
    // Sums the days of transaction_daily_volume, which triggers keep equal to the trades (db/0005).
    return sql<MonthlyVolume[]>`
      with bounds as (
        select last_day, (date_trunc('month', last_day::timestamp) - make_interval(months => ${count - 1}::int))::date as first_day
        from (select coalesce((select b.as_of from ${currentBuild(sql)} b), current_date) as last_day) as current_day
      ),
      monthly as (
        select date_trunc('month', v.day::timestamp)::date as month,
               sum(v.trade_count)::int as trades,
               sum(v.buy_count)::int as buys,
               sum(v.sell_count)::int as sells,
               sum(v.total_amount) as amount,
               sum(v.total_costs) as costs
        from transaction_daily_volume v, bounds
        where v.day >= bounds.first_day and v.day <= bounds.last_day
        group by 1
      )
      select s.month::date as month,
             coalesce(m.trades, 0) as "tradeCount",
             coalesce(m.buys, 0) as "buyCount",
             coalesce(m.sells, 0) as "sellCount",
             coalesce(m.amount, 0) as "totalAmount",
             coalesce(m.costs, 0) as "totalCosts"
      from bounds
      cross join generate_series(bounds.first_day::timestamp, bounds.last_day::timestamp, interval '1 month') as s(month)
      left join monthly m on m.month = s.month::date
      order by s.month`;
  }
}

@Resolver(() => PortfolioOverview)
export class PortfolioOverviewResolver {
  @Reads('build')
  @FieldResolver(() => [RiskBucket], {
    description: 'Assets per risk category, in the order LOW, MEDIUM, HIGH, UNKNOWN; empty categories left out.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  riskDistribution(@Ctx() { sql }: Context): Promise<RiskBucket[]> {
    return sql<RiskBucket[]>`
      select s.key as category, s.asset_count as count, s.count_percentage as percentage
      from asset_360_dashboard_slices s
      where s.dimension = ${AllocationDimension.RISK_CATEGORY}
      order by array_position(array['LOW', 'MEDIUM', 'HIGH', 'UNKNOWN'], s.key)`;
  }
}

@Resolver(() => PerformanceDashboard)
export class PerformanceDashboardResolver {
  @Reads('build', 'reference')
  @FieldResolver(() => [Asset], { description: 'The `top` assets with the highest totalReturn.' })
  topPerformers(@Root() { top }: PerformanceDashboard, @Ctx() { sql }: Context, @Info() info: GraphQLResolveInfo): Promise<Asset[]> {
    return rankedAssets(sql, info, 'TOTAL_RETURN_DESC', top);
  }

  @Reads('build', 'reference')
  @FieldResolver(() => [Asset], { description: 'The `top` assets with the lowest totalReturn.' })
  bottomPerformers(@Root() { top }: PerformanceDashboard, @Ctx() { sql }: Context, @Info() info: GraphQLResolveInfo): Promise<Asset[]> {
    return rankedAssets(sql, info, 'TOTAL_RETURN_ASC', top);
  }
}

@Resolver(() => ComplianceSummary)
export class ComplianceSummaryResolver {
  @Reads('build')
  @FieldResolver(() => Int, { description: 'Sum of activeViolations over the book.', complexity: AGGREGATE_COMPLEXITY })
  async totalActiveViolations(@Ctx() { sql }: Context): Promise<number> {
    const [row] = await sql<{ total: number }[]>`select t.total_active_violations as total from asset_360_dashboard_totals t`;
    return row?.total ?? 0;
  }

  @Reads('build', 'reference')
  @FieldResolver(() => [Asset], {
    description: 'The assets with activeViolations > 0, most first, ties by id.',
    complexity: listComplexity(VIOLATING_ASSETS_ESTIMATE, AGGREGATE_COMPLEXITY),
  })
  assets(@Ctx() { sql }: Context, @Info() info: GraphQLResolveInfo): Promise<Asset[]> {
    return rankedAssets(sql, info, 'ACTIVE_VIOLATIONS_DESC', null);
  }
}
