import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportTradesDocument, PortfolioPositionsDocument, RecordTradeDocument } from '../generated/graphql.js';
import { dataOf } from '../support/graphql-client.js';
import { useTestDatabase } from '../support/database.js';
import { useGraphServer } from '../graph/book.js';
import { normal, tradingBook } from './support.js';

const db = useTestDatabase();
const { execute } = useGraphServer(db, tradingBook);
const HEADER = 'account_ref,trade_time,symbol,isin,side,qty,price,fees,currency,external_id';
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

async function importCsv(text: string) {
  return dataOf(await execute(ImportTradesDocument, { csv: text })).importTrades;
}

async function tradeCount(): Promise<number> {
  const [row] = await db.sql<[{ count: number }]>`select count(*)::int as count from transactions`;
  return row.count;
}

describe('importTrades', () => {
  it('rejects a file with mixed errors, importing nothing and listing every error by line and column', async () => {
    const result = await importCsv(
      csv(
        HEADER,
        'Fifo,2025-01-02,,US0000000001,BUY,100,10,1,USD,e-1',
        'Nobody,2025-01-02,,US0000000001,BUY,1,10,,,',
        'Fifo,2025-13-01,,US0000000001,HOLD,1,10,,,',
        'Fifo,2025-01-02,Acme,,buy,0,-1,,,',
        'Fifo,2025-01-02,,XX0000000000,SELL,1,10,,,',
        'Fifo,2025-01-02,Old Bond,,BUY,1,10,,,',
        'Fifo,2025-01-02,Twin,,BUY,1,10,,,',
        'Fifo,2025-01-02,,DE0000000002,BUY,1,10,,USD,',
        'Fifo,2999-01-02,,US0000000001,BUY,1,10,,,',
        'Fifo,2025-01-02',
        'Fifo,2025-01-02T10:00:00Z,,US0000000001,BUY,1,10,abc,,',
        'Fifo,2025-01-02,,,BUY,1,10,,,',
        'Fifo,2025-01-02,Acme,,SELL,1,10,,eur,',
      ),
    );
    expect(result).toMatchObject({ rows: 13, imported: 0, duplicates: 0 });
    expect(result.errors.map((error) => [error.line, error.column])).toEqual([
      [3, 'account_ref'],
      [4, 'trade_time'],
      [4, 'side'],
      [5, 'qty'],
      [5, 'price'],
      [6, 'isin'],
      [7, 'symbol'],
      [8, 'symbol'],
      [9, 'currency'],
      [10, 'trade_time'],
      [11, null],
      [12, 'fees'],
      [13, 'symbol'],
      [14, 'currency'],
    ]);
    const messages = result.errors.map((error) => error.message);
    expect(messages).toEqual([
      'no portfolio is named Nobody',
      expect.stringContaining('trade_time must be an ISO date or timestamp'),
      'side must be BUY or SELL, got "HOLD"',
      'qty must be greater than 0',
      expect.stringContaining('price must be a decimal number'),
      'no asset has the ISIN XX0000000000',
      'asset 3 is MATURED; only ACTIVE assets trade',
      '2 assets are named Twin: give the isin',
      'currency must be EUR, the currency of asset 2',
      'trade_time 2999-01-02 is in the future',
      'the row has 2 fields, the header 10',
      expect.stringContaining('fees must be a decimal number'),
      'symbol or isin is required',
      'currency must be USD, the currency of asset 1',
    ]);
    expect(await tradeCount()).toBe(0);
  });

  it('rejects a bad header, a broken quote and an empty file', async () => {
    expect((await importCsv(csv('account_ref,when,side,qty', 'Fifo,2025-01-02,BUY,1'))).errors).toEqual([
      { line: 1, column: 'when', message: expect.stringContaining('"when" is not a column of the format') },
      { line: 1, column: 'trade_time', message: 'the required column trade_time is missing' },
      { line: 1, column: 'symbol', message: 'the file needs a symbol or an isin column to name the assets' },
      { line: 1, column: 'price', message: 'the required column price is missing' },
    ]);
    const broken = await importCsv(csv(HEADER, 'Fifo,2025-01-02,,US0000000001,BUY,1,10,,,', 'Fifo,"2025-01-02,,US0000000001,BUY,1,10,,,'));
    expect(broken.errors).toEqual([{ line: 3, column: null, message: expect.stringContaining('Quote Not Closed') }]);
    expect((await importCsv('')).errors).toEqual([{ line: 1, column: null, message: expect.stringContaining('the file is empty') }]);
    expect(await tradeCount()).toBe(0);
  });

  it('turns values PostgreSQL cannot store into row errors with line and column, not a failed import', async () => {
    const result = await importCsv(
      csv(
        HEADER,
        'Fifo,0000-01-01,,US0000000001,BUY,1,10,,,',
        'Fifo,0000-06-30T10:00:00Z,,US0000000001,BUY,1,10,,,',
        'Fi\u0000fo,2025-01-02,,US0000000001,BUY,1,10,,,',
        'Fifo,10000-01-01,,US0000000001,BUY,1,10,,,',
        `Fifo,2025-01-02,,US0000000001,BUY,${'9'.repeat(25)},10,,,`,
        `Fifo,2025-01-02,,US0000000001,BUY,1,10,,,${'e'.repeat(101)}`,
      ),
    );
    expect(result).toMatchObject({ rows: 6, imported: 0 });
    expect(result.errors).toEqual([
      { line: 2, column: 'trade_time', message: expect.stringContaining('from 0001-01-01 to 9999-12-31, got "0000-01-01"') },
      { line: 3, column: 'trade_time', message: expect.stringContaining('from 0001-01-01 to 9999-12-31') },
      { line: 4, column: 'account_ref', message: 'account_ref must not contain NUL characters' },
      { line: 5, column: 'trade_time', message: expect.stringContaining('from 0001-01-01 to 9999-12-31, got "10000-01-01"') },
      { line: 6, column: 'qty', message: expect.stringContaining('qty must be a decimal number') },
      { line: 7, column: 'external_id', message: 'external_id must be at most 100 characters long' },
    ]);
    expect(await tradeCount()).toBe(0);
  });

  it('imports a good file, in file order within a day, with lots and realized results', async () => {
    const result = await importCsv(
      csv(
        'External_ID,Side,ISIN,Symbol,Account_Ref,Trade_Time,Qty,Price,Fees',
        'e-1,BUY,US0000000001,,Fifo,2025-01-02,100,95,',
        'e-2,buy,,Acme,Fifo,2025-01-03T09:30:00-05:00,200,105,0',
        'e-3,BUY,US0000000001,,Fifo,2025-01-06,100,107,',
        'e-4,SELL,US0000000001,,Fifo,2025-01-06 15:00,150,110,',
        'e-5,Buy,,Acme,Fifo,2025-01-07,50,100,',
        'e-6,BUY,US0000000001,,Fifo,2025-01-08,300,107.5,',
        'e-7,SELL,US0000000001,,Fifo,2025-01-09,200,108,',
      ),
    );
    expect(result).toEqual({ rows: 7, imported: 7, duplicates: 0, errors: [] });
    const { portfolio } = dataOf(await execute(PortfolioPositionsDocument, { id: '1' }));
    expect([normal(portfolio!.pnl.realized), normal(portfolio!.pnl.unrealized)]).toEqual(['2250', '600']);
    expect(portfolio!.positions[0]!.lots).toHaveLength(3);
    const dates = await db.sql`select transaction_date, total_amount::text from transactions where external_id = 'e-2'`;
    expect(dates).toEqual([{ transaction_date: '2025-01-03', total_amount: '21000' }]);
  });

  it('skips and counts external_ids already recorded or repeated in the file', async () => {
    const before = await tradeCount();
    const result = await importCsv(
      csv(
        HEADER,
        'Spare,2025-01-02,,US0000000001,BUY,10,10,,,e-1',
        'Spare,2025-01-02,,US0000000001,BUY,10,10,,,n-1',
        'Spare,2025-01-03,,US0000000001,BUY,10,10,,,n-1',
        'Spare,2025-01-03,,US0000000001,BUY,5,10,,,',
        'Spare,2025-01-04,,US0000000001,SELL,15,10,,,n-2',
      ),
    );
    expect(result).toEqual({ rows: 5, imported: 3, duplicates: 2, errors: [] });
    expect(await tradeCount()).toBe(before + 3);
    expect(await importCsv(csv(HEADER, 'Spare,2025-01-02,,US0000000001,BUY,10,10,,,n-1'))).toEqual({
      rows: 1,
      imported: 0,
      duplicates: 1,
      errors: [],
    });
  });

  it('checks oversells over the file as a whole and against the recorded timeline', async () => {
    const before = await tradeCount();
    const oversold = await importCsv(
      csv(
        HEADER,
        'Mixed,2025-01-02,,US0000000001,SELL,5,10,,,',
        'Mixed,2025-01-02,,US0000000001,BUY,10,10,,,',
        'Mixed,2025-01-03,,US0000000001,SELL,10,10,,,',
        'Mixed,2025-01-04,,US0000000001,SELL,1,10,,,',
      ),
    );
    expect(oversold.errors).toEqual([
      { line: 2, column: 'qty', message: 'qty 5 exceeds the 0 that portfolio 4 holds of asset 1 on 2025-01-02' },
    ]);

    dataOf(
      await execute(RecordTradeDocument, {
        input: { assetId: '2', portfolioId: '4', type: 'BUY', date: '2025-01-02', quantity: '100', price: '1' },
      }),
    );
    dataOf(
      await execute(RecordTradeDocument, {
        input: { assetId: '2', portfolioId: '4', type: 'SELL', date: '2025-01-10', quantity: '80', price: '1' },
      }),
    );
    const backdated = await importCsv(
      csv(HEADER, 'Mixed,2025-01-03,,DE0000000002,BUY,5,1,,,', 'Mixed,2025-01-05,,DE0000000002,SELL,30,1,,,'),
    );
    expect(backdated.errors).toEqual([
      {
        line: 3,
        column: 'qty',
        message: expect.stringMatching(
          /^this SELL leaves the later SELL \d+ of 80 on 2025-01-10 uncovered: portfolio 4 would hold 75 of asset 2 then$/,
        ),
      },
    ]);
    expect(await tradeCount()).toBe(before + 2);

    // The purchase of the file covers its own sale.
    expect(
      await importCsv(csv(HEADER, 'Mixed,2025-01-03,,DE0000000002,BUY,10,1,,,', 'Mixed,2025-01-05,,DE0000000002,SELL,30,1,,,')),
    ).toMatchObject({ imported: 2, errors: [] });
  });
});

describe('npm run import', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const { DATABASE_URL: _inherited, ...env } = process.env;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/import.ts', file],
        { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...env, NODE_ENV: 'test', DATABASE_URL: db.url }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('imports a file, or prints every error and exits with 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'asset360-import-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'good.csv'), csv(HEADER, 'Spare,2025-01-06,,US0000000001,BUY,1,10,,,cli-1'));
    await writeFile(
      path.join(dir, 'bad.csv'),
      csv(HEADER, 'Spare,2025-01-06,,US0000000001,BUY,x,10,,,cli-2', 'Nobody,2025-01-06,,US0000000001,BUY,1,10,,,'),
    );

    const good = await run(path.join(dir, 'good.csv'));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/imported 1 of 1 rows, skipped 0 duplicates/);
    const bad = await run(path.join(dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^line 2, qty: qty must be a decimal number/m);
    expect(bad.stderr).toMatch(/^line 3, account_ref: no portfolio is named Nobody/m);
    expect(bad.stderr).toMatch(/rejected with 2 errors in 2 rows; nothing imported/);
    const missing = await run(path.join(dir, 'missing.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
  });
});
