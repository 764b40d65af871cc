import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Sql } from '../../infra/db.js';
import { HOLDINGS } from '../access.js';
import type { Role } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { assetColumns, assetSource } from '../asset/asset.sql.js';
import { Asset } from '../asset/asset.type.js';
import { currentBuild } from '../build/build.sql.js';
import { intInRange } from '../common/arguments.js';
import { AGGREGATE_COMPLEXITY, listComplexity, sizedListComplexity } from '../common/complexity.js';
import type { Fragment } from '../common/sql.js';
import {
  AllocationDimension,
  AllocationSlice,
  ComplianceSummary,
  MonthlyVolume,
  PerformanceDashboard,
  PortfolioOverview,
  RiskBucket,
} from './analytics.type.js';

const MAX_TOP = 500;
const MAX_MONTHS = 120;
/** An estimate for the complexity limit: the assets in violation. */
const VIOLATING_ASSETS_ESTIMATE = 100;

const DIMENSION_COLUMN: Record<AllocationDimension, string> = {
  [AllocationDimension.ASSET_TYPE]: 'asset_type',
  [AllocationDimension.SECTOR]: 'sector',
  [AllocationDimension.COUNTRY]: 'issuing_country',
  [AllocationDimension.CURRENCY]: 'currency',
  [AllocationDimension.RISK_CATEGORY]: 'risk_category',
  [AllocationDimension.PERFORMANCE_CATEGORY]: 'performance_category',
  [AllocationDimension.POSITION_SIZE]: 'position_size',
};

/**
 * The slices of asset_360 by one column, largest share first. `share` is what the percentage
 * divides: the market value in base currency, or the number of assets.
 */
function slices(sql: Sql, dimension: AllocationDimension, share: 'value' | 'count'): Promise<AllocationSlice[]> {
  const measure = share === 'value' ? sql`coalesce(sum(a.market_value_base), 0)` : sql`count(*)`;
  return sql<AllocationSlice[]>`
    select a.${sql(DIMENSION_COLUMN[dimension])}::text as key,
           coalesce(sum(a.market_value_base), 0) as "marketValue",
           count(*)::int as count,
           coalesce((100 * ${measure} / nullif(sum(${measure}) over (), 0))::float8, 0) as percentage
    from asset_360 a
    group by 1
    order by ${measure} desc, key asc nulls last`;
}

/** Assets of the current build by one asset_360 column, NULLs left out, ties by id. */
function rankedAssets(sql: Sql, column: Fragment, direction: 'desc' | 'asc', top: number): Promise<Asset[]> {
  return sql<Asset[]>`
    select ${assetColumns(sql)}
    from ${assetSource(sql)}
    where ${column} is not null
    order by ${column} ${direction === 'desc' ? sql`desc` : sql`asc`}, m.asset_id
    limit ${top}`;
}

/** The dashboard: every figure is one aggregate statement over asset_360 (or transactions). */
@Resolver()
export class AnalyticsResolver {
  @Query(() => PortfolioOverview, { complexity: AGGREGATE_COMPLEXITY })
  async portfolioOverview(@Ctx() { sql }: Context): Promise<PortfolioOverview> {
    const [overview] = await sql<PortfolioOverview[]>`
      select count(*)::int as "totalAssets",
             coalesce(sum(a.market_value_base), 0) as "totalValue",
             coalesce(avg(a.total_return), 0) as "averageReturn"
      from asset_360 a`;
    return overview!;
  }

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

  @Query(() => [AllocationSlice], {
    description: 'The book by sector; percentage is the share of the asset count.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  sectorExposure(@Ctx() { sql }: Context): Promise<AllocationSlice[]> {
    return slices(sql, AllocationDimension.SECTOR, 'count');
  }

  @Query(() => [AllocationSlice], {
    description: 'The book by issuing country; percentage is the share of the asset count.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  geographicDistribution(@Ctx() { sql }: Context): Promise<AllocationSlice[]> {
    return slices(sql, AllocationDimension.COUNTRY, 'count');
  }

  @Query(() => [Asset], {
    description: 'The `top` assets with the highest valueAtRisk (1 to 500).',
    complexity: sizedListComplexity('top', 10, MAX_TOP, AGGREGATE_COMPLEXITY),
  })
  riskMetrics(@Arg('top', () => Int, { nullable: true, defaultValue: 10 }) top: number | null, @Ctx() { sql }: Context): Promise<Asset[]> {
    return rankedAssets(sql, sql`a.value_at_risk`, 'desc', intInRange(top ?? 10, 'top', 1, MAX_TOP));
  }

  @Query(() => PerformanceDashboard, { complexity: sizedListComplexity('top', 5, MAX_TOP, AGGREGATE_COMPLEXITY) })
  performanceDashboard(
    @Arg('top', () => Int, { nullable: true, defaultValue: 5, description: '1 to 500.' }) top: number | null,
  ): PerformanceDashboard {
    return { top: intInRange(top ?? 5, 'top', 1, MAX_TOP) };
  }

  @Query(() => ComplianceSummary)
  complianceSummary(): ComplianceSummary {
    return {};
  }

  @Authorized<Role>(HOLDINGS)
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
  @FieldResolver(() => [RiskBucket], {
    description: 'Assets per risk category, in the order LOW, MEDIUM, HIGH, UNKNOWN; empty categories left out.',
    complexity: AGGREGATE_COMPLEXITY,
  })
  riskDistribution(@Ctx() { sql }: Context): Promise<RiskBucket[]> {
    return sql<RiskBucket[]>`
      select a.risk_category as category, count(*)::int as count,
             (100.0 * count(*) / sum(count(*)) over ())::float8 as percentage
      from asset_360 a
      group by a.risk_category
      order by array_position(array['LOW', 'MEDIUM', 'HIGH', 'UNKNOWN'], a.risk_category)`;
  }
}

@Resolver(() => PerformanceDashboard)
export class PerformanceDashboardResolver {
  @FieldResolver(() => [Asset], { description: 'The `top` assets with the highest totalReturn.' })
  topPerformers(@Root() { top }: PerformanceDashboard, @Ctx() { sql }: Context): Promise<Asset[]> {
    return rankedAssets(sql, sql`a.total_return`, 'desc', top);
  }

  @FieldResolver(() => [Asset], { description: 'The `top` assets with the lowest totalReturn.' })
  bottomPerformers(@Root() { top }: PerformanceDashboard, @Ctx() { sql }: Context): Promise<Asset[]> {
    return rankedAssets(sql, sql`a.total_return`, 'asc', top);
  }
}

@Resolver(() => ComplianceSummary)
export class ComplianceSummaryResolver {
  @FieldResolver(() => Int, { description: 'Sum of activeViolations over the book.', complexity: AGGREGATE_COMPLEXITY })
  async totalActiveViolations(@Ctx() { sql }: Context): Promise<number> {
    const [row] = await sql<{ total: number }[]>`select coalesce(sum(a.active_violations), 0)::int as total from asset_360 a`;
    return row!.total;
  }

  @FieldResolver(() => [Asset], {
    description: 'The assets with activeViolations > 0, most first, ties by id.',
    complexity: listComplexity(VIOLATING_ASSETS_ESTIMATE, AGGREGATE_COMPLEXITY),
  })
  assets(@Ctx() { sql }: Context): Promise<Asset[]> {
    return sql<Asset[]>`
      select ${assetColumns(sql)}
      from ${assetSource(sql)}
      where a.active_violations > 0
      order by a.active_violations desc, m.asset_id`;
  }
}
