import type { Sql } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Viewer } from './auth.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  requestId: string;
  viewer: Viewer;
  sql: Sql;
  log: Logger;
  loaders: Loaders;
}

export function createContext(fields: Omit<Context, 'loaders'>): Context {
  return { ...fields, loaders: createLoaders(fields.sql) };
}
