import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { mintToken } from '../src/auth/token.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface ProductionServer {
  url: string;
  /** The Authorization header of an ADMIN token. */
  authorization: string;
  /** The server's resident set size now, in MB (Linux). */
  rssMb(): Promise<number>;
  /** Ends the server with SIGINT, so that it shuts down as in production (and writes a --cpu-prof profile). */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `node dist/main.js` as it runs in production (NODE_ENV=production, auth on, an ADMIN token, the
 * rate limit above any load) over DATABASE_URL, which must hold a built book. Run `npm run build` first.
 */
export async function startProductionServer(
  databaseUrl: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<ProductionServer> {
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      NODE_ENV: 'production',
      AUTH_MODE: 'on',
      JWT_SECRET: secret,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_REQUESTS: '1000000',
      WORKER: 'off',
      // What the benchmarks built on it measure is the work of a request; bench:graphql --cache turns it on.
      RESPONSE_CACHE: 'off',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let attempt = 0; ; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || attempt > 300) throw new Error('the server did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = await mintToken(secret, { role: 'ADMIN', subject: 'bench', ttl: '1d' });
  return {
    url,
    authorization: `Bearer ${token}`,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    async stop() {
      child.kill('SIGINT');
      await exited;
    },
  };
}
