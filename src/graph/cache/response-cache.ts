import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import type { Logger } from '../../infra/logger.js';
import type { ResponseStore, Tier } from '../../infra/response-store.js';
import { stableJson } from '../../lib/stable-json.js';
import type { Context } from '../context.js';
import { databaseIdentity, readDataVersions, type DataVersions } from './cache.sql.js';
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

/**
 * The whole-response cache of queries (docs/cache.md). It answers in responseForOperation, after
 * the context (authentication, the rate limit) and the limits' checks, so a hit passes every
 * guard a miss does and skips only the resolvers. The key holds the versions of exactly the
 * sources the operation's fields read, read in one statement before anything else: an entry can
 * only be found by a request that started after the data it holds was committed.
 */
export function responseCache({ schema, sql, store, log, count }: ResponseCacheOptions): ApolloServerPlugin<Context> {
  const analyses = new WeakMap<DocumentNode, Analysis>();
  let fields: ReadonlySet<string> | undefined;
  let identity: Promise<string> | undefined;

  const analyse = (document: DocumentNode, operationName: string | undefined): { hash: string; reads: OperationReads } => {
    fields ??= resolverFields();
    let analysis = analyses.get(document);
    if (!analysis) {
      analysis = { hash: sha256(print(document)), reads: new Map() };
      analyses.set(document, analysis);
    }
    const name = operationName ?? '';
    let reads = analysis.reads.get(name);
    if (!reads) {
      reads = operationReads(schema, document, operationName, fields);
      analysis.reads.set(name, reads);
    }
    return { hash: analysis.hash, reads };
  };

  const keyOf = async (
    request: GraphQLRequestContext<Context>,
    documentHash: string,
    reads: readonly Dependency[],
    data: DataVersions,
  ): Promise<string> => {
    identity ??= databaseIdentity(sql).catch((error: unknown) => {
      identity = undefined;
      throw error;
    });
    const versions = reads.map((dependency) =>
      dependency === 'viewer' ? '' : dependency === 'today' ? data.today : (data.versions[dependency] ?? '?'),
    );
    const material = stableJson([
      documentHash,
      request.operationName ?? null,
      request.request.variables ?? {},
      scope(request.contextValue.viewer, reads.includes('viewer')),
      reads,
      versions,
    ]);
    return `${sha256(`${await identity}/${data.versions['#instance'] ?? ''}`).slice(0, 16)}:${sha256(material)}`;
  };

  return {
    async requestDidStart() {
      let outcome: CacheOutcome | undefined;
      let key: string | undefined;
      return {
        async responseForOperation(request) {
          const { hash, reads } = analyse(request.document, request.operationName ?? undefined);
          outcome = 'BYPASS';
          if (reads.bypass !== undefined) return null;
          let versions: DataVersions;
          try {
            versions = await readDataVersions(sql);
            key = await keyOf(request, hash, reads.reads, versions);
          } catch (error) {
            // PostgreSQL unreachable or out of connections: the resolvers will say so with their own errors.
            log.debug('response cache: no versions, running uncached', { error: (error as Error).message });
            return null;
          }
          const found = await store.get(key);
          if (!found) {
            outcome = 'MISS';
            return null;
          }
          outcome = 'HIT';
          count('HIT', found.tier);
          return {
            http: request.response.http,
            body: { kind: 'single', singleResult: { data: found.data as Record<string, unknown>, extensions: { cache: 'HIT' } } },
          };
        },
        async willSendResponse({ response }) {
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
          if (key && !result.errors?.length && result.data && (status === undefined || status === 200)) store.set(key, result.data);
        },
      };
    },
  };
}

/** Who the answer is for: the role, a VIEWER's portfolios, and the subject when a field depends on it. */
function scope(viewer: Viewer, bySubject: boolean): unknown[] {
  return [viewer.role, viewer.portfolios ? [...viewer.portfolios].sort() : null, bySubject ? (viewer.subject ?? null) : null];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
