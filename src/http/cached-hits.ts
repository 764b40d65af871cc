import type { Request, RequestHandler } from 'express';
import type { Viewer } from '../auth/viewer.js';

interface Body {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface CachedHits {
  knows(body: Body): boolean;
  /** The whole response body of a hit and the operation's name; or a miss and the key it looked up. */
  hit(
    body: Body,
    viewer: Viewer,
  ): Promise<{ text: string; operationName: string | null } | { missed: { key: string | undefined } } | undefined>;
}

/** What the hit path learnt of the request, for Apollo's context when the request goes on to it. */
export interface Guarded {
  viewer?: Viewer;
  refusal?: unknown;
  /** The cache key a miss looked up, so that the pipeline neither reads the versions again nor waits for them twice. */
  missed?: { key: string | undefined };
}

function bodyOf(req: Request): Body | undefined {
  const body = req.body as unknown;
  if (req.method !== 'POST' || body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { query, operationName, variables } = body as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  return { query, operationName, variables: variables as Record<string, unknown> | null | undefined };
}

/**
 * Serves response-cache hits before Apollo's pipeline: the same guard (token, rate limit) runs
 * first, and its outcome travels on in res.locals.guarded, so that a request that goes on to Apollo
 * is not counted twice by the rate limit. Everything else (a refusal, a miss, a request the cache
 * has not seen pass the pipeline) is Apollo's to answer.
 */
export function cachedHits(
  cache: CachedHits,
  guard: (req: Request) => Promise<Viewer>,
  answered: (requestId: string | undefined, operationName: string | null, startedAt: number) => void,
): RequestHandler {
  return async (req, res, next) => {
    const started = performance.now();
    const body = bodyOf(req);
    if (!body || !cache.knows(body)) return next();
    const guarded: Guarded = {};
    res.locals.guarded = guarded;
    try {
      guarded.viewer = await guard(req);
    } catch (error) {
      guarded.refusal = error;
      return next();
    }
    let found: Awaited<ReturnType<CachedHits['hit']>>;
    try {
      found = await cache.hit(body, guarded.viewer);
    } catch (error) {
      return next(error);
    }
    if (!found) return next();
    if ('missed' in found) {
      guarded.missed = found.missed;
      return next();
    }
    res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
    res.send(found.text);
    answered(res.locals.requestId as string | undefined, found.operationName, started);
  };
}
