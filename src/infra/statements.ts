/**
 * SQL statements the API pool has sent, counted by its `debug` hook. A plain counter rather than a
 * count per request: attributing each statement to its request took an AsyncLocalStorage scope,
 * whose promise hooks cost every request several percent of its CPU time. Per request, divide its
 * rate by the rate of GraphQL operations (docs/operations.md).
 */
let sent = 0;

export function countStatement(): void {
  sent += 1;
}

export function statementsSent(): number {
  return sent;
}
