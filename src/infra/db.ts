import postgres from 'postgres';
import { within } from '../lib/timeout.js';
import { ConnectionGate, gated } from './db-gate.js';

export type Sql = postgres.Sql;

const DATE_OID = 1082;

export interface SqlOptions {
  max?: number;
  onnotice?: (notice: postgres.Notice) => void;
  connection?: Record<string, string | number | boolean>;
  /**
   * How long a statement may wait for a connection, a new connection included, before it fails with
   * UNAVAILABLE; unbounded (postgres.js's own queue) when absent. Only the API's pool sets it: a
   * request should fail fast, while a build or a migration may wait for the database.
   */
  waitTimeoutMs?: number;
  /** Called with every statement sent; tests count statements with it. */
  debug?: (connection: number, query: string, parameters: unknown[], paramTypes: unknown[]) => void;
}

/**
 * numeric and bigint stay strings (exact money, ids beyond 2^53); dates stay YYYY-MM-DD strings,
 * because a JS Date would move them through the server's time zone.
 */
export function createSql(url: string, options: SqlOptions = {}): Sql {
  const max = options.max ?? 10;
  const sql = postgres(url, {
    max,
    idle_timeout: 30,
    // postgres.js takes seconds, fractions included.
    connect_timeout: options.waitTimeoutMs === undefined ? 10 : options.waitTimeoutMs / 1000,
    backoff: reconnectDelaySeconds,
    onnotice: options.onnotice ?? (() => {}),
    connection: { application_name: 'asset360', ...options.connection },
    ...(options.debug ? { debug: options.debug } : {}),
    types: {
      date: {
        to: DATE_OID,
        from: [DATE_OID],
        serialize: (value: string) => value,
        parse: (value: string) => value,
      },
    },
  });
  return options.waitTimeoutMs === undefined ? sql : gated(sql, new ConnectionGate(max, options.waitTimeoutMs));
}

/**
 * Seconds before a pool's next connection attempt, after `attempts` failed in a row (pool-wide,
 * reset by a success): 25–50 ms at first, doubling up to 250–500 ms. postgres.js's default grows to
 * 10–20 s, so that a pool came back long after the database did; jitter keeps the connections of
 * many processes from reconnecting in step.
 */
export function reconnectDelaySeconds(attempts: number): number {
  const ceiling = Math.min(0.05 * 2 ** Math.max(0, attempts - 1), 0.5);
  return ceiling * (0.5 + Math.random() / 2);
}

/**
 * The options of the API's pool: PostgreSQL stops any of its statements that runs longer than the
 * timeout, so that no request holds a connection for long. Migrations, builds and the worker use
 * pools without it.
 */
export function apiSqlOptions(statementTimeoutMs: number, options: SqlOptions = {}): SqlOptions {
  return { ...options, connection: { ...options.connection, statement_timeout: statementTimeoutMs } };
}

/** Whether the pool runs a statement within `timeoutMs`; it answers false by then at the latest. */
export async function isReachable(sql: Sql, timeoutMs = 1_000): Promise<boolean> {
  try {
    return await within(
      sql`select 1`.then(() => true),
      timeoutMs,
      () => false,
    );
  } catch {
    return false;
  }
}
