/**
 * Failures that another attempt can cure: the connection went away (08xxx, a server shutting
 * down, a client-side socket error), the server is short of connections, or the transaction lost
 * a race (serialization failure, deadlock, lock timeout). Anything else is about the data or the
 * procedure and fails the same way on every attempt.
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

const TRANSIENT_CLIENT_CODES = new Set([
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

export function isTransientDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    for (const field of ['code', 'sqlState']) {
      const code = (current as Record<string, unknown>)[field];
      if (typeof code !== 'string') continue;
      if (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CLIENT_CODES.has(code)) return true;
    }
  }
  return false;
}
