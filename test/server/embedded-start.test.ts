import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from '../support/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function npmStart(dataDir: string): Promise<Started> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DEMO_ASSETS: '40',
    DEMO_DAYS: '80',
    DEMO_PORTFOLIOS: '3',
    WORKER: 'off',
  };
  delete env.DATABASE_URL;
  delete env.AUTH_MODE;
  // Its own process group, so that a stop signals npm, node and PostgreSQL together, as Ctrl-C does.
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not serve within 150 s:\n${output}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /asset360 GraphQL endpoint: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM to the group; resolves once every process of it (npm, node, PostgreSQL) has exited. */
async function stop(child: ChildProcess): Promise<{ seconds: number }> {
  const started = performance.now();
  process.kill(-child.pid!, 'SIGTERM');
  while (groupAlive(child.pid!) && performance.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
  return { seconds: (performance.now() - started) / 1000 };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start with no DATABASE_URL', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts an embedded PostgreSQL, seeds a demo book once, serves it, and stops cleanly', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'asset360-start-'));
    const first = await npmStart(dataDir);
    children.push(first.child);
    expect(first.output()).toMatch(/first run: seeding a demo book of 40 assets/);

    const answer = await graphql(
      first.url,
      `
        {
          asset(id: "1") {
            id
            name
            assetType
          }
        }
      `,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.asset).toMatchObject({ id: '1' });
    const stats = await graphql(
      first.url,
      `
        {
          a: asset(id: "40") {
            id
          }
          b: asset(id: "41") {
            id
          }
        }
      `,
    );
    expect(stats.data).toEqual({ a: { id: '40' }, b: null });

    const stopped = await stop(first.child);
    expect(stopped.seconds).toBeLessThan(10);
    expect(first.output()).toMatch(/shutting down \(SIGTERM\)[\s\S]*stopped/);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await npmStart(dataDir);
    children.push(second.child);
    expect(second.output()).not.toMatch(/seeding/);
    const again = await graphql(
      second.url,
      `
        {
          asset(id: "40") {
            id
          }
        }
      `,
    );
    expect(again.data).toEqual({ asset: { id: '40' } });
    expect((await stop(second.child)).seconds).toBeLessThan(10);
    expect(second.output()).toMatch(/stopped/);
  }, 400_000);
});
