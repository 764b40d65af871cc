import { systemActor } from '../../src/audit/actor.js';
import type { Sql } from '../../src/infra/db.js';
import { recordTrade } from '../../src/trades/record-trade.js';
import { readPrices } from './pypfopt-data.js';

export const FIRST_DATE = '1989-12-29';
export const LAST_DATE = '2018-04-11';
const TECH = new Set(['GOOG', 'AAPL', 'FB', 'BABA', 'AMZN', 'AMD', 'MA']);

/**
 * PyPortfolioOpt's 20 test tickers as USD assets (the base currency) with their closes in
 * market_data, and one portfolio holding 100 of each, bought at the last close: the graph's
 * answers must then be PyPortfolioOpt's. Returns the asset ids in the CSV's column order.
 */
export async function seedPyPortfolioOptBook(sql: Sql): Promise<{ portfolioId: string; assetIds: string[]; tickers: string[] }> {
  const { dates, tickers, columns } = readPrices('stock_prices.csv');
  const assets = await sql<{ id: string }[]>`
    insert into asset_master (asset_name, asset_type, currency, sector, issuing_country)
    select t, 'EQUITY', 'USD', s, 'US' from unnest(${tickers}::text[], ${tickers.map((t) => (TECH.has(t) ? 'TECH' : 'OTHER'))}::text[]) as x(t, s)
    returning asset_id::text as id`;
  const assetIds = assets.map((a) => a.id);
  const ids: string[] = [];
  const days: string[] = [];
  const closes: string[] = [];
  columns.forEach((column, i) =>
    column.forEach((close, t) => {
      if (Number.isNaN(close)) return;
      ids.push(assetIds[i]!);
      days.push(dates[t]!);
      closes.push(String(close));
    }),
  );
  await sql`
    insert into market_data (asset_id, price_date, closing_price)
    select * from unnest(${ids}::bigint[], ${days}::date[], ${closes}::numeric[])`;
  const [portfolio] = await sql<
    [{ id: string }]
  >`insert into portfolios (name) values ('PyPortfolioOpt') returning portfolio_id::text as id`;
  for (const [i, assetId] of assetIds.entries()) {
    const last = columns[i]![columns[i]!.length - 1]!;
    await recordTrade(
      sql,
      {
        assetId,
        portfolioId: portfolio.id,
        counterpartyId: null,
        type: 'BUY',
        date: LAST_DATE,
        quantity: '100',
        price: String(last),
        costs: '0',
        currency: null,
        externalId: null,
      },
      systemActor('optimizer-test'),
    );
  }
  return { portfolioId: portfolio.id, assetIds, tickers };
}
