import type { Sql } from '../../src/infra/db.js';
import type { ExecutionResult } from '../support/graphql-client.js';
import { expect } from 'vitest';

/** Exact decimals for the tests: a bigint of 10^-20 units, enough for every amount they build. */
export const SCALE = 20n;
const UNIT = 10n ** SCALE;

export function exact(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3]?.length ?? 0) > Number(SCALE)) throw new Error(`not a decimal of at most ${SCALE} places: ${text}`);
  const units = BigInt(match[2]!) * UNIT + BigInt((match[3] ?? '').padEnd(Number(SCALE), '0'));
  return match[1] ? -units : units;
}

export function decimal(units: bigint): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const fraction = (magnitude % UNIT).toString().padStart(Number(SCALE), '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${magnitude / UNIT}${fraction ? `.${fraction}` : ''}`;
}

/** The same number written the shortest way, so that "2250.00" and "2250" compare equal. */
export function normal(text: string | null | undefined): string | null {
  return text == null ? null : decimal(exact(text));
}

/** Assets, portfolios and a counterparty the trade tests record against. */
export async function tradingBook(sql: Sql): Promise<void> {
  await sql`insert into portfolios (portfolio_id, name) values (1, 'Fifo'), (2, 'Average'), (3, 'Spare'), (4, 'Mixed')`;
  await sql`
    insert into asset_master (asset_id, asset_name, asset_type, isin, currency, status) values
      (1, 'Acme', 'EQUITY', 'US0000000001', 'USD', 'ACTIVE'),
      (2, 'Euro Bond', 'BOND', 'DE0000000002', 'EUR', 'ACTIVE'),
      (3, 'Old Bond', 'BOND', 'US0000000003', 'USD', 'MATURED'),
      (4, 'Twin', 'EQUITY', null, 'USD', 'ACTIVE'),
      (5, 'Twin', 'EQUITY', null, 'USD', 'ACTIVE')`;
  await sql`insert into counterparty_info (counterparty_id, name) values (1, 'Broker')`;
  await sql`
    insert into market_data (asset_id, price_date, closing_price) values
      (1, '2025-01-06', 100), (1, '2025-01-31', 108), (2, '2025-01-31', 50)`;
  await sql`insert into fx_rates (currency, rate_date, rate_to_base) values ('EUR', '2025-01-02', 1.1), ('EUR', '2025-01-31', 1.2)`;
}

/** The one error of a result: BAD_USER_INPUT naming the argument, and nothing of the server's insides. */
export function expectBadInput(result: ExecutionResult<unknown>, argument: string): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(result.errors![0]!.message).toContain(argument);
  expect(JSON.stringify(result)).not.toMatch(/stacktrace|select |insert /i);
}
