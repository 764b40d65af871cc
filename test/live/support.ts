import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T = any> {
  /** Every `next` payload so far. */
  results: Array<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Resolves with the n-th result (1-based) once it has arrived. */
  nth(n: number, timeoutMs?: number): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Settles when the server completes the subscription or it fails (a close event, or errors). */
  ended: Promise<{ error?: unknown }>;
  unsubscribe(): void;
}

export interface WsClient {
  client: Client;
  closes: Array<{ code: number; reason: string }>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Subscription<T>;
  dispose(): Promise<void>;
}

/** A real graphql-ws client over `ws`, the way a frontend connects: the token in connection_init. */
export function wsClient(httpUrl: string, token?: string): WsClient {
  const closes: Array<{ code: number; reason: string }> = [];
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => closes.push({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }),
    },
  });
  return {
    client,
    closes,
    subscribe(query, variables) {
      const results: Subscription['results'] = [];
      const waiters = new Set<() => void>();
      let end!: (value: { error?: unknown }) => void;
      const ended = new Promise<{ error?: unknown }>((resolve) => (end = resolve));
      const unsubscribe = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            results.push(value as Subscription['results'][number]);
            for (const wake of waiters) wake();
          },
          error: (error) => end({ error }),
          complete: () => end({}),
        },
      );
      return {
        results,
        ended,
        unsubscribe,
        nth(n, timeoutMs = 20_000) {
          return new Promise((resolve, reject) => {
            const check = () => {
              if (results.length < n) return;
              cleanup();
              resolve(results[n - 1]!);
            };
            const timer = setTimeout(() => {
              cleanup();
              reject(new Error(`result ${n} did not arrive within ${timeoutMs} ms; got ${JSON.stringify(results)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
      };
    },
    async dispose() {
      await client.dispose();
    },
  };
}
