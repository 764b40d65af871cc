import { Extensions } from 'type-graphql';

/**
 * The sources of data, each with a version in `data_versions` that a statement trigger on each of
 * its tables bumps (db/0070_data_versions.sql). docs/cache.md lists the tables of each.
 */
export const SOURCES = [
  'build',
  'builds',
  'settings',
  'trades',
  'market',
  'fx',
  'allocations',
  'compliance',
  'reference',
  'owners',
  'ledger',
  'audit',
  'risk',
  'optimizer',
] as const;
export type Source = (typeof SOURCES)[number];

/**
 * What a field's own resolver reads beyond the sources: `viewer` when the answer depends on who
 * asks beyond the role and a VIEWER's portfolios (the subject), `today` when it depends on the date.
 */
export type Dependency = Source | 'viewer' | 'today';

export interface CacheDeclaration {
  reads?: readonly Dependency[];
  /** Why the field is never answered from the cache (it reads Redis, the clock to the second…). */
  bypass?: string;
}

/** The key of a field's (or a type's) extensions that holds its CacheDeclaration. */
export const CACHE_EXTENSION = 'responseCache';

/**
 * On a query or a field resolver: the sources its resolver reads. On an object type: the default of
 * its field resolvers. Fields of plain properties read nothing: their parent's resolver read them.
 */
export function Reads(...reads: Dependency[]): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Extensions({ [CACHE_EXTENSION]: { reads } satisfies CacheDeclaration });
}

/** On a query or a field resolver whose answer must never come from the cache. */
export function Uncached(reason: string): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Extensions({ [CACHE_EXTENSION]: { bypass: reason } satisfies CacheDeclaration });
}
