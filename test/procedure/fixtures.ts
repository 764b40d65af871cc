import { expect } from 'vitest';
import type { Sql } from '../../src/infra/db.js';

/** Hand-built rows for create_asset_360, with explicit ids and only the columns a test cares about. */

type Value = string | number | null;

export interface Asset {
  asset_id: number;
  asset_name?: string;
  asset_type?: string;
  isin?: string | null;
  currency?: string;
  issuer?: string | null;
  issue_date?: string | null;
  maturity_date?: string | null;
  par_value?: string | null;
  rating?: string | null;
  sector?: string | null;
  issuing_country?: string | null;
  status?: string;
}

export async function insertAssets(sql: Sql, assets: readonly Asset[]): Promise<void> {
  const rows = assets.map((asset) => ({
    asset_id: asset.asset_id,
    asset_name: asset.asset_name ?? `Asset ${asset.asset_id}`,
    asset_type: asset.asset_type ?? 'EQUITY',
    isin: asset.isin ?? null,
    currency: asset.currency ?? 'USD',
    issuer: asset.issuer ?? null,
    issue_date: asset.issue_date ?? null,
    maturity_date: asset.maturity_date ?? null,
    par_value: asset.par_value ?? null,
    rating: asset.rating ?? null,
    sector: asset.sector ?? null,
    issuing_country: asset.issuing_country ?? null,
    status: asset.status ?? 'ACTIVE',
  }));
  await sql`insert into asset_master ${sql(rows)}`;
}

/** [asset_id, price_date, closing_price] */
export async function insertPrices(sql: Sql, rows: readonly [number, string, string][]): Promise<void> {
  await insertTuples(sql, 'market_data', ['asset_id', 'price_date', 'closing_price'], rows);
}

/** [asset_id, transaction_date, type, quantity, price, transaction_costs], all in portfolio 1; total_amount is quantity * price. */
export async function insertTrades(sql: Sql, rows: readonly [number, string, 'BUY' | 'SELL', string, string, string][]): Promise<void> {
  await sql`insert into portfolios (portfolio_id, name) values (1, 'Fixture portfolio') on conflict do nothing`;
  const column = (i: number) => rows.map((row) => String(row[i]));
  await sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, transaction_costs, portfolio_id)
    select asset_id, day, kind, quantity, price, quantity * price, costs, 1
    from unnest(${column(0)}::bigint[], ${column(1)}::date[], ${column(2)}::text[], ${column(3)}::numeric[], ${column(4)}::numeric[], ${column(5)}::numeric[])
      as t(asset_id, day, kind, quantity, price, costs)`;
}

/** [asset_id, date, daily_return] */
export async function insertReturns(sql: Sql, rows: readonly [number, string, number | null][]): Promise<void> {
  await insertTuples(sql, 'performance_history', ['asset_id', 'date', 'daily_return'], rows);
}

/** [asset_id, calculation_date, volatility, var_95, beta, sharpe_ratio] */
export async function insertRisk(
  sql: Sql,
  rows: readonly [number, string, number | null, number | null, number | null, number | null][],
): Promise<void> {
  await insertTuples(sql, 'risk_metrics', ['asset_id', 'calculation_date', 'volatility', 'var_95', 'beta', 'sharpe_ratio'], rows);
}

/** [compliance_id, asset_id, check_date, rule_id, status] */
export async function insertChecks(
  sql: Sql,
  rows: readonly [number, number, string, string, 'PASS' | 'VIOLATION' | 'WAIVED'][],
): Promise<void> {
  await insertTuples(sql, 'compliance_records', ['compliance_id', 'asset_id', 'check_date', 'rule_id', 'status'], rows);
}

/** [currency, rate_date, rate_to_base] */
export async function insertFx(sql: Sql, rows: readonly [string, string, string][]): Promise<void> {
  await insertTuples(sql, 'fx_rates', ['currency', 'rate_date', 'rate_to_base'], rows);
}

async function insertTuples(sql: Sql, table: string, columns: readonly string[], rows: readonly (readonly Value[])[]): Promise<void> {
  const objects = rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
  await sql`insert into ${sql(table)} ${sql(objects, ...columns)}`;
}

export type Asset360Row = Record<string, string | number | null>;

/** asset_360 by asset_id. */
export async function readAsset360(sql: Sql): Promise<Map<number, Asset360Row>> {
  const rows = await sql<Asset360Row[]>`select * from asset_360 order by asset_id`;
  return new Map(rows.map((row) => [Number(row.asset_id), row]));
}

/** Within 1e-9 relative, as the spec allows for floating-point results. */
export function expectClose(actual: unknown, expected: number, name = 'value'): void {
  expect(typeof actual, `${name} is a number`).toBe('number');
  const error = Math.abs((actual as number) - expected);
  expect(error, `${name}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(expected), Number.MIN_VALUE));
}

/**
 * A synthetic book of `assets` assets with `days` daily rows in every dated table, made in SQL,
 * for tests that need a build to take some time.
 */
export async function insertBook(sql: Sql, assets: number, days: number, lastDay = '2024-06-28'): Promise<void> {
  await sql`insert into portfolios (portfolio_id, name) values (1, 'Fixture portfolio') on conflict do nothing`;
  await sql`
    insert into asset_master (asset_id, asset_name, asset_type, isin, currency, sector, issuing_country)
    select i, 'Asset ' || i, (array['EQUITY', 'BOND', 'ETF'])[1 + i % 3], 'XS' || lpad(i::text, 10, '0'),
      (array['USD', 'EUR', 'GBP'])[1 + i % 3], (array['Energy', 'Financials'])[1 + i % 2], 'US'
    from generate_series(1, ${assets}::int) i`;
  const daysOf = sql`(select n, ${lastDay}::date - n as day from generate_series(0, ${days - 1}::int) n) k`;
  const assetIds = sql`generate_series(1, ${assets}::int) i`;
  await sql`
    insert into market_data (asset_id, price_date, closing_price)
    select i, k.day, 100 + (i * 7 + k.n) % 50 from ${assetIds}, ${daysOf}`;
  await sql`
    insert into performance_history (asset_id, date, daily_return)
    select i, k.day, ((i * 13 + k.n * 7) % 41 - 20) / 1000.0 from ${assetIds}, ${daysOf}`;
  await sql`
    insert into risk_metrics (asset_id, calculation_date, volatility, var_95, beta, sharpe_ratio)
    select i, k.day, 0.2, 0.05 + (i % 20) / 100.0, 1, 0.5 from ${assetIds}, ${daysOf} where k.n % 5 = 0`;
  await sql`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
    select i, k.day, case when k.n % 3 = 0 then 'SELL' else 'BUY' end, 10, 100, 1000, 1
    from ${assetIds}, ${daysOf} where (i + k.n) % 5 = 0`;
  await sql`
    insert into compliance_records (asset_id, check_date, rule_id, status)
    select i, k.day, 'RULE-' || (i % 3), case when (i + k.n) % 7 = 0 then 'VIOLATION' else 'PASS' end
    from ${assetIds}, ${daysOf} where k.n % 10 = 0`;
  await sql`insert into fx_rates (currency, rate_date, rate_to_base) select c, k.day, 1.1 from unnest(array['EUR', 'GBP']) c, ${daysOf}`;
  await sql`vacuum analyze`;
}
