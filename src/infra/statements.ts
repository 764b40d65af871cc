import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<{ statements: number }>();

/** Runs `fn` (an HTTP request, say) with a counter of the SQL statements sent on its behalf. */
export function countingStatements<T>(fn: () => T): T {
  return scope.run({ statements: 0 }, fn);
}

/** The statements counted so far in the current scope; undefined outside one. */
export function statementsSoFar(): number | undefined {
  return scope.getStore()?.statements;
}

/**
 * For the pool's `debug` option, which postgres.js calls as it sends each statement. It is called
 * in the asking request's async context, except for a statement that had to wait for a free
 * connection: that one counts for the request whose statement freed the connection, if any.
 */
export function countStatement(): void {
  const store = scope.getStore();
  if (store) store.statements += 1;
}
