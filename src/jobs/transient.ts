import { isDatabaseUnreachable } from '../infra/db-faults.js';

/**
 * Failures that another attempt can cure: the database was out of reach (see isDatabaseUnreachable),
 * or the transaction lost a race (serialization failure, deadlock, lock timeout). Anything else is
 * about the data or the procedure and fails the same way on every attempt.
 */
const RACE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

export function isTransientDatabaseError(error: unknown): boolean {
  if (isDatabaseUnreachable(error)) return true;
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    for (const field of ['code', 'sqlState']) {
      const code = (current as Record<string, unknown>)[field];
      if (typeof code === 'string' && RACE_SQLSTATES.has(code)) return true;
    }
  }
  return false;
}
