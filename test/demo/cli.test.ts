import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number;
  stderr: string;
}

function seed(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/seed.ts', ...args],
      { cwd: root, env: { ...inherited, AUTH_MODE: 'off', NODE_ENV: 'test', DATABASE_URL: db.url, ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

async function assetCount(): Promise<number> {
  const [row] = await db.sql<{ count: string }[]>`select count(*) from asset_master`;
  return Number(row!.count);
}

describe('npm run seed', () => {
  it.each([
    [['--assets', 'abc'], /--assets must be an integer from 1 to 1000000 \(got "abc"\)/],
    [['--assets', '0'], /--assets must be an integer/],
    [['--days', '1'], /--days must be an integer from 2/],
    [['--portfolios', '-3'], /--portfolios/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--as-of', '2026-02-30'], /--as-of must be a date written YYYY-MM-DD \(got "2026-02-30"\)/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j naming the flag', async (args, message) => {
    const run = await seed(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });

  it('needs DATABASE_URL', async () => {
    const run = await seed(['--assets', '5'], { DATABASE_URL: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^seed: DATABASE_URL is not set/);
  });

  it('seeds, refuses to seed again, and reseeds with --reset', async () => {
    const args = ['--assets', '12', '--days', '30', '--portfolios', '2', '--seed', '5', '--as-of', '2026-11-20'];
    expect(await seed(args)).toMatchObject({ code: 0 });
    expect(await assetCount()).toBe(12);

    const refused = await seed(['--assets', '20', '--days', '30', '--as-of', '2026-11-20']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^seed: refusing to seed: .* already hold data; pass --reset to replace everything$/);
    expect(await assetCount()).toBe(12);

    expect(await seed(['--assets', '20', '--days', '30', '--as-of', '2026-11-20', '--reset'])).toMatchObject({ code: 0 });
    expect(await assetCount()).toBe(20);
  });
});
