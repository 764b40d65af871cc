import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { ASSET_FIELDS, ASSET_ID, assetConditions, assetSortKeys, assetSource } from '../asset/asset.sql.js';
import type { AssetFilter, AssetOrder } from '../asset/asset.inputs.js';
import { parseId } from '../common/ids.js';
import { Keyset, type PageRequest } from '../common/keyset.js';
import type { Fragment } from '../common/sql.js';
import { COUNTERPARTY_FIELDS, counterpartyWithId } from '../counterparty/counterparty.sql.js';
import { PORTFOLIO_FIELDS, visiblePortfolioWithId } from '../portfolio/portfolio.sql.js';
import { dateRange, PRICE_FIELDS, PRICE_ORDER, priceRangeConditions, priceSource } from '../price/price.sql.js';
import { TRADE_FIELDS, TRADE_PARENT_COLUMN, tradeConditions, tradeCriteria, tradeKeyset, tradeSource } from '../trade/trade.sql.js';
import type { TradeFilter } from '../trade/trade.type.js';

/** What a relation's statement depends on beyond its arguments. */
export interface Scope {
  sql: Sql;
  viewer: Viewer;
}

/** The arguments of a field as graphql-js coerces them (defaults filled in), by name. */
export type Arguments = Record<string, unknown>;

interface Rows {
  from: Fragment;
  where: Fragment;
}

/**
 * A field that reads rows of another type. `rows` validates the arguments with the resolvers' own
 * checks, so a refusal is a BadUserInputError thrown before any SQL, and the operation then runs on the
 * resolvers, which refuse it the same way.
 */
export type Relation =
  | { kind: 'one'; type: string; rows(scope: Scope, args: Arguments): Rows }
  | { kind: 'list'; type: string; rows(scope: Scope, args: Arguments): Rows & { orderBy: Fragment } }
  | { kind: 'connection'; type: string; rows(scope: Scope, args: Arguments): Rows & { keyset: Keyset; page: PageRequest } };

export interface Shape {
  /** The SQL expression of each plain field, over the row's FROM (the same map the resolvers' rows are read with). */
  fields: Readonly<Record<string, string>>;
  relations: Readonly<Record<string, Relation>>;
}

/** A column of an enclosing query, such as the parent's id. */
const column = (sql: Sql, name: string): Fragment => sql`${sql(name)}`;

type PageArguments = { first?: number | null; after?: string | null };

function page(keyset: Keyset, args: Arguments): PageRequest {
  return keyset.request(args as PageArguments);
}

function tradePage({ sql, viewer }: Scope, args: Arguments, parent?: Fragment): Rows & { keyset: Keyset; page: PageRequest } {
  const keyset = tradeKeyset(sql);
  const request = page(keyset, args);
  const conditions = tradeConditions(sql, tradeCriteria(args.filter as TradeFilter | null | undefined), viewer);
  return {
    from: tradeSource(sql),
    where: parent ? sql`${sql(TRADE_PARENT_COLUMN.asset)} = ${parent} and ${conditions}` : conditions,
    keyset,
    page: request,
  };
}

/**
 * The types and fields an operation may use to be answered by one SQL statement: each type's plain
 * fields (as its feature's .sql.ts reads them) and the relations between them, with the rules of their
 * resolvers (visibility, orderings, argument checks) taken from the same functions. A field missing
 * here, or guarded by a rule or a middleware, makes its operation run on the resolvers.
 */
export const SHAPES: Readonly<Record<string, Shape>> = {
  Query: {
    fields: {},
    relations: {
      asset: {
        kind: 'one',
        type: 'Asset',
        rows: ({ sql }, args) => ({ from: assetSource(sql), where: sql`${sql(ASSET_ID)} = ${parseId(args.id as string, 'id')}::bigint` }),
      },
      assets: {
        kind: 'connection',
        type: 'Asset',
        rows({ sql }, args) {
          const keyset = new Keyset(sql, assetSortKeys(sql, args.orderBy as AssetOrder[] | null | undefined));
          const request = page(keyset, args);
          return {
            from: assetSource(sql),
            where: assetConditions(sql, args.filter as AssetFilter | null | undefined),
            keyset,
            page: request,
          };
        },
      },
      trades: { kind: 'connection', type: 'Trade', rows: (scope, args) => tradePage(scope, args) },
    },
  },
  Asset: {
    fields: ASSET_FIELDS,
    relations: {
      trades: { kind: 'connection', type: 'Trade', rows: (scope, args) => tradePage(scope, args, column(scope.sql, ASSET_ID)) },
      prices: {
        kind: 'list',
        type: 'PricePoint',
        rows({ sql }, args) {
          const range = dateRange(args.from as Date | null | undefined, args.to as Date | null | undefined);
          return {
            from: priceSource(sql),
            where: sql`md.asset_id = ${sql(ASSET_ID)} and ${priceRangeConditions(sql, range)}`,
            orderBy: sql.unsafe(PRICE_ORDER),
          };
        },
      },
    },
  },
  Trade: {
    fields: TRADE_FIELDS,
    relations: {
      asset: {
        kind: 'one',
        type: 'Asset',
        rows: ({ sql }) => ({ from: assetSource(sql), where: sql`${sql(ASSET_ID)} = ${sql(TRADE_PARENT_COLUMN.asset)}` }),
      },
      portfolio: {
        kind: 'one',
        type: 'Portfolio',
        rows: ({ sql, viewer }) => visiblePortfolioWithId(sql, viewer, column(sql, TRADE_PARENT_COLUMN.portfolio)),
      },
      counterparty: {
        kind: 'one',
        type: 'Counterparty',
        rows: ({ sql }) => counterpartyWithId(sql, column(sql, TRADE_PARENT_COLUMN.counterparty)),
      },
    },
  },
  Portfolio: { fields: PORTFOLIO_FIELDS, relations: {} },
  Counterparty: { fields: COUNTERPARTY_FIELDS, relations: {} },
  PricePoint: { fields: PRICE_FIELDS, relations: {} },
};
