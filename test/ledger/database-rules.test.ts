import { beforeAll, describe, expect, it } from 'vitest';
import type postgres from 'postgres';
import { createSql } from '../../src/infra/db.js';

type Sql = postgres.Sql | postgres.TransactionSql;
import { useTestDatabase } from '../support/database.js';
import { deposit, ledgerBook, OPERABLE, VISIBLE } from './support.js';

const db = useTestDatabase();

beforeAll(async () => {
  await ledgerBook(db.sql);
  await deposit(db.sql, '1', '1000', '2025-01-02');
  await deposit(db.sql, '4', '1000', '2025-01-02');
});

async function balance(accountId: string, asOf = '2100-01-01'): Promise<string> {
  const [row] = await db.sql<[{ balance: string }]>`
    select coalesce(sum(amount), 0)::text as balance from cash_movements where account_id = ${accountId}::bigint and movement_date <= ${asOf}::date`;
  return row.balance;
}

describe('a transfer group, written by raw SQL', () => {
  const leg = (q: Sql, group: string, account: number, amount: string, currency: string, rate: string | null = null, date = '2025-02-03') =>
    q`
      insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group, fx_rate)
      values (${account}, ${date}::date, ${amount}::numeric, ${currency}, 'TRANSFER', ${group}::uuid, ${rate}::numeric)`;

  it('commits when its legs sum to zero, inserted one statement at a time', async () => {
    const group = crypto.randomUUID();
    await db.sql.begin(async (tx) => {
      await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
        values (1, '2025-02-03', -100, 'USD', 'TRANSFER', ${group}::uuid)`;
      await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
        values (2, '2025-02-03', 60, 'USD', 'TRANSFER', ${group}::uuid), (7, '2025-02-03', 40, 'USD', 'TRANSFER', ${group}::uuid)`;
    });
    expect(await balance('2')).toBe('60');
    expect(await balance('7')).toBe('40');
  });

  it('is refused at commit when it does not sum to zero, and nothing of it stays', async () => {
    const group = crypto.randomUUID();
    const before = await balance('1');
    await expect(
      db.sql.begin(async (tx) => {
        await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
          values (1, '2025-02-03', -100, 'USD', 'TRANSFER', ${group}::uuid), (2, '2025-02-03', 99.99, 'USD', 'TRANSFER', ${group}::uuid)`;
      }),
    ).rejects.toMatchObject({
      code: '23514',
      constraint_name: 'cash_transfer_balanced',
      message: expect.stringContaining('sum to -0.01 USD'),
    });
    expect(await balance('1')).toBe(before);
    const [{ count }] = await db.sql<
      [{ count: number }]
    >`select count(*)::int as count from cash_movements where transfer_group = ${group}::uuid`;
    expect(count).toBe(0);
  });

  it('is refused with one leg, outside a transaction block too', async () => {
    await expect(leg(db.sql, crypto.randomUUID(), 1, '-5', 'USD')).rejects.toMatchObject({
      constraint_name: 'cash_transfer_balanced',
      message: expect.stringContaining('it has 1 leg'),
    });
  });

  it('cannot be unbalanced later by adding a leg to a committed group', async () => {
    const group = crypto.randomUUID();
    await db.sql.begin(async (tx) => {
      await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
        values (1, '2025-02-03', -10, 'USD', 'TRANSFER', ${group}::uuid), (2, '2025-02-03', 10, 'USD', 'TRANSFER', ${group}::uuid)`;
    });
    await expect(leg(db.sql, group, 7, '5', 'USD')).rejects.toMatchObject({ constraint_name: 'cash_transfer_balanced' });
  });

  it('refuses legs on different dates, outside TRANSFER, or twice in one account', async () => {
    for (const write of [
      (group: string) =>
        db.sql.begin(async (tx) => {
          await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
          values (1, '2025-02-03', -10, 'USD', 'TRANSFER', ${group}::uuid), (2, '2025-02-04', 10, 'USD', 'TRANSFER', ${group}::uuid)`;
        }),
      (group: string) =>
        db.sql.begin(async (tx) => {
          await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
          values (1, '2025-02-03', -10, 'USD', 'TRANSFER', ${group}::uuid), (1, '2025-02-03', 10, 'USD', 'TRANSFER', ${group}::uuid)`;
        }),
    ]) {
      await expect(write(crypto.randomUUID())).rejects.toMatchObject({ constraint_name: 'cash_transfer_balanced' });
    }
    await expect(
      db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group)
        values (1, '2025-02-03', -10, 'USD', 'EXPENSE', gen_random_uuid())`,
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('between two currencies balances with the rate and both amounts, rounded to the cent', async () => {
    const good = crypto.randomUUID();
    await db.sql.begin(async (tx) => {
      // 100 EUR at 1.08456 USD per EUR: 108.456, rounded to 108.46 USD.
      await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, transfer_group, fx_rate) values
        (4, '2025-02-03', -100, 'EUR', 'TRANSFER', ${good}::uuid, 1.08456), (8, '2025-02-03', 108.46, 'USD', 'TRANSFER', ${good}::uuid, 1.08456)`;
    });
    expect(await balance('8')).toBe('108.46');

    const cases: Array<[string, Array<[number, string, string, string | null]>]> = [
      [
        'make 108.46 USD, not 108.45',
        [
          [4, '-100', 'EUR', '1.08456'],
          [8, '108.45', 'USD', '1.08456'],
        ],
      ],
      [
        'carry the same fx_rate',
        [
          [4, '-100', 'EUR', '1.08456'],
          [8, '108.46', 'USD', null],
        ],
      ],
      [
        'one leg out and one leg in',
        [
          [4, '-100', 'EUR', '1.1'],
          [8, '55', 'USD', '1.1'],
          [1, '55', 'USD', '1.1'],
        ],
      ],
      [
        'carries no fx_rate',
        [
          [1, '-10', 'USD', '1'],
          [2, '10', 'USD', '1'],
        ],
      ],
    ];
    for (const [message, legs] of cases) {
      const group = crypto.randomUUID();
      await expect(
        db.sql.begin(async (tx) => {
          for (const [account, amount, currency, rate] of legs) await leg(tx, group, account, amount, currency, rate);
        }),
      ).rejects.toMatchObject({ constraint_name: 'cash_transfer_balanced', message: expect.stringContaining(message) });
    }
  });
});

describe('the ledger is append-only', () => {
  it('refuses to update or delete a movement', async () => {
    await expect(db.sql`update cash_movements set amount = amount * 2 where account_id = 1`).rejects.toMatchObject({ code: '23001' });
    await expect(db.sql`delete from cash_movements where account_id = 1`).rejects.toMatchObject({ code: '23001' });
  });

  it('keeps every movement in its account currency', async () => {
    await expect(
      db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (1, '2025-02-03', 5, 'EUR', 'INCOME')`,
    ).rejects.toMatchObject({ code: '23503' });
  });
});

describe('the overdraft rule', () => {
  it('refuses a raw payment below zero, and allows one down to the limit', async () => {
    await deposit(db.sql, '2', '50', '2025-03-03');
    const available = await balance('2');
    await expect(
      db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section)
        values (2, '2025-03-04', ${`-${available}`}::numeric - 0.01, 'USD', 'EXPENSE')`,
    ).rejects.toMatchObject({ code: '23514', constraint_name: 'cash_overdraft' });
    // Acme Operating may go 5,000 EUR below zero.
    const acme = await balance('4');
    await db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section)
      values (4, '2025-03-04', -(${acme}::numeric + 5000), 'EUR', 'EXPENSE')`;
    expect(await balance('4')).toBe('-5000');
    await expect(
      db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (4, '2025-03-05', -0.01, 'EUR', 'EXPENSE')`,
    ).rejects.toMatchObject({ constraint_name: 'cash_overdraft', message: expect.stringContaining('overdraft limit of 5000') });
  });

  it('refuses a backdated payment that would overdraw a day after it, though the latest balance covers it', async () => {
    await db.sql`insert into users (login, name) values ('frank', 'Frank')`;
    const [{ id }] = await db.sql<[{ id: string }]>`
      insert into accounts (name, kind, owner_user_id, currency) select 'Frank Checking', 'CHECKING', user_id, 'CHF' from users where login = 'frank'
      returning account_id::text as id`;
    await deposit(db.sql, id, '100', '2025-04-01');
    await db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (${id}, '2025-04-02', -100, 'CHF', 'EXPENSE')`;
    await deposit(db.sql, id, '500', '2025-04-10');
    // On 2025-04-03 the balance would be -50, although it ends at 0.
    await expect(
      db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (${id}, '2025-04-03', -50, 'CHF', 'EXPENSE')`,
    ).rejects.toMatchObject({ constraint_name: 'cash_overdraft', message: expect.stringContaining('2025-04-03') });
    await db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (${id}, '2025-04-10', -500, 'CHF', 'EXPENSE')`;
    expect(await balance(id)).toBe('0');
  });

  for (const isolation of ['read committed', 'repeatable read'] as const) {
    it(`lets exactly as many concurrent payments through as the balance covers, on parallel connections (${isolation})`, async () => {
      const [{ id }] = await db.sql<[{ id: string }]>`
        insert into accounts (name, kind, owner_user_id, currency) values (${`Race ${isolation}`}, 'CHECKING', 1, 'USD')
        returning account_id::text as id`;
      await deposit(db.sql, id, '100', '2025-05-01');
      const payers = 12;
      const pool = createSql(db.url, { max: payers });
      try {
        // Every connection opened before the race, so that the payments really overlap.
        await Promise.all(Array.from({ length: payers }, () => pool`select pg_sleep(0.02)`));
        const outcomes = await Promise.allSettled(
          Array.from({ length: payers }, (_, index) =>
            pool.begin(`isolation level ${isolation}`, async (tx) => {
              await tx`select pg_sleep(0.05)`;
              await tx`insert into cash_movements (account_id, movement_date, amount, currency, section, description)
                values (${id}, '2025-05-02', -30, 'USD', 'EXPENSE', ${`payment ${index}`})`;
            }),
          ),
        );
        const refused = outcomes.flatMap((outcome) =>
          outcome.status === 'rejected' ? [outcome.reason as { code?: string; constraint_name?: string }] : [],
        );
        // Under REPEATABLE READ the loser of a race fails to serialize rather than see the winner's payment.
        for (const reason of refused) {
          expect(reason.constraint_name === 'cash_overdraft' || reason.code === '40001', JSON.stringify(reason)).toBe(true);
        }
        const paid = payers - refused.length;
        if (isolation === 'read committed') expect(paid).toBe(3);
        else expect(paid).toBeGreaterThanOrEqual(1);
        expect(paid).toBeLessThanOrEqual(3);
        expect(await balance(id)).toBe(String(100 - 30 * paid));
      } finally {
        await pool.end();
      }
    });
  }
});

describe('who sees and operates which accounts', () => {
  it('follows ownership, membership and the organization admin’s view of EXPENSE accounts', async () => {
    for (const [login, expected] of Object.entries(VISIBLE)) {
      const rows = await db.sql<
        { id: string }[]
      >`select account_id::text as id from accounts_visible_to(${login}) where account_id <= 9 order by 1`;
      expect(
        rows.map((row) => row.id),
        login,
      ).toEqual(expected);
    }
    for (const [login, expected] of Object.entries(OPERABLE)) {
      const rows = await db.sql<
        { id: string }[]
      >`select account_id::text as id from accounts_operable_by(${login}) where account_id <= 9 order by 1`;
      expect(
        rows.map((row) => row.id),
        login,
      ).toEqual(expected);
    }
    expect(await db.sql`select * from accounts_visible_to('nobody')`).toHaveLength(0);
  });
});
