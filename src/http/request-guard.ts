import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import { authenticate, type Viewer } from '../auth/viewer.js';
import { AppError, RateLimitedError, UnauthenticatedError } from '../lib/errors.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * Who is asking, checked before anything else of the request runs: the Bearer token, then the
 * rate limit. Throws the GraphQL error Apollo answers with, carrying its HTTP status.
 */
export function requestGuard(config: Pick<Config, 'authMode' | 'jwtSecret'>, limiter: RateLimiter) {
  const guard = credentialsGuard(config, limiter);
  return (req: Request): Promise<Viewer> => guard(req.header('authorization'), req.ip ?? req.socket.remoteAddress);
}

/** The same checks from what any transport carries: a WebSocket's connection_init and address, say. */
export function credentialsGuard(config: Pick<Config, 'authMode' | 'jwtSecret'>, limiter: RateLimiter) {
  return async (authorization: string | undefined, address: string | undefined): Promise<Viewer> => {
    let viewer: Viewer | undefined;
    let refusal: UnauthenticatedError | undefined;
    try {
      viewer = await authenticate(authorization, config);
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      refusal = error;
    }
    const retryAfter = await limiter.take(rateLimitKey(config.authMode === 'on' ? viewer : undefined, authorization, address));
    if (retryAfter !== undefined) throw httpError(new RateLimitedError(retryAfter), 429, { 'retry-after': String(retryAfter) });
    if (refusal) throw httpError(refusal, 401, { 'www-authenticate': 'Bearer' });
    return viewer!;
  };
}

/** A token's subject, else a hash of the token; the client's address when no token was accepted. */
function rateLimitKey(viewer: Viewer | undefined, authorization: string | undefined, address: string | undefined): string {
  if (viewer?.subject !== undefined) return `sub:${viewer.subject}`;
  if (viewer && authorization) return `token:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `ip:${address ?? 'unknown'}`;
}

function httpError(error: AppError, status: number, headers: Record<string, string>): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, code: error.code, http: { status, headers: new Map(Object.entries(headers)) } },
  });
}
