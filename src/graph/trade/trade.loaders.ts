import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { loaderWithArgs } from '../common/batch.js';
import type { Page } from '../common/connection.js';
import type { KeyValue } from '../common/keyset.js';
import { tradeCountsByParent, tradeCriteria, tradeKeyset, tradeRowsByParent, type TradeCriteria, type TradeParent } from './trade.sql.js';
import type { Trade, TradeArgs } from './trade.type.js';

interface PageArgs {
  first: number;
  after: KeyValue[] | null;
  criteria: TradeCriteria;
}

export function createTradeLoaders(sql: Sql, viewer: Viewer) {
  const keyset = tradeKeyset(sql);

  const counts = (parent: TradeParent) =>
    loaderWithArgs<TradeCriteria, number>((parentIds, criteria) => tradeCountsByParent(sql, parent, parentIds, criteria, viewer));

  const pages = (parent: TradeParent, countOf: ReturnType<typeof counts>) =>
    loaderWithArgs<PageArgs, Page<Trade>>(async (parentIds, args) => {
      const rows = await tradeRowsByParent(sql, parent, parentIds, args, viewer, keyset);
      return parentIds.map((id, i) => keyset.connection<Trade>(rows[i]!, args.first, () => countOf.load({ id, args: args.criteria })));
    });

  const countLoaders = { asset: counts('asset'), portfolio: counts('portfolio'), counterparty: counts('counterparty') };
  const pageLoaders = {
    asset: pages('asset', countLoaders.asset),
    portfolio: pages('portfolio', countLoaders.portfolio),
    counterparty: pages('counterparty', countLoaders.counterparty),
  };

  return {
    /** One page of a parent's trades, batched with the same page of the other parents. */
    page(parent: TradeParent, id: string, args: TradeArgs): Promise<Page<Trade>> {
      const { first, after } = keyset.request(args);
      return pageLoaders[parent].load({ id, args: { first, after, criteria: tradeCriteria(args.filter) } });
    },
  };
}
