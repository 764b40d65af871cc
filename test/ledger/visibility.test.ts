import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { mintToken } from '../../src/auth/token.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { AUTH_ON, SECRET } from '../security/support.js';
import { deposit, ledgerBook, VISIBLE } from './support.js';

const db = useTestDatabase();
let server: TestServer;
const ALL = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

beforeAll(async () => {
  await ledgerBook(db.sql);
  await db.sql`insert into fx_rates (currency, rate_date, rate_to_base) values ('EUR', '2025-01-02', 1.1)`;
  for (const id of ALL) await deposit(db.sql, id, '1000', '2025-01-02');
  // One expense in every account, so that every path has something to hide.
  await db.sql`
    insert into cash_movements (account_id, movement_date, amount, currency, section, category, description)
    select account_id, '2025-01-10', -10, currency, 'EXPENSE', 'Travel', 'taxi' from accounts`;
  server = await startTestServer(db.sql, AUTH_ON);
});

afterAll(() => server?.close());

async function as(login: string | undefined, role: Role = 'VIEWER') {
  const token = await mintToken(SECRET, { role, portfolios: role === 'VIEWER' ? ['1'] : undefined, subject: login, ttl: '10m' });
  return (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<any>> =>
    graphql(server.url, query, variables, { authorization: `Bearer ${token}` });
}

const ids = (list: Array<{ id: string }>) => list.map((item) => item.id).sort((a, b) => Number(a) - Number(b));

/** Each login, through every path that reaches accounts or their movements, against what the SQL functions say. */
const PEOPLE: Array<[string, Role, string[]]> = [
  ...Object.entries(VISIBLE).map(([login, accounts]) => [login, 'VIEWER', accounts] as [string, Role, string[]]),
  // Above VIEWER a user still sees only their accounts; only ADMIN sees the bank.
  ['bob', 'OPERATOR', VISIBLE.bob!],
  ['nobody', 'ANALYST', []],
];

describe.each(PEOPLE)('%s as %s', (login, role, expected) => {
  it('lists exactly its accounts in accounts, with a matching totalCount', async () => {
    const response = await (await as(login, role))('{ accounts(first: 500) { totalCount edges { node { id } } } }');
    expect(response.errors).toBeUndefined();
    expect(ids(response.data.accounts.edges.map((edge: { node: { id: string } }) => edge.node))).toEqual(expected);
    expect(response.data.accounts.totalCount).toBe(expected.length);
  });

  it('reads account(id) for its accounts only, and their movements and balances', async () => {
    const execute = await as(login, role);
    for (const id of ALL) {
      const response = await execute(
        'query($id: ID!) { account(id: $id) { id balance(asOf: "2025-12-31") movements(first: 10) { totalCount edges { node { id account { id } } } } } }',
        { id },
      );
      expect(response.errors).toBeUndefined();
      if (!expected.includes(id)) {
        expect(response.data.account, `account ${id}`).toBeNull();
        continue;
      }
      expect(response.data.account).toMatchObject({ id, balance: '990', movements: { totalCount: 2 } });
      for (const edge of response.data.account.movements.edges) expect(edge.node.account.id).toBe(id);
    }
  });

  it('counts only its accounts in spendingByCategory and cashFlow, even when it names others', async () => {
    const execute = await as(login, role);
    const response = await execute(
      `query($ids: [ID!]) {
        spendingByCategory(from: "2025-01-01", to: "2025-01-31", accountIds: $ids) { category currency amount count }
        cashFlow(from: "2025-01-01", to: "2025-01-31", accountIds: $ids) { currency inflow outflow count }
      }`,
      { ids: ALL },
    );
    expect(response.errors).toBeUndefined();
    const legs = response.data.spendingByCategory.reduce((sum: number, row: { count: number }) => sum + row.count, 0);
    expect(legs).toBe(expected.length);
    const flows = response.data.cashFlow.reduce((sum: number, row: { count: number }) => sum + row.count, 0);
    expect(flows).toBe(2 * expected.length);
  });

  it('sees its own user and the accounts under it', async () => {
    const response = await (
      await as(login, role)
    )('{ me { role subject seesAllAccounts user { login accounts { id } memberships { role organization { name accounts { id } } } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.me).toMatchObject({ role, subject: login, seesAllAccounts: false });
    if (response.data.me.user === null) {
      expect(expected).toEqual([]);
      return;
    }
    const reached = [
      ...response.data.me.user.accounts,
      ...response.data.me.user.memberships.flatMap(
        (membership: { organization: { accounts: Array<{ id: string }> } }) => membership.organization.accounts,
      ),
    ];
    for (const account of reached) expect(expected).toContain(account.id);
  });

  it('is refused the bank overview', async () => {
    const response = await (await as(login, role))('{ bankOverview { asOf } }');
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('the bank ADMIN', () => {
  it('sees every account and the overview of the whole bank', async () => {
    const execute = await as(undefined, 'ADMIN');
    const accounts = await execute('{ accounts(first: 500) { totalCount } me { seesAllAccounts user { id } } }');
    expect(accounts.data).toEqual({ accounts: { totalCount: ALL.length }, me: { seesAllAccounts: true, user: null } });
    const overview = await execute(
      `{ bankOverview(asOf: "2025-01-31", from: "2025-01-01", top: 3) {
        baseCurrency organizations { name accounts balances { currency amount } totalBase }
        individuals { name accounts } accountsAtRisk { account { id } }
        largestOutflows { amount } topCategories { category count }
      } }`,
    );
    expect(overview.errors).toBeUndefined();
    expect(overview.data.bankOverview.organizations).toEqual([
      { name: 'Acme', accounts: 2, balances: [{ currency: 'EUR', amount: '1980' }], totalBase: '2178.00' },
      { name: 'Globex', accounts: 1, balances: [{ currency: 'USD', amount: '990' }], totalBase: '990.00' },
    ]);
    expect(overview.data.bankOverview.individuals.map((owner: { name: string }) => owner.name).sort()).toEqual([
      'Alice Individual',
      'Bob Admin',
      'Carol Member',
    ]);
    expect(overview.data.bankOverview.accountsAtRisk).toEqual([]);
    expect(overview.data.bankOverview.largestOutflows).toHaveLength(3);
    expect(overview.data.bankOverview.topCategories).toEqual([{ category: 'Travel', count: 9 }]);
  });
});
