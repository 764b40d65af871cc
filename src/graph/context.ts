// First, so that the decorated classes the loaders import find the Reflect metadata API.
import 'reflect-metadata';
import type { Sql } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { RebuildControl } from '../jobs/rebuild.control.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Viewer } from '../auth/viewer.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  requestId: string;
  viewer: Viewer;
  sql: Sql;
  log: Logger;
  loaders: Loaders;
  /** Absent when the server runs without a rebuild queue; its calls fail with UNAVAILABLE while Redis is down. */
  rebuilds?: RebuildControl;
  /** Absent without Redis: subscriptions are then refused and recorded trades are not announced. */
  live?: LiveEvents;
  /** The response cache's key, when the hit path looked it up and missed (undefined: no versions could be read). */
  responseCacheKey?: { key: string | undefined };
}

/** The loaders are made when a resolver first reads them: an operation answered by one SQL statement needs none. */
export function createContext(fields: Omit<Context, 'loaders'>): Context {
  let loaders: Loaders | undefined;
  return {
    ...fields,
    get loaders() {
      return (loaders ??= createLoaders(fields.sql, fields.viewer));
    },
    // A subscription renews them for each event (live.resolver.ts).
    set loaders(renewed: Loaders) {
      loaders = renewed;
    },
  };
}
