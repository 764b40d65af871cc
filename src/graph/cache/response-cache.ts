import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import type { Logger } from '../../infra/logger.js';
import type { ResponseStore, Tier } from '../../infra/response-store.js';
import { stableJson } from '../../lib/stable-json.js';
import type { Context } from '../context.js';
import { databaseIdentity, readDataVersions } from './cache.sql.js';
import { operationReads, type OperationReads } from './operation-reads.js';
import type { Dependency } from './reads.js';
import { resolverFields } from './resolver-fields.js';

export type CacheOutcome = 'HIT' | 'MISS' | 'BYPASS';

export interface ResponseCacheOptions {
  schema: GraphQLSchema;
  sql: Sql;
  store: ResponseStore;
  log: Logger;
  /** Called once per response that reached the cache's decision. */
  count(outcome: CacheOutcome, tier?: Tier): void;
}

/** Per document (Apollo keeps one DocumentNode per distinct query text): its hash and, per operation, what it reads. */
interface Analysis {
  hash: string;
  reads: Map<string, OperationReads>;
}

/** What a request asks, as its HTTP body carries it. */
export interface RequestBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A request that passed every check of the pipeline once in this process: what its key is made of. */
interface Known {
  documentHash: string;
  operationName: string | null;
  reads: readonly Dependency[];
}

export type HitPathLookup = { text: string; operationName: string | null } | { missed: { key: string | undefined } };

/** Requests known to pass the pipeline's checks, by query text, operation and variables; bounded by their text. */
const KNOWN_REQUEST_BYTES = 4 * 1024 * 1024;

/**
 * The whole-response cache of queries (docs/cache.md). Its plugin answers in responseForOperation,
 * after the context (authentication, the rate limit) and the limits' checks, so a hit passes every
 * guard a miss does and skips only the resolvers. The key holds the versions of exactly the
 * sources the operation's fields read, read in one statement before anything else: an entry can
 * only be found by a request that started after the data it holds was committed.
 *
 * `hit` serves the same entries before Apollo's pipeline, for a request whose text, operation and
 * variables this process has already seen pass that pipeline's checks (parsing, validation, the
 * limits, the input guard): those depend on nothing else, and the viewer's scope is in the key.
 */
export class ResponseCache {
  private readonly analyses = new WeakMap<DocumentNode, Analysis>();
  private readonly known = new LRUCache<string, Known>({ maxSize: KNOWN_REQUEST_BYTES, sizeCalculation: (_, key) => key.length });
  private fields: ReadonlySet<string> | undefined;
  private identity: Promise<string> | undefined;

  constructor(private readonly options: ResponseCacheOptions) {}

  /**
   * A known request's lookup: the response body of a hit, as Apollo would have written it, and the
   * operation's name; or, for a miss, the key the pipeline will store the answer under (undefined when
   * no versions could be read), so that it does not read them again; undefined for a request it does not know.
   */
  async hit(body: RequestBody, viewer: Viewer): Promise<HitPathLookup | undefined> {
    const known = this.known.get(knownKey(body));
    if (!known) return undefined;
    const key = await this.keyOrUndefined(known, body.variables ?? {}, viewer);
    const found = key && (await this.options.store.get(key));
    if (!found) return { missed: { key } };
    this.options.count('HIT', found.tier);
    return { text: `{"data":${found.json},"extensions":{"cache":"HIT"}}\n`, operationName: known.operationName };
  }

  /** Whether `hit` may answer this request: it passed the pipeline's checks before. */
  knows(body: RequestBody): boolean {
    return this.known.has(knownKey(body));
  }

  plugin(): ApolloServerPlugin<Context> {
    const { store, count } = this.options;
    return {
      requestDidStart: async () => {
        let outcome: CacheOutcome | undefined;
        let key: string | undefined;
        return {
          responseForOperation: async (request) => {
            const { hash, reads } = this.analyse(request.document, request.operationName ?? undefined);
            outcome = 'BYPASS';
            if (reads.bypass !== undefined) return null;
            const known: Known = { documentHash: hash, operationName: request.operationName ?? null, reads: reads.reads };
            const body = request.request;
            if (body.query !== undefined) this.known.set(knownKey({ ...body, query: body.query }), known);
            const looked = request.contextValue.responseCacheKey;
            key = looked ? looked.key : await this.keyOrUndefined(known, body.variables ?? {}, request.contextValue.viewer);
            if (!key) return null;
            const found = await store.get(key);
            if (!found) {
              outcome = 'MISS';
              return null;
            }
            outcome = 'HIT';
            count('HIT', found.tier);
            const data = JSON.parse(found.json) as Record<string, unknown>;
            return { http: request.response.http, body: { kind: 'single', singleResult: { data, extensions: { cache: 'HIT' } } } };
          },
          willSendResponse: async ({ response }) => {
            if (response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            if (outcome === 'HIT') return;
            result.extensions = { ...result.extensions, cache: outcome ?? 'BYPASS' };
            if (outcome !== 'MISS') {
              if (outcome) count('BYPASS');
              return;
            }
            count('MISS');
            const status = response.http.status;
            if (key && !result.errors?.length && result.data && (status === undefined || status === 200)) {
              store.set(key, JSON.stringify(result.data));
            }
          },
        };
      },
    };
  }

  private analyse(document: DocumentNode, operationName: string | undefined): { hash: string; reads: OperationReads } {
    this.fields ??= resolverFields();
    let analysis = this.analyses.get(document);
    if (!analysis) {
      analysis = { hash: sha256(print(document)), reads: new Map() };
      this.analyses.set(document, analysis);
    }
    const name = operationName ?? '';
    let reads = analysis.reads.get(name);
    if (!reads) {
      reads = operationReads(this.options.schema, document, operationName, this.fields);
      analysis.reads.set(name, reads);
    }
    return { hash: analysis.hash, reads };
  }

  /** The entry's key, after the one statement that reads the versions; undefined when PostgreSQL cannot say. */
  private async keyOrUndefined(known: Known, variables: Record<string, unknown>, viewer: Viewer): Promise<string | undefined> {
    const { sql, log } = this.options;
    try {
      const data = await readDataVersions(sql);
      // Asked once the versions came: a failure is then this request's, awaited below, never left unhandled.
      this.identity ??= databaseIdentity(sql).catch((error: unknown) => {
        this.identity = undefined;
        throw error;
      });
      const { reads } = known;
      const versions = reads.map((dependency) =>
        dependency === 'viewer' ? '' : dependency === 'today' ? data.today : (data.versions[dependency] ?? '?'),
      );
      const material = stableJson([
        known.documentHash,
        known.operationName,
        variables,
        scope(viewer, reads.includes('viewer')),
        reads,
        versions,
      ]);
      return `${sha256(`${await this.identity}/${data.versions['#instance'] ?? ''}`).slice(0, 16)}:${sha256(material)}`;
    } catch (error) {
      // PostgreSQL unreachable or out of connections: the resolvers will say so with their own errors.
      log.debug('response cache: no versions, running uncached', { error: (error as Error).message });
      return undefined;
    }
  }
}

function knownKey(body: RequestBody): string {
  return `${body.operationName ?? ''}\u0000${JSON.stringify(body.variables ?? {})}\u0000${body.query}`;
}

/** Who the answer is for: the role, a VIEWER's portfolios, and the subject when a field depends on it. */
function scope(viewer: Viewer, bySubject: boolean): unknown[] {
  return [viewer.role, viewer.portfolios ? [...viewer.portfolios].sort() : null, bySubject ? (viewer.subject ?? null) : null];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
