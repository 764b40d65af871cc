import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { GraphQLError } from 'graphql';
import type { Metrics } from '../infra/metrics.js';

/** Operation names a process labels its series with; later names count as "other". */
export const MAX_OPERATION_NAMES = 100;

/**
 * GET /metrics on the main port: only with `Authorization: Bearer <METRICS_TOKEN>`, compared in
 * constant time. Mounted only when a token is configured.
 */
export function metricsRoute(metrics: Metrics, token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res) => {
    const given = Buffer.from(req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('send Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.type(metrics.registry.contentType).send(text),
      (error: Error) => res.status(500).type('text/plain').send(`metrics failed: ${error.message}\n`),
    );
  };
}

/** The routes asset360 serves, so that a scan of random paths cannot grow the label set. */
function routeOf(path: string): string {
  if (path === '/') return '/';
  for (const route of ['/graphql', '/graphiql', '/web', '/vendor', '/admin/queues', '/metrics', '/healthz', '/readyz']) {
    if (path === route || path.startsWith(`${route}/`)) return route;
  }
  return 'other';
}

/** Counts every request by route, method and status with its sizes when it ends. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      // originalUrl: inside a mounted router, req.path is relative to the mount point.
      const route = routeOf(req.originalUrl.split('?')[0]!);
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpRequestSize.observe({ route }, Number(req.header('content-length') ?? 0) || 0);
      metrics.httpResponseSize.observe({ route }, Number(res.getHeader('content-length') ?? 0) || 0);
    });
    next();
  };
}

/** Names from a bounded set: unnamed operations are "anonymous", those Apollo could not resolve "unknown". */
export function operationNames(limit = MAX_OPERATION_NAMES): (name: string | null | undefined, resolved: boolean) => string {
  const seen = new Set<string>();
  return (name, resolved) => {
    if (!resolved) return 'unknown';
    if (!name) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= limit) return 'other';
    seen.add(name);
    return name;
  };
}

/** Duration by operation and outcome, errors by code. */
export function graphqlMetrics(metrics: Metrics, errorCode: (error: GraphQLError) => string, label = operationNames()): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      const codes: string[] = [];
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) codes.push(errorCode(error));
        },
        async willSendResponse({ operationName, operation }) {
          const name = label(operationName ?? operation?.name?.value, operation !== undefined);
          metrics.graphqlDuration.observe(
            { operation_name: name, operation_type: operation?.operation ?? 'unknown', outcome: codes.length ? 'error' : 'ok' },
            (performance.now() - started) / 1000,
          );
          for (const code of codes) metrics.graphqlErrors.inc({ code });
        },
      };
    },
  };
}
