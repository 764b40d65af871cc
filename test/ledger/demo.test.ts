import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type SeedOptions, type SeedReport } from '../../src/demo/seed.js';
import type { Sql } from '../../src/infra/db.js';
import { createTestDatabase, type TestDatabase, useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
const OPTIONS: SeedOptions = { assets: 30, days: 60, portfolios: 6, seed: 11, asOf: '2025-06-30' };
let report: SeedReport;

beforeAll(async () => {
  report = await seedDemo(db.sql, OPTIONS);
});

async function fingerprint(sql: Sql): Promise<string> {
  const [row] = await sql<[{ md5: string }]>`
    select md5(string_agg(concat_ws('|', m.movement_id, m.account_id, m.movement_date, m.amount, m.currency, m.section, m.category,
      m.description, m.counterparty_name, m.counterparty_account, m.transfer_group, m.fx_rate, m.trade_id,
      a.name, a.iban, a.kind, a.currency, a.overdraft_limit, u.login), ',' order by m.movement_id)) as md5
    from cash_movements m join accounts a using (account_id) left join users u on u.user_id = a.owner_user_id`;
  return row.md5;
}

describe('the demo ledger', () => {
  const others: TestDatabase[] = [];
  afterAll(async () => {
    for (const other of others) await other.drop();
  });

  it('has owners, accounts of every kind and a year of movements', async () => {
    expect(report.ledger.accounts).toBeGreaterThan(10);
    const [row] = await db.sql<
      [{ kinds: string[]; first: string; last: string; movements: number; categorized: number; expenses: number }]
    >`
      select (select array_agg(distinct kind order by kind) from accounts) as kinds,
        min(movement_date)::text as first, max(movement_date)::text as last, count(*)::int as movements,
        (count(*) filter (where section = 'EXPENSE' and category is not null))::int as categorized,
        (count(*) filter (where section = 'EXPENSE'))::int as expenses
      from cash_movements where trade_id is null`;
    expect(row.kinds).toEqual(['BROKERAGE', 'CHECKING', 'EXPENSE', 'OPERATING', 'SAVINGS']);
    expect(row.first <= '2024-07-01').toBe(true);
    expect(row.last).toBe('2025-06-30');
    expect(row.movements).toBe(report.ledger.movements - report.ledger.tradeLegs);
    // The rules classify every demo expense.
    expect(row.categorized).toBe(row.expenses);
  });

  it('settles every trade of every portfolio in its brokerage account', async () => {
    const [row] = await db.sql<[{ trades: number; legs: number; linked: number; portfolios: number }]>`
      select (select count(*)::int from transactions where quantity * price + transaction_costs <> 0) as trades,
        (select count(*)::int from cash_movements where trade_id is not null) as legs,
        (select count(*)::int from accounts where portfolio_id is not null) as linked,
        (select count(*)::int from portfolios) as portfolios`;
    expect(row.linked).toBe(row.portfolios);
    expect(row.legs).toBe(row.trades);
    expect(report.ledger.tradeLegs).toBe(row.legs);
  });

  it('never leaves an account below its overdraft limit at the end of a day', async () => {
    const [row] = await db.sql<[{ breaches: number }]>`
      select count(*)::int as breaches from (
        select d.account_id, sum(d.total) over (partition by d.account_id order by d.movement_date) as balance
        from (select account_id, movement_date, sum(amount) as total from cash_movements group by 1, 2) d
      ) r join accounts a using (account_id) where r.balance < -a.overdraft_limit`;
    expect(row.breaches).toBe(0);
  });

  it('gives organization admins their members’ expense accounts to see', async () => {
    const rows = await db.sql<{ login: string; visible: number; expenses: number }[]>`
      select u.login, (select count(*)::int from accounts_visible_to(u.login)) as visible,
        (select count(*)::int from memberships m2 join accounts a on a.owner_user_id = m2.user_id and a.kind = 'EXPENSE'
          where m2.organization_id = m.organization_id) as expenses
      from memberships m join users u using (user_id) where m.role = 'ADMIN'`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.visible).toBeGreaterThanOrEqual(row.expenses + 1);
  });

  it('is the same from the same seed', async () => {
    const other = await createTestDatabase();
    others.push(other);
    await seedDemo(other.sql, OPTIONS);
    expect(await fingerprint(other.sql)).toBe(await fingerprint(db.sql));
  });
});
