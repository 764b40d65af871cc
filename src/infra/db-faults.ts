import postgres from 'postgres';

/**
 * The database is out of reach rather than the statement wrong: the connection went away (08xxx, a
 * server shutting down or starting up, a client-side socket error) or the server is short of
 * connections. Another attempt a moment later can succeed.
 */
const UNREACHABLE_SQLSTATES = new Set([
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

const UNREACHABLE_CLIENT_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Follows `cause` a few levels, since callers wrap errors. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    for (const field of ['code', 'sqlState']) {
      const code = (current as Record<string, unknown>)[field];
      if (typeof code !== 'string') continue;
      if (code.startsWith('08') || UNREACHABLE_SQLSTATES.has(code) || UNREACHABLE_CLIENT_CODES.has(code)) return true;
    }
  }
  return false;
}

/**
 * SQLSTATE class 22 (data exception: a value out of range, malformed, with a NUL…) or 23 (integrity
 * constraint violation): the database refused a value. Input checks should have caught it first.
 */
export function isDataRefusal(error: unknown): error is postgres.PostgresError {
  return error instanceof postgres.PostgresError && /^2[23]/.test(error.code);
}
