import { createHash } from 'node:crypto';
import type { Sql } from '../infra/db.js';
import { dailyFx } from '../risk/fx.js';
import { priceSeries } from '../risk/prices.js';

/** An asset as the rebalance sees it now: what the portfolio holds and what it is worth. */
export interface Valued {
  assetId: string;
  sector: string | null;
  currency: string;
  status: string;
  /** Open quantity in the portfolio, exact ('0' when it holds none). */
  quantity: string;
  /** Latest close in the asset's currency, exact; null when it has none. */
  price: string | null;
  priceDate: string | null;
  /** Base-currency units per unit of the asset's currency at the latest close; null without a rate. */
  rate: number | null;
}

/**
 * The portfolio's open positions (its open lots, which recordTrade keeps) and the requested assets,
 * each with its latest close and the FX rate of that day, as Position.marketValueBase values them.
 */
export async function valuedAssets(sql: Sql, portfolioId: string, assetIds: readonly string[]): Promise<Valued[]> {
  return sql<Valued[]>`
    with held as (
      select asset_id, sum(remaining_quantity) as quantity
      from position_lots where portfolio_id = ${portfolioId}::bigint
      group by asset_id
    ),
    wanted as (
      select asset_id from held union select unnest(${[...assetIds]}::bigint[])
    )
    select a.asset_id::text as "assetId", a.sector, a.currency, a.status,
      trim_scale(coalesce(h.quantity, 0))::text as quantity,
      trim_scale(m.closing_price)::text as price, m.price_date::text as "priceDate",
      (select r.rate_to_base from fx_rate_to_base(a.currency, m.price_date) r)::float8 as rate
    from wanted w
    join asset_master a on a.asset_id = w.asset_id
    left join held h on h.asset_id = w.asset_id
    left join lateral (
      select m.closing_price, m.price_date from market_data m
      where m.asset_id = w.asset_id order by m.price_date desc limit 1
    ) m on true
    order by a.asset_id`;
}

/** The base-currency closes of the assets over [from, to], aligned on the union of their dates. */
export interface PriceWindow {
  dates: string[];
  /** One column per requested asset, NaN where it has no close (or no FX rate) on a date. */
  columns: Float64Array[];
  /** sha256 of the dates and closes: the exact prices a decision was taken on. */
  hash: string;
}

/**
 * Closes times the FX rate of their day into the base currency, read with src/risk's priceSeries
 * and dailyFx (the FX rule Portfolio.risk applies too) so that both see the same series. The two are
 * read apart and multiplied here: joined in SQL, the planner pairs every asset with every FX day
 * before it meets market_data, and sorts what the index already has in order.
 */
export async function basePriceWindow(sql: Sql, assetIds: readonly string[], from: string, to: string): Promise<PriceWindow> {
  const ids = [...assetIds];
  const [rows, rates] = await Promise.all([
    sql<{ asset_id: string; currency: string; closes: number[]; dates: string[] }[]>`
      select s.asset_id::text, a.currency, s.closes, s.dates::text[] as dates
      from (${priceSeries(sql, from, to, sql`m.asset_id = any(${ids}::bigint[])`)}) s
      join asset_master a on a.asset_id = s.asset_id`,
    sql<{ currency: string; day: string; rate: number }[]>`
      select currency, day::text, rate from (${dailyFx(sql, sql`select currency from asset_master where asset_id = any(${ids}::bigint[])`, { from, to })}) fx`,
  ]);
  const rate = new Map(rates.map((r) => [`${r.currency} ${r.day}`, r.rate]));
  const dates = [...new Set(rows.flatMap((row) => row.dates))].sort();
  const index = new Map(dates.map((date, i) => [date, i]));
  const byAsset = new Map(rows.map((row) => [row.asset_id, row]));
  const columns = ids.map((id) => {
    const column = new Float64Array(dates.length).fill(NaN);
    const row = byAsset.get(id);
    // A close on a day without an FX rate is no close in base currency, as Portfolio.risk's join has it.
    row?.dates.forEach((date, i) => (column[index.get(date)!] = row.closes[i]! * (rate.get(`${row.currency} ${date}`) ?? NaN)));
    return column;
  });
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ assetIds: ids, dates }));
  for (const column of columns) hash.update(new Uint8Array(column.buffer));
  return { dates, columns, hash: hash.digest('hex') };
}

/** sha256 of a matrix's doubles, row by row. */
export function matrixHash(matrix: readonly Float64Array[]): string {
  const hash = createHash('sha256');
  for (const row of matrix) hash.update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
  return hash.digest('hex');
}

/** sha256 of a portfolio's open quantities: a decision may only execute on the positions it saw. */
export function positionsHash(valued: readonly Pick<Valued, 'assetId' | 'quantity'>[]): string {
  const held = valued
    .filter((v) => !/^-?[0.]*$/.test(v.quantity))
    .map((v) => `${v.assetId}:${v.quantity}`)
    .sort();
  return createHash('sha256').update(held.join('\n')).digest('hex');
}
