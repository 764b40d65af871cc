import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetRelationsDocument,
  AssetTradesDocument,
  CounterpartyTradesDocument,
  PortfolioDocument,
  PortfoliosPageDocument,
  PortfoliosTradesDocument,
  PortfolioTradesDocument,
  TradesCountDocument,
  TradesPageDocument,
} from '../generated/graphql.js';
import { dataOf, graphqlClient, type Execute } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { seedBook, walk } from '../graph/book.js';
import { AUTH_ON, bearer } from './support.js';

const db = useTestDatabase();
let server: TestServer;
/** A VIEWER of portfolio 1, of portfolios 1 and 3, and an ANALYST, who sees all three. */
let viewer: Execute;
let viewerOf13: Execute;
let analyst: Execute;
let viewerHeaders: Record<string, string>;

/** Ids the SQL says a VIEWER of portfolio 1 must or must not see. */
let shared: { asset: string; counterparty: string; allocatedAsset: string; othersOnlyAsset: string };

beforeAll(async () => {
  await seedBook(db.sql, { assets: 40, days: 60, portfolios: 3, seed: 21 });
  const [row] = await db.sql<[typeof shared]>`
    select
      (select asset_id::text from transactions group by asset_id
        having bool_or(portfolio_id = 1) and bool_or(portfolio_id <> 1) order by asset_id limit 1) as asset,
      (select counterparty_id::text from transactions where counterparty_id is not null group by counterparty_id
        having bool_or(portfolio_id = 1) and bool_or(portfolio_id <> 1) order by counterparty_id limit 1) as counterparty,
      (select asset_id::text from portfolio_allocation group by asset_id
        having bool_or(portfolio_id = 1) and bool_or(portfolio_id <> 1) order by asset_id limit 1) as "allocatedAsset",
      (select asset_id::text from transactions group by asset_id
        having not bool_or(portfolio_id = 1) order by asset_id limit 1) as "othersOnlyAsset"`;
  shared = row;
  for (const [name, id] of Object.entries(shared)) if (id === null) throw new Error(`the seeded book has no ${name} for this test`);
  server = await startTestServer(db.sql, AUTH_ON);
  viewerHeaders = await bearer('VIEWER', ['1']);
  viewer = graphqlClient(server.url, viewerHeaders);
  viewerOf13 = graphqlClient(server.url, await bearer('VIEWER', ['1', '3']));
  analyst = graphqlClient(server.url, await bearer('ANALYST'));
});

afterAll(() => server?.close());

async function tradeIds(where: { portfolios: string[]; asset?: string; counterparty?: string }): Promise<string[]> {
  const rows = await db.sql<{ id: string }[]>`
    select transaction_id::text as id from transactions
    where portfolio_id = any(${where.portfolios}::bigint[])
      and (${where.asset ?? null}::bigint is null or asset_id = ${where.asset ?? null}::bigint)
      and (${where.counterparty ?? null}::bigint is null or counterparty_id = ${where.counterparty ?? null}::bigint)
    order by transaction_date desc, transaction_id desc`;
  return rows.map((row) => row.id);
}

describe('a VIEWER of portfolio 1', () => {
  it('pages through trades(…) and finds exactly the trades of portfolio 1, totalCount included', async () => {
    const nodes = await walk(async (after) => dataOf(await viewer(TradesPageDocument, { first: 500, after })).trades);
    expect(nodes.map((node) => node.id)).toEqual(await tradeIds({ portfolios: ['1'] }));
    expect(new Set(nodes.map((node) => node.portfolio.id))).toEqual(new Set(['1']));
    expect(dataOf(await viewer(TradesCountDocument, {})).trades.totalCount).toBe(nodes.length);
    expect(dataOf(await analyst(TradesCountDocument, {})).trades.totalCount).toBe((await tradeIds({ portfolios: ['1', '2', '3'] })).length);
  });

  it('finds nothing when it filters on another portfolio or on an asset only others trade', async () => {
    for (const filter of [{ portfolioId: '2' }, { portfolioId: '3' }, { assetId: shared.othersOnlyAsset }]) {
      expect(dataOf(await viewer(TradesPageDocument, { first: 500, filter })).trades.edges).toEqual([]);
      expect(dataOf(await viewer(TradesCountDocument, { filter })).trades.totalCount).toBe(0);
      expect(dataOf(await analyst(TradesCountDocument, { filter })).trades.totalCount).toBeGreaterThan(0);
    }
  });

  it('sees only its own trades under Asset.trades and Counterparty.trades, totalCount included', async () => {
    const assetTrades = dataOf(await viewer(AssetTradesDocument, { id: shared.asset, first: 500 })).asset!.trades;
    const expectedForAsset = await tradeIds({ portfolios: ['1'], asset: shared.asset });
    expect(assetTrades.edges.map((edge) => edge.node.id)).toEqual(expectedForAsset);
    expect(assetTrades.totalCount).toBe(expectedForAsset.length);
    expect(dataOf(await analyst(AssetTradesDocument, { id: shared.asset, first: 0 })).asset!.trades.totalCount).toBeGreaterThan(
      expectedForAsset.length,
    );

    const counterpartyTrades = dataOf(await viewer(CounterpartyTradesDocument, { id: shared.counterparty, first: 500 })).counterparty!
      .trades;
    const expectedForCounterparty = await tradeIds({ portfolios: ['1'], counterparty: shared.counterparty });
    expect(counterpartyTrades.edges.map((edge) => edge.node.id)).toEqual(expectedForCounterparty);
    expect(counterpartyTrades.totalCount).toBe(expectedForCounterparty.length);

    const othersOnly = dataOf(await viewer(AssetTradesDocument, { id: shared.othersOnlyAsset, first: 500 })).asset!.trades;
    expect(othersOnly).toMatchObject({ edges: [], totalCount: 0 });
  });

  it('gets null for another portfolio, and its own with its allocations and trades', async () => {
    expect(dataOf(await viewer(PortfolioDocument, { id: '2' })).portfolio).toBeNull();
    expect(dataOf(await viewer(PortfolioTradesDocument, { id: '3', first: 5 })).portfolio).toBeNull();
    const own = dataOf(await viewer(PortfolioDocument, { id: '1' })).portfolio!;
    expect(own.allocations.length).toBeGreaterThan(0);
    expect(new Set(own.allocations.map((allocation) => allocation.portfolio.id))).toEqual(new Set(['1']));
    const trades = dataOf(await viewer(PortfolioTradesDocument, { id: '1', first: 500 })).portfolio!.trades;
    expect(trades.totalCount).toBe((await tradeIds({ portfolios: ['1'] })).length);
  });

  it('lists only its portfolio, with only its trades, totalCount included', async () => {
    expect(dataOf(await viewer(PortfoliosPageDocument, { first: 500 })).portfolios).toMatchObject({
      totalCount: 1,
      edges: [{ node: { id: '1' } }],
      pageInfo: { hasNextPage: false },
    });
    const withTrades = dataOf(await viewer(PortfoliosTradesDocument, { first: 50, trades: 1 })).portfolios.edges;
    expect(withTrades.map((edge) => edge.node.id)).toEqual(['1']);
    expect(withTrades[0]!.node.trades.totalCount).toBe((await tradeIds({ portfolios: ['1'] })).length);
  });

  it('sees only its own allocations of an asset several portfolios hold', async () => {
    const mine = dataOf(await viewer(AssetRelationsDocument, { id: shared.allocatedAsset })).asset!.allocations;
    expect(mine.map((allocation) => allocation.portfolio.id)).toEqual(['1']);
    const all = dataOf(await analyst(AssetRelationsDocument, { id: shared.allocatedAsset })).asset!.allocations;
    expect(all.length).toBeGreaterThan(1);
  });

  it('sees only the positions of its portfolio', async () => {
    const response = await graphql(
      server.url,
      '{ portfolios { edges { node { id positions { asset { id } quantity } } } } }',
      {},
      viewerHeaders,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.portfolios.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(['1']);
  });
});

describe('a VIEWER of portfolios 1 and 3', () => {
  it('sees the trades and portfolios of both and nothing of portfolio 2', async () => {
    expect(dataOf(await viewerOf13(TradesCountDocument, {})).trades.totalCount).toBe((await tradeIds({ portfolios: ['1', '3'] })).length);
    expect(dataOf(await viewerOf13(PortfoliosPageDocument, { first: 10 })).portfolios.edges.map((edge) => edge.node.id)).toEqual([
      '1',
      '3',
    ]);
    expect(dataOf(await viewerOf13(PortfolioDocument, { id: '2' })).portfolio).toBeNull();
    expect(dataOf(await viewerOf13(TradesCountDocument, { filter: { portfolioId: '2' } })).trades.totalCount).toBe(0);
  });
});
