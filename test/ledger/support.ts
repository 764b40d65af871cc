import type { Sql } from '../../src/infra/db.js';

/**
 * Owners and accounts the ledger tests book against: an individual (alice), an organization (Acme)
 * administered by bob with carol as a member, another (Globex) administered by dave, and erin, who
 * owns nothing. Portfolios 1 and 2 exist for the brokerage links.
 */
export async function ledgerBook(sql: Sql): Promise<void> {
  await sql`insert into portfolios (portfolio_id, name) values (1, 'Alice Portfolio'), (2, 'Acme Portfolio'), (3, 'Unlinked')
    on conflict do nothing`;
  await sql`
    insert into users (user_id, login, name) values
      (1, 'alice', 'Alice Individual'), (2, 'bob', 'Bob Admin'), (3, 'carol', 'Carol Member'), (4, 'dave', 'Dave Globex'),
      (5, 'erin', 'Erin Nobody')`;
  await sql`insert into organizations (organization_id, name) values (1, 'Acme'), (2, 'Globex')`;
  await sql`insert into memberships (organization_id, user_id, role) values (1, 2, 'ADMIN'), (1, 3, 'MEMBER'), (2, 4, 'ADMIN')`;
  await sql`
    insert into accounts (account_id, name, kind, owner_user_id, owner_organization_id, currency, overdraft_limit, iban, portfolio_id) values
      (1, 'Alice Checking', 'CHECKING', 1, null, 'USD', 0, 'US12ALIC0000000001', null),
      (2, 'Alice Savings', 'SAVINGS', 1, null, 'USD', 0, null, null),
      (3, 'Alice Brokerage', 'BROKERAGE', 1, null, 'USD', 0, null, 1),
      (4, 'Acme Operating', 'OPERATING', null, 1, 'EUR', 5000, 'DE89370400440532013000', null),
      (5, 'Acme Brokerage', 'BROKERAGE', null, 1, 'EUR', 0, null, 2),
      (6, 'Carol Expenses', 'EXPENSE', 3, null, 'EUR', 0, null, null),
      (7, 'Carol Checking', 'CHECKING', 3, null, 'USD', 0, null, null),
      (8, 'Globex Operating', 'OPERATING', null, 2, 'USD', 0, null, null),
      (9, 'Bob Expenses', 'EXPENSE', 2, null, 'EUR', 0, null, null)`;
  await sql`select setval(pg_get_serial_sequence('accounts', 'account_id'), 9)`;
  await sql`select setval(pg_get_serial_sequence('users', 'user_id'), 5)`;
  await sql`select setval(pg_get_serial_sequence('organizations', 'organization_id'), 2)`;
}

/** Which accounts each login must see, and may pay from (accounts_visible_to, accounts_operable_by). */
export const VISIBLE: Record<string, string[]> = {
  alice: ['1', '2', '3'],
  bob: ['4', '5', '6', '9'],
  carol: ['4', '5', '6', '7'],
  dave: ['8'],
  erin: [],
};
export const OPERABLE: Record<string, string[]> = {
  alice: ['1', '2', '3'],
  bob: ['4', '5', '9'],
  carol: ['6', '7'],
  dave: ['8'],
  erin: [],
};

/** Books an income leg by raw SQL, so that accounts have money to move. */
export async function deposit(sql: Sql, accountId: string, amount: string, date: string): Promise<void> {
  await sql`
    insert into cash_movements (account_id, movement_date, amount, currency, section, category, description)
    select ${accountId}::bigint, ${date}::date, ${amount}::numeric, currency, 'INCOME', 'Salary', 'deposit'
    from accounts where account_id = ${accountId}::bigint`;
}
