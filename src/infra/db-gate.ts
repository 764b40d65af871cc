import { UnavailableError } from '../lib/errors.js';
import type { Sql } from './db.js';
import { isDatabaseUnreachable } from './db-faults.js';

/** Longer than one turn of the event loop, in which a closed socket's 'close' event is emitted. */
const SETTLE_MS = 10;

/**
 * At most `slots` statements (or transactions) of a pool in flight, and a bound on how long a caller
 * waits for one. postgres.js queues what its connections cannot take with no timeout of its own, and
 * while the database is down that queue only drains as fast as reconnects fail; behind this gate its
 * queue stays short and a caller that waits too long is refused before its statement was ever sent,
 * so a refused write never runs later.
 */
export class ConnectionGate {
  private active = 0;
  private readonly waiting: Array<(release: () => void) => void> = [];
  /** Callers refused after waiting waitMs, since the gate opened; read by the metrics. */
  refused = 0;
  private settling: Promise<void> | undefined;

  constructor(
    private readonly slots: number,
    private readonly waitMs: number,
  ) {}

  /** Callers waiting for a connection now. */
  get queued(): number {
    return this.waiting.length;
  }

  acquire(): Promise<() => void> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (release: () => void) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        this.refused++;
        reject(unavailable(this.waitMs));
      }, this.waitMs);
      this.waiting.push(grant);
    });
  }

  /**
   * postgres.js learns that a connection was reset in two steps, the socket's 'error' and, on a
   * later turn of the event loop, its 'close'; a statement handed to that connection in between is
   * queued on it and never answered, and the connection never serves again. After a connection fault
   * the gate holds statements until the pool has set the connection aside.
   */
  noteFailure(error: unknown): void {
    if (this.settling || !isDatabaseUnreachable(error)) return;
    this.settling = new Promise((resolve) =>
      setTimeout(() => {
        this.settling = undefined;
        resolve();
      }, SETTLE_MS),
    );
  }

  /** Resolves at once unless a connection fault was just seen. */
  settled(): Promise<void> | undefined {
    return this.settling;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next caller, so that none can overtake it.
      if (next) next(this.releaser());
      else this.active--;
    };
  }
}

export function unavailable(waitMs: number): UnavailableError {
  return new UnavailableError(`the database did not answer within ${waitMs} ms: try again shortly`);
}

/** What postgres.js returns for a tagged template or unsafe(): a lazy promise run by its handler. */
interface PendingQuery extends Promise<unknown> {
  handler: ((query: PendingQuery) => void) & { debug?: unknown };
  handle(): unknown;
  reject(error: unknown): void;
}

function isQuery(value: unknown): value is PendingQuery {
  return value instanceof Promise && typeof (value as Partial<PendingQuery>).handle === 'function' && 'handler' in value;
}

/**
 * The pool with every statement sent through the gate. A query's handler runs only when the query is
 * awaited, never for a fragment nested in another query, so fragments take no slot. A transaction or a
 * reserved connection holds one slot throughout; its own statements go past the gate. A slot is
 * given back when the query settles, which an iterated `.cursor()` never does: run cursors (and
 * COPY) inside a transaction, as the code does.
 */
const gates = new WeakMap<Sql, ConnectionGate>();

/** The gate in front of a pool that has one (the API pool), for the metrics. */
export function gateOf(sql: Sql): ConnectionGate | undefined {
  return gates.get(sql);
}

export function gated(sql: Sql, gate: ConnectionGate): Sql {
  const throughGate = <T>(value: T): T => {
    if (!isQuery(value)) return value;
    const run = value.handler;
    const handler = (query: PendingQuery) => {
      gate.acquire().then(
        async (release) => {
          query.then(release, (error: unknown) => {
            gate.noteFailure(error);
            release();
          });
          await gate.settled();
          run(query);
        },
        (error: unknown) => query.reject(error),
      );
    };
    handler.debug = run.debug;
    value.handler = handler;
    return value;
  };
  const proxy = new Proxy(sql, {
    apply(target, thisArg, args) {
      return throughGate(Reflect.apply(target, thisArg, args));
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      switch (property) {
        case 'unsafe':
        case 'file':
          return (...args: unknown[]) => throughGate((value as (...a: unknown[]) => unknown).apply(target, args));
        case 'begin':
          return async (...args: unknown[]) => {
            const release = await gate.acquire();
            try {
              await gate.settled();
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (error) {
              gate.noteFailure(error);
              throw error;
            } finally {
              release();
            }
          };
        case 'reserve':
          return async () => {
            const release = await gate.acquire();
            try {
              await gate.settled();
              const reserved = await target.reserve();
              const letGo = reserved.release.bind(reserved);
              reserved.release = () => {
                letGo();
                release();
              };
              return reserved;
            } catch (error) {
              release();
              throw error;
            }
          };
        default:
          return value;
      }
    },
  });
  gates.set(proxy, gate);
  return proxy;
}
