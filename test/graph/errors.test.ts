import { describe, expect, it } from 'vitest';
import { createSql } from '../../src/infra/db.js';
import {
  AssetDocument,
  AssetPricesDocument,
  AssetsPageDocument,
  AssetTradesDocument,
  BuildsPageDocument,
  CounterpartyDocument,
  PortfolioDocument,
  TradesPageDocument,
} from '../generated/graphql.js';
import { dataOf, graphqlClient, type ExecutionResult } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { startTestServer } from '../support/server.js';
import { useGraphServer } from './book.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, async (sql) => {
  await sql`insert into portfolios (portfolio_id, name) values (1, 'Main')`;
  await sql`
    insert into asset_master (asset_id, asset_name, asset_type, currency) values
      (1, 'One', 'EQUITY', 'USD'), (2, 'Two', 'EQUITY', 'USD'), (3, 'Three', 'BOND', 'EUR')`;
  await sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
    values (1, '2025-01-02', 'BUY', 1, 1, 1, 1), (1, '2025-01-03', 'SELL', 1, 1, 1, 1)`;
});

function expectBadInput(result: ExecutionResult<unknown>, argument: string): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(result.errors![0]!.message).toContain(argument);
  expect(JSON.stringify(result)).not.toMatch(/stacktrace|select |bigint\[\]/i);
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('bad arguments', () => {
  it('refuses first above 500 or below 0, naming it, on every connection', async () => {
    expectBadInput(await execute(AssetsPageDocument, { first: 501 }), 'first');
    expectBadInput(await execute(AssetsPageDocument, { first: -1 }), 'first');
    expectBadInput(await execute(TradesPageDocument, { first: 501 }), 'first');
    expectBadInput(await execute(BuildsPageDocument, { first: 1000 }), 'first');
    expectBadInput(await execute(AssetTradesDocument, { id: '1', first: 501 }), 'first');
    expect(dataOf(await execute(AssetsPageDocument, { first: 500 })).assets.edges).toHaveLength(3);
    expect(dataOf(await execute(AssetsPageDocument, { first: 0 })).assets).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: true, endCursor: null },
    });
  });

  it('refuses a cursor that is malformed, forged, or made for another order, naming after', async () => {
    const byName = dataOf(await execute(AssetsPageDocument, { first: 1 })).assets.pageInfo.endCursor!;
    expect(dataOf(await execute(AssetsPageDocument, { first: 1, after: byName })).assets.edges).toHaveLength(1);
    const forged = [
      'not a cursor!',
      'bm90IGpzb24',
      encode({ any: 'object' }),
      encode(['NAME ASC,ID ASC', 'One']),
      encode(['NAME ASC,ID ASC', 'One', 'abc']),
      encode(['NAME ASC,ID ASC', 7, '1']),
      encode(['NAME ASC,ID ASC', null, '1']),
      encode(['NAME ASC,ID ASC', 'One', '99999999999999999999']),
      encode(['MARKET_VALUE ASC,ID ASC', '1e5', '1']),
      'x'.repeat(5000),
    ];
    for (const after of forged) expectBadInput(await execute(AssetsPageDocument, { first: 1, after }), 'after');
    expectBadInput(
      await execute(AssetsPageDocument, { first: 1, after: byName, orderBy: [{ field: 'MARKET_VALUE', direction: 'ASC' }] }),
      'after',
    );
    expectBadInput(
      await execute(AssetsPageDocument, { first: 1, after: byName, orderBy: [{ field: 'NAME', direction: 'DESC' }] }),
      'after',
    );
    const trade = dataOf(await execute(TradesPageDocument, { first: 1 })).trades.pageInfo.endCursor!;
    expectBadInput(await execute(AssetsPageDocument, { first: 1, after: trade }), 'after');
    expectBadInput(await execute(TradesPageDocument, { first: 1, after: encode(['DATE DESC,ID DESC', '2025-02-30', '1']) }), 'after');
    expectBadInput(await execute(AssetTradesDocument, { id: '1', after: byName }), 'after');
  });

  it('refuses malformed ids, answers null for missing ones', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', "1' or '1'='1"]) {
      expectBadInput(await execute(AssetDocument, { id }), 'id');
      expectBadInput(await execute(PortfolioDocument, { id }), 'id');
      expectBadInput(await execute(CounterpartyDocument, { id }), 'id');
    }
    expect(dataOf(await execute(AssetDocument, { id: '404' })).asset).toBeNull();
    expect(dataOf(await execute(PortfolioDocument, { id: '404' })).portfolio).toBeNull();
    expect(dataOf(await execute(CounterpartyDocument, { id: '9223372036854775807' })).counterparty).toBeNull();
  });

  it('refuses bad filters, orders and ranges, naming the argument', async () => {
    expectBadInput(await execute(TradesPageDocument, { filter: { assetId: 'x' } }), 'filter.assetId');
    expectBadInput(await execute(TradesPageDocument, { filter: { portfolioId: '0' } }), 'filter.portfolioId');
    expectBadInput(await execute(TradesPageDocument, { filter: { counterpartyId: '-4' } }), 'filter.counterpartyId');
    expectBadInput(await execute(TradesPageDocument, { filter: { dateFrom: '2025-02-01', dateTo: '2025-01-01' } }), 'filter.dateTo');
    expectBadInput(await execute(AssetsPageDocument, { filter: { search: 'x'.repeat(201) } }), 'filter.search');
    expectBadInput(
      await execute(AssetsPageDocument, {
        orderBy: [
          { field: 'NAME', direction: 'ASC' },
          { field: 'NAME', direction: 'DESC' },
        ],
      }),
      'orderBy',
    );
    expectBadInput(await execute(AssetPricesDocument, { id: '1', from: '2025-02-01', to: '2025-01-01' }), 'to');
    const badDate = await execute(TradesPageDocument, { filter: { dateFrom: '2025-13-01' } });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('failures inside the server', () => {
  it('answers INTERNAL_SERVER_ERROR with neither stack nor SQL outside development', async () => {
    // A session that finds none of the tables: a fault of the server, not of the caller or the database's reach.
    const lost = createSql(db.url, { max: 1, connection: { search_path: 'nowhere' } });
    const server = await startTestServer(lost);
    try {
      const result = await graphqlClient(server.url)(AssetsPageDocument, { first: 1 });
      expect(result.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(result)).not.toMatch(/stacktrace|select|relation|asset_master/i);
    } finally {
      await server.close();
      await lost.end();
    }
  });

  it('answers UNAVAILABLE, retryable, when the database cannot be reached', async () => {
    const dead = createSql('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    const server = await startTestServer(dead);
    try {
      const result = await graphqlClient(server.url)(AssetsPageDocument, { first: 1 });
      expect(result.errors?.[0]).toMatchObject({
        message: 'the database is unavailable: try again shortly',
        extensions: { code: 'UNAVAILABLE' },
      });
      expect(JSON.stringify(result)).not.toMatch(/stacktrace|select|ECONNREFUSED|asset_master/i);
    } finally {
      await server.close();
      await dead.end();
    }
  });
});
