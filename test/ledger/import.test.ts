import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { mintToken } from '../../src/auth/token.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { AUTH_ON, SECRET } from '../security/support.js';
import { deposit, ledgerBook } from './support.js';

const db = useTestDatabase();
let server: TestServer;
const HEADER =
  'external_id,account_ref,date,amount,currency,section,category,description,counterparty_name,counterparty_account,transfer_group_id';
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

beforeAll(async () => {
  await ledgerBook(db.sql);
  await deposit(db.sql, '4', '1000', '2025-01-02');
  await db.sql`insert into cash_category_rules (field, pattern, category, priority) values
    ('DESCRIPTION', 'salary', 'Salary', 1), ('COUNTERPARTY', 'grocer', 'Groceries', 2), ('DESCRIPTION', 'card', 'Card', 3)`;
  server = await startTestServer(db.sql, AUTH_ON);
});

afterAll(() => server?.close());

async function importAs(text: string, login?: string, role: Role = 'ADMIN') {
  const token = await mintToken(SECRET, { role, portfolios: role === 'VIEWER' ? ['1'] : undefined, subject: login, ttl: '10m' });
  const response: GraphQLResponse<any> = await graphql(
    server.url,
    'mutation($csv: String!) { importCashTransactions(csv: $csv) { rows imported duplicates errors { line column message } } }',
    { csv: text },
    { authorization: `Bearer ${token}` },
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.importCashTransactions;
}

async function state() {
  const [row] = await db.sql<[{ movements: number; groups: number }]>`
    select count(*)::int as movements, count(distinct transfer_group)::int as groups from cash_movements`;
  return row;
}

async function balance(accountId: string): Promise<string> {
  const [row] = await db.sql<[{ balance: string }]>`
    select coalesce(sum(amount), 0)::text as balance from cash_movements where account_id = ${accountId}::bigint`;
  return row.balance;
}

const GOOD = csv(
  HEADER,
  'i-1,Alice Checking,2025-03-01,2500.00,USD,INCOME,,March salary,Employer Inc,,',
  'i-2,Alice Checking,2025-03-02,-42.10,usd,EXPENSE,,weekly shop,Corner Grocer,,',
  'i-3,Alice Checking,2025-03-03T09:30:00Z,-15,USD,EXPENSE,Fun,card payment,,,',
  'i-4,Alice Checking,2025-03-04,-500,USD,TRANSFER,,to savings,,,g-1',
  'i-5,Alice Savings,2025-03-04,500,USD,TRANSFER,,from checking,,,g-1',
  'i-6,DE89 3704 0044 0532 0130 00,2025-03-05,-100,EUR,TRANSFER,,to globex,,,g-2',
  'i-7,Globex Operating,2025-03-05,108.45,USD,TRANSFER,,from acme,,,g-2',
  'i-8,Alice Checking,2025-03-06,-20,USD,TRANSFER,,to a friend,Friend,GB29NWBK60161331926819,',
  ',Alice Checking,2025-03-07,-1,USD,EXPENSE,,no id,,,',
);

describe('importCashTransactions', () => {
  it('imports a good file: categories by rule, transfer groups by file group, rates from both amounts', async () => {
    const before = await state();
    expect(await importAs(GOOD)).toEqual({ rows: 9, imported: 9, duplicates: 0, errors: [] });
    const rows = await db.sql<{ externalId: string | null; category: string | null; group: string | null; rate: string | null }[]>`
      select external_id as "externalId", category, transfer_group::text as "group", trim_scale(fx_rate)::text as rate
      from cash_movements where movement_id > (select coalesce(max(movement_id), 0) - 9 from cash_movements) order by movement_id`;
    expect(rows.map((row) => [row.externalId, row.category])).toEqual([
      ['i-1', 'Salary'],
      ['i-2', 'Groceries'],
      ['i-3', 'Fun'],
      ['i-4', null],
      ['i-5', null],
      ['i-6', null],
      ['i-7', null],
      ['i-8', null],
      [null, null],
    ]);
    expect(rows[3]!.group).toBe(rows[4]!.group);
    expect(rows[5]!.group).toBe(rows[6]!.group);
    expect(rows[3]!.group).not.toBe(rows[5]!.group);
    expect([rows[5]!.rate, rows[6]!.rate]).toEqual(['1.0845', '1.0845']);
    expect(await state()).toEqual({ movements: before.movements + 9, groups: before.groups + 2 });
    expect(await balance('1')).toBe('1921.90');
  });

  it('skips the rows whose external_id it booked before, groups included', async () => {
    const before = await state();
    expect(await importAs(GOOD)).toMatchObject({ rows: 9, imported: 1, duplicates: 8, errors: [] });
    expect(await state()).toEqual({ movements: before.movements + 1, groups: before.groups });
  });

  it('rejects a file with mixed errors, importing nothing and listing every error by line and column', async () => {
    const before = await state();
    const result = await importAs(
      csv(
        HEADER,
        'e-1,Alice Checking,2025-03-10,10,USD,INCOME,,,,,',
        'e-2,Nobody,2025-03-10,10,USD,INCOME,,,,,',
        'e-3,Alice Checking,2025-02-30,0,USD,GIFT,,,,,',
        'e-4,Alice Checking,2025-03-10,1.005,USD,INCOME,,,,,',
        'e-5,Alice Checking,2025-03-10,10,EUR,INCOME,,,,,',
        'e-6,Alice Checking,2999-01-01,10,USD,INCOME,,,,,',
        'e-7,Alice Checking,2025-03-10,-10,USD,TRANSFER,,,,,',
        'e-8,Alice Checking,2025-03-10,-10,USD,EXPENSE,,,,,g-9',
        'e-9,Alice Checking,2025-03-10,-10,USD,TRANSFER,,,,,g-3',
        'e-10,Alice Savings,2025-03-10,9.99,USD,TRANSFER,,,,,g-3',
        'e-11,Alice Checking,2025-03-10,-1,USD,TRANSFER,,,,,g-4',
        'e-12,Alice Checking',
      ),
    );
    expect(result).toMatchObject({ rows: 12, imported: 0, duplicates: 0 });
    expect(result.errors.map((error: { line: number; column: string | null }) => [error.line, error.column])).toEqual([
      [3, 'account_ref'],
      [4, 'date'],
      [4, 'amount'],
      [4, 'section'],
      [5, 'amount'],
      [6, 'currency'],
      [7, 'date'],
      [8, 'counterparty_name'],
      [9, 'section'],
      [10, 'transfer_group_id'],
      [11, 'transfer_group_id'],
      [12, 'transfer_group_id'],
      [13, null],
    ]);
    expect(result.errors[9].message).toBe('transfer group g-3: the legs of this transfer group sum to -0.01 USD, not zero');
    expect(result.errors[11].message).toContain('one leg');
    expect(await state()).toEqual(before);
  });

  it('rejects a bad header and an empty file', async () => {
    expect((await importAs('account_ref,when,amount\n')).errors).toEqual([
      { line: 1, column: 'when', message: expect.stringContaining('"when" is not a column') },
      { line: 1, column: 'date', message: 'the required column date is missing' },
      { line: 1, column: 'currency', message: 'the required column currency is missing' },
      { line: 1, column: 'section', message: 'the required column section is missing' },
    ]);
    expect((await importAs('')).errors).toEqual([{ line: 1, column: null, message: expect.stringContaining('the file is empty') }]);
  });

  it('rejects the file at the line that would overdraw an account', async () => {
    const before = await state();
    const result = await importAs(
      csv(HEADER, 'o-1,Alice Savings,2025-03-20,-100,USD,EXPENSE,,,,,', 'o-2,Alice Savings,2025-03-21,-10000,USD,EXPENSE,,,,,'),
    );
    expect(result.errors).toEqual([{ line: 3, column: 'amount', message: expect.stringContaining('below its overdraft limit of 0') }]);
    expect(await state()).toEqual(before);
  });

  it('books only into accounts the importing user may pay from', async () => {
    const result = await importAs(
      csv(HEADER, 'u-1,Carol Expenses,2025-03-10,5,EUR,INCOME,,,,,', 'u-2,Acme Operating,2025-03-10,5,EUR,INCOME,,,,,'),
      'carol',
      'ANALYST',
    );
    expect(result.errors).toEqual([
      { line: 3, column: 'account_ref', message: 'no account you may pay from has the name or IBAN Acme Operating' },
    ]);
    expect(await importAs(csv(HEADER, 'u-3,Carol Expenses,2025-03-10,5,EUR,INCOME,,,,,'), 'carol', 'ANALYST')).toMatchObject({
      imported: 1,
    });
  });
});

describe('npm run import:cash', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const { DATABASE_URL: _inherited, ...env } = process.env;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/import-cash.ts', file],
        { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...env, NODE_ENV: 'test', DATABASE_URL: db.url }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('imports a file, or prints every error and exits with 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'asset360-cash-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'good.csv'), csv(HEADER, 'cli-1,Globex Operating,2025-03-10,7,USD,INCOME,,,,,'));
    await writeFile(
      path.join(dir, 'bad.csv'),
      csv(HEADER, 'cli-2,Globex Operating,2025-03-10,x,USD,INCOME,,,,,', 'cli-3,Nobody,2025-03-10,1,USD,INCOME,,,,,'),
    );
    const good = await run(path.join(dir, 'good.csv'));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/imported 1 of 1 rows, skipped 0 duplicates/);
    const bad = await run(path.join(dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^line 2, amount: amount must be a decimal number/m);
    expect(bad.stderr).toMatch(/^line 3, account_ref: no account you may pay from has the name or IBAN Nobody/m);
    expect(bad.stderr).toMatch(/rejected with 2 errors in 2 rows; nothing imported/);
  });
});
