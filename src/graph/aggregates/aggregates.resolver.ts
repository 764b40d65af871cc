import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { AssetFilter } from '../asset/asset.inputs.js';
import { intInRange } from '../common/arguments.js';
import { groupsComplexity } from '../common/complexity.js';
import { OrderDirection } from '../common/enums.js';
import { selectedFields } from '../common/selection.js';
import { BadUserInputError, ForbiddenError } from '../../lib/errors.js';
import { hasRole, HOLDINGS } from '../access.js';
import { tradeCriteria } from '../trade/trade.sql.js';
import { TradeFilter } from '../trade/trade.type.js';
import { expectedAssetGroups, expectedTradeGroups, MAX_DIMENSIONS } from './aggregates.cost.js';
import { ASSET_MEASURES, assetGroupsQuery, STATISTICS, tradeGroupsQuery, type AssetMeasure, type GroupRow } from './aggregates.sql.js';
import {
  AssetDimension,
  AssetGroup,
  AssetGroupOrder,
  AssetGroupOrderField,
  TradeDimension,
  TradeGroup,
  TradeGroupOrder,
  TradeGroupOrderField,
} from './aggregates.type.js';
import { Reads } from '../cache/reads.js';

export const DEFAULT_GROUPS = 100;
export const MAX_GROUPS = 1_000;

const GROUP_BY = `1 to ${MAX_DIMENSIONS} dimensions, each once; the keys of a group come in this order.`;
const ROLLUP =
  'Also the subtotals of each prefix of groupBy and the grand total (GROUP BY ROLLUP), first: grand total, then each level of subtotals, then the groups.';
const FIRST = `At most this many groups (totals included), from 1 to ${MAX_GROUPS}.`;

function dimensions<T extends string>(groupBy: readonly T[]): T[] {
  if (groupBy.length < 1 || groupBy.length > MAX_DIMENSIONS) {
    throw new BadUserInputError(`groupBy must name 1 to ${MAX_DIMENSIONS} dimensions, got ${groupBy.length}`, 'groupBy');
  }
  if (new Set(groupBy).size !== groupBy.length) throw new BadUserInputError('groupBy names a dimension more than once', 'groupBy');
  return [...groupBy];
}

/** Orders that would rank groups by firm-wide holdings, which a VIEWER may not see. */
const FIRM_WIDE_ORDERS = new Set<AssetGroupOrderField>([AssetGroupOrderField.MARKET_VALUE, AssetGroupOrderField.POSITION_QUANTITY]);

function orders<T extends string>(
  orderBy: ReadonlyArray<{ field: T; direction: OrderDirection }> | null,
  fallback: { field: T; direction: OrderDirection },
) {
  const list = orderBy?.length ? orderBy : [fallback];
  if (new Set(list.map((order) => order.field)).size !== list.length) {
    throw new BadUserInputError('orderBy names a field more than once', 'orderBy');
  }
  return list;
}

/** A row's keys: bit n - 1 - i of grouping() is 1 where key i is a total. */
function keysOf<T extends string>(row: GroupRow, groupBy: readonly T[]) {
  return groupBy.map((dimension, index) => {
    const isTotal = ((row.grouping >> (groupBy.length - 1 - index)) & 1) === 1;
    return { dimension, isTotal, value: isTotal ? null : ((row[`k${index}`] as string | null) ?? null) };
  });
}

@Resolver()
export class AggregatesResolver {
  @Reads('build', 'reference')
  @Query(() => [AssetGroup], {
    description:
      'The assets of the current build grouped by up to three dimensions, with their measures. Shares are of every asset the ' +
      'filter keeps, whatever `first` returns. See docs/aggregates.md.',
    complexity: groupsComplexity(expectedAssetGroups, DEFAULT_GROUPS, MAX_GROUPS),
  })
  async assetAggregates(
    @Arg('groupBy', () => [AssetDimension], { description: GROUP_BY }) groupBy: AssetDimension[],
    @Arg('filter', () => AssetFilter, { nullable: true }) filter: AssetFilter | null,
    @Arg('rollup', () => Boolean, { nullable: true, defaultValue: false, description: ROLLUP }) rollup: boolean | null,
    @Arg('orderBy', () => [AssetGroupOrder], {
      nullable: true,
      description: 'By MARKET_VALUE (COUNT for a VIEWER), descending, when empty; then by the keys.',
    })
    orderBy: AssetGroupOrder[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_GROUPS, description: FIRST }) first: number | null,
    @Ctx() { sql, viewer }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AssetGroup[]> {
    const keys = dimensions(groupBy);
    const holdings = hasRole(viewer, HOLDINGS);
    const ordered = orders(orderBy, {
      field: holdings ? AssetGroupOrderField.MARKET_VALUE : AssetGroupOrderField.COUNT,
      direction: OrderDirection.DESC,
    });
    const firmWideOrder = ordered.find(({ field }) => FIRM_WIDE_ORDERS.has(field));
    if (!holdings && firmWideOrder) {
      throw new ForbiddenError(`orderBy ${firmWideOrder.field} needs the ${HOLDINGS} role or above; your token has ${viewer.role}`);
    }
    const request = {
      rollup: rollup === true,
      orderBy: ordered,
      first: intInRange(first ?? DEFAULT_GROUPS, 'first', 1, MAX_GROUPS),
    };
    const selected = selectedFields(info);
    const measures = new Set((Object.keys(ASSET_MEASURES) as AssetMeasure[]).filter((field) => selected.has(field)));
    const rows = await assetGroupsQuery(sql, keys, filter, measures, request);
    return rows.map((row) => {
      const group: Record<string, unknown> = {
        keys: keysOf(row, keys),
        count: row.count,
        countShare: row.countShare,
        marketValueShare: row.marketValueShare,
      };
      for (const field of measures) {
        group[field] = Object.fromEntries(STATISTICS.map((name) => [name, row[`${field}_${name}`]]));
      }
      return group as unknown as AssetGroup;
    });
  }

  @Reads('trades', 'reference', 'build')
  @Query(() => [TradeGroup], {
    description:
      'The trades of the portfolios the viewer may see grouped by up to three dimensions, with their measures; amounts are in ' +
      'the asset currency, so group by CURRENCY (or ASSET) before adding them up across assets. See docs/aggregates.md.',
    complexity: groupsComplexity(expectedTradeGroups, DEFAULT_GROUPS, MAX_GROUPS),
  })
  async tradeAggregates(
    @Arg('groupBy', () => [TradeDimension], { description: GROUP_BY }) groupBy: TradeDimension[],
    @Arg('filter', () => TradeFilter, { nullable: true }) filter: TradeFilter | null,
    @Arg('rollup', () => Boolean, { nullable: true, defaultValue: false, description: ROLLUP }) rollup: boolean | null,
    @Arg('orderBy', () => [TradeGroupOrder], { nullable: true, description: 'By the keys, ascending, when empty.' })
    orderBy: TradeGroupOrder[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_GROUPS, description: FIRST }) first: number | null,
    @Ctx() { sql, viewer }: Context,
  ): Promise<TradeGroup[]> {
    const keys = dimensions(groupBy);
    const request = {
      rollup: rollup === true,
      orderBy: orders(orderBy, { field: TradeGroupOrderField.KEYS, direction: OrderDirection.ASC }),
      first: intInRange(first ?? DEFAULT_GROUPS, 'first', 1, MAX_GROUPS),
    };
    const rows = await tradeGroupsQuery(sql, keys, tradeCriteria(filter), viewer, request);
    return rows.map(({ grouping: _grouping, ...row }) => ({
      ...(row as unknown as TradeGroup),
      keys: keysOf({ ...row, grouping: _grouping }, keys),
    }));
  }
}
