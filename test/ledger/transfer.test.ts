import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { mintToken } from '../../src/auth/token.js';
import { useTestDatabase } from '../support/database.js';
import { seededRandom } from '../support/random.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { AUTH_ON, SECRET } from '../security/support.js';
import { decimal, exact } from '../trades/support.js';
import { deposit, ledgerBook } from './support.js';

const db = useTestDatabase();
let server: TestServer;

beforeAll(async () => {
  await ledgerBook(db.sql);
  await db.sql`insert into fx_rates (currency, rate_date, rate_to_base) values ('EUR', '2025-01-02', 1.1)`;
  await deposit(db.sql, '1', '1000', '2025-01-02');
  await deposit(db.sql, '4', '1000', '2025-01-02');
  server = await startTestServer(db.sql, AUTH_ON);
});

afterAll(() => server?.close());

async function as(login: string | undefined, role: Role = 'VIEWER') {
  const token = await mintToken(SECRET, { role, portfolios: role === 'VIEWER' ? ['1'] : undefined, subject: login, ttl: '10m' });
  return (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<any>> =>
    graphql(server.url, query, variables, { authorization: `Bearer ${token}` });
}

const TRANSFER = `mutation($input: TransferInput!) {
  transfer(input: $input) { transferGroup movements { id amount currency section category fxRate externalId transferGroup account { id } } }
}`;

async function balance(accountId: string): Promise<string> {
  const [row] = await db.sql<[{ balance: string }]>`
    select coalesce(sum(amount), 0)::text as balance from cash_movements where account_id = ${accountId}::bigint`;
  return row.balance;
}

async function movementCount(): Promise<number> {
  const [row] = await db.sql<[{ count: number }]>`select count(*)::int as count from cash_movements`;
  return row.count;
}

function expectBadInput(response: GraphQLResponse<any>, argument: string): void {
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
}

describe('transfer', () => {
  it('moves money between two accounts as two legs of one group that sum to zero', async () => {
    const alice = await as('alice');
    const response = await alice(TRANSFER, {
      input: { fromAccountId: '1', toAccountId: '2', amount: '250.50', currency: 'USD', date: '2025-02-01', description: 'to savings' },
    });
    expect(response.errors).toBeUndefined();
    const { transferGroup, movements } = response.data.transfer;
    expect(transferGroup).toMatch(/^[0-9a-f-]{36}$/);
    expect(movements.map((leg: any) => [leg.account.id, leg.amount, leg.section, leg.transferGroup])).toEqual([
      ['1', '-250.50', 'TRANSFER', transferGroup],
      ['2', '250.50', 'TRANSFER', transferGroup],
    ]);
    expect(await balance('1')).toBe('749.50');
    expect(await balance('2')).toBe('250.50');
  });

  it('pays a counterparty as one leg, classified by the first matching rule', async () => {
    const analyst = await as(undefined, 'ANALYST');
    for (const [field, pattern, category, priority] of [
      ['DESCRIPTION', 'rent', 'Housing', 10],
      ['COUNTERPARTY', 'landlord', 'Landlords', 20],
      ['DESCRIPTION', 'RENT', 'Never: a later rule', 30],
    ] as const) {
      const rule = await analyst(
        'mutation($input: CashCategoryRuleInput!) { setCashCategoryRule(input: $input) { id category priority } }',
        { input: { field, pattern, category, priority } },
      );
      expect(rule.errors).toBeUndefined();
    }
    const alice = await as('alice');
    const paid = await alice(TRANSFER, {
      input: {
        fromAccountId: '1',
        counterpartyName: 'ACME Landlord Ltd',
        counterpartyAccount: 'GB29NWBK60161331926819',
        amount: '100',
        currency: 'USD',
        date: '2025-02-03',
        description: 'February Rent',
        section: 'EXPENSE',
      },
    });
    expect(paid.errors).toBeUndefined();
    expect(paid.data.transfer).toMatchObject({
      transferGroup: null,
      movements: [{ amount: '-100', section: 'EXPENSE', category: 'Housing' }],
    });
    const byCounterparty = await alice(TRANSFER, {
      input: {
        fromAccountId: '1',
        counterpartyName: 'The Landlord',
        counterpartyAccount: 'X1',
        amount: '1',
        currency: 'USD',
        date: '2025-02-03',
      },
    });
    expect(byCounterparty.data.transfer.movements[0]).toMatchObject({ section: 'TRANSFER', category: 'Landlords' });
    const rules = await analyst('{ cashCategoryRules { pattern priority } }');
    expect(rules.data.cashCategoryRules.map((rule: any) => rule.priority)).toEqual([10, 20, 30]);
  });

  it('converts between currencies at the given rate, or at the day’s, keeping the rate on both legs', async () => {
    const admin = await as(undefined, 'ADMIN');
    const given = await admin(TRANSFER, {
      input: { fromAccountId: '4', toAccountId: '8', amount: '100', currency: 'EUR', fxRate: '1.0845', date: '2025-02-03' },
    });
    expect(given.errors).toBeUndefined();
    expect(given.data.transfer.movements.map((leg: any) => [leg.amount, leg.currency, leg.fxRate])).toEqual([
      ['-100', 'EUR', '1.0845'],
      ['108.45', 'USD', '1.0845'],
    ]);
    const dayRate = await admin(TRANSFER, {
      input: { fromAccountId: '4', toAccountId: '8', amount: '10.01', currency: 'EUR', date: '2025-02-03' },
    });
    expect(dayRate.data.transfer.movements[1]).toMatchObject({ amount: '11.01', currency: 'USD' });
  });

  it('returns the same transfer for the same externalId, and refuses a different one under it', async () => {
    const alice = await as('alice');
    const input = { fromAccountId: '1', toAccountId: '3', amount: '5', currency: 'USD', date: '2025-02-04', externalId: 'alice-42' };
    const first = await alice(TRANSFER, { input });
    const count = await movementCount();
    const again = await alice(TRANSFER, { input });
    expect(again.data.transfer).toEqual(first.data.transfer);
    expect(await movementCount()).toBe(count);
    expectBadInput(await alice(TRANSFER, { input: { ...input, amount: '6' } }), 'input.externalId');
  });

  it('refuses, with nothing written, a transfer the account does not cover', async () => {
    const alice = await as('alice');
    const before = await movementCount();
    const response = await alice(TRANSFER, {
      input: { fromAccountId: '1', toAccountId: '2', amount: '100000', currency: 'USD', date: '2025-02-05' },
    });
    expectBadInput(response, 'input.amount');
    expect(response.errors![0]!.message).toContain('overdraft limit');
    expect(await movementCount()).toBe(before);
  });

  it('refuses accounts the viewer may not see, or may see but not pay from', async () => {
    const input = { fromAccountId: '4', toAccountId: '6', amount: '1', currency: 'EUR', date: '2025-02-05' };
    expectBadInput(await (await as('alice'))(TRANSFER, { input }), 'input.fromAccountId');
    const carol = await (await as('carol'))(TRANSFER, { input });
    expect(carol.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expectBadInput(
      await (
        await as('alice')
      )(TRANSFER, { input: { ...input, fromAccountId: '1', toAccountId: '8', currency: 'USD' } }),
      'input.toAccountId',
    );
    const bob = await (await as('bob'))(TRANSFER, { input });
    expect(bob.errors).toBeUndefined();
  });

  it('names the argument at fault', async () => {
    const alice = await as('alice');
    const base = { fromAccountId: '1', toAccountId: '2', amount: '1', currency: 'USD', date: '2025-02-05' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: '1.001' }, 'input.amount'],
      [{ amount: '0' }, 'input.amount'],
      [{ amount: '-5' }, 'input.amount'],
      [{ currency: 'EUR' }, 'input.currency'],
      [{ date: '2999-01-01' }, 'input.date'],
      [{ toAccountId: '1' }, 'input.toAccountId'],
      [{ toAccountId: null }, 'input.toAccountId'],
      [{ fxRate: '1.1' }, 'input.fxRate'],
      [{ section: 'INCOME' }, 'input.section'],
      [{ fromAccountId: 'x' }, 'input.fromAccountId'],
    ];
    const before = await movementCount();
    for (const [change, argument] of cases) expectBadInput(await alice(TRANSFER, { input: { ...base, ...change } }), argument);
    expect(await movementCount()).toBe(before);
  });

  it('lets through exactly the concurrent transfers the balance covers', async () => {
    const [{ id }] = await db.sql<[{ id: string }]>`
      insert into accounts (name, kind, owner_user_id, currency) values ('Alice Race', 'CHECKING', 1, 'USD') returning account_id::text as id`;
    await deposit(db.sql, id, '100', '2025-03-01');
    const alice = await as('alice');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        alice(TRANSFER, { input: { fromAccountId: id, toAccountId: '2', amount: '30', currency: 'USD', date: '2025-03-02' } }),
      ),
    );
    expect(responses.filter((response) => !response.errors)).toHaveLength(3);
    for (const response of responses.filter((response) => response.errors)) expectBadInput(response, 'input.amount');
    expect(await balance(id)).toBe('10');
  });
});

describe('balance(asOf)', () => {
  it('equals the sum of the legs up to and including the day, for any day', async () => {
    const random = seededRandom(17, 'balances');
    const [{ id }] = await db.sql<[{ id: string }]>`
      insert into accounts (name, kind, owner_user_id, currency, overdraft_limit) values ('Alice Random', 'CHECKING', 1, 'USD', 1000000)
      returning account_id::text as id`;
    const legs: Array<{ day: string; amount: string }> = [];
    for (let i = 0; i < 300; i++) {
      const day = `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const cents = Math.floor(random() * 2_000_000) - 1_000_000 || 1;
      legs.push({ day, amount: decimal(exact(String(cents)) / 100n) });
    }
    await db.sql`
      insert into cash_movements (account_id, movement_date, amount, currency, section)
      select ${id}::bigint, d, a, 'USD', case when a > 0 then 'INCOME' else 'EXPENSE' end
      from unnest(${legs.map((leg) => leg.day)}::date[], ${legs.map((leg) => leg.amount)}::numeric[]) as l(d, a)`;
    const alice = await as('alice');
    const days = ['2024-12-31', '2025-01-01', ...legs.slice(0, 20).map((leg) => leg.day), '2025-06-15', '2026-01-01'];
    for (const day of days) {
      const response = await alice('query($id: ID!, $day: Date) { account(id: $id) { balance(asOf: $day) } }', { id, day });
      const expected = legs.filter((leg) => leg.day <= day).reduce((sum, leg) => sum + exact(leg.amount), 0n);
      expect(exact(response.data.account.balance), day).toBe(expected);
    }
  });
});
