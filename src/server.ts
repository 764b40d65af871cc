import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createContext, type Context } from './graph/context.js';
import { ResponseCache } from './graph/cache/response-cache.js';
import { ResponseStore } from './infra/response-store.js';
import { gateOf } from './infra/db-gate.js';
import { inputGuard } from './graph/common/input-guard.js';
import { literalArgumentPaths } from './graph/common/literal-arguments.js';
import { dataRefusalLog, errorCode, formatError } from './graph/errors.js';
import { buildGraphSchema } from './graph/schema.js';
import { jsonBody, requestErrors } from './http/body.js';
import { compiledGateway } from './http/compiled-executor.js';
import { sqlExecutor } from './graph/compiled/sql-executor.js';
import { dashboard } from './http/dashboard.js';
import { GRAPHIQL_ASSETS, graphiqlAssets, graphiqlLandingPage } from './http/graphiql.js';
import { cachedHits, type Guarded } from './http/cached-hits.js';
import { graphqlMetrics, httpMetrics, metricsRoute, operationNames } from './http/metrics.js';
import { queryLimits } from './http/query-limits.js';
import { BOARD_PATH, queueBoard } from './http/queue-board.js';
import { createRateLimiter } from './http/rate-limit.js';
import { credentialsGuard, requestGuard } from './http/request-guard.js';
import { startSubscriptionServer } from './http/subscriptions.js';
import { isReachable, type Sql } from './infra/db.js';
import type { Logger } from './infra/logger.js';
import { createMetrics, type Metrics } from './infra/metrics.js';
import { serveMetricsPort, type MetricsServer } from './infra/metrics-server.js';
import { poolStatsReader } from './infra/pool-stats.js';
import { pingRedis } from './infra/redis.js';
import { secondsSinceLastBuild } from './jobs/build-asset-360.js';
import type { RebuildControl } from './jobs/rebuild.control.js';
import { LiveEvents } from './live/live-events.js';

export interface ServerDeps {
  config: Config;
  sql: Sql;
  redis: Redis;
  log: Logger;
  schema?: GraphQLSchema;
  rebuilds?: RebuildControl;
  /** The process's metrics, shared with an inline worker; the server makes its own without. */
  metrics?: Metrics;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** The METRICS_PORT listener's port, when one is configured. */
  metricsPort?: number;
  stop(): Promise<void>;
}

export async function startServer({ config, sql, redis, log, schema, rebuilds, metrics: given }: ServerDeps): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const development = config.nodeEnv !== 'production';
  const limiter = createRateLimiter(redis, config.rateLimit);
  const guard = requestGuard(config, limiter);
  const { limits } = config;
  const graphSchema = schema ?? (await buildGraphSchema());
  const metrics = given ?? createMetrics('server');
  observe(metrics, sql, rebuilds);
  const live = new LiveEvents(redis, config.rebuild, log, (event) => metrics.subscriptionEvents.inc({ event }));
  const store = config.responseCache.enabled ? new ResponseStore(redis, config.responseCache) : undefined;
  if (store) metrics.readers.responseCacheBytes = () => store.memoryBytes;
  const cache =
    store &&
    new ResponseCache({
      schema: graphSchema,
      sql,
      store,
      log,
      count: (outcome, tier) => metrics.responseCache.inc({ outcome, tier: tier ?? '' }),
    });
  const errorPolicy = { development: config.nodeEnv === 'development', statementTimeoutMs: limits.statementTimeoutMs };

  const operationLabel = operationNames();

  const apollo = new ApolloServer<Context>({
    validationRules: [literalArgumentPaths],
    // The schema, executed by graphql-jit (see compiled-executor.ts); subscriptions keep graphql-js.
    // The operations within the graph's core read shapes are answered by one SQL statement each first.
    gateway: compiledGateway(graphSchema, sqlExecutor(graphSchema)),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    hideSchemaDetailsFromClientErrors: !development,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (an inline worker may still be finishing a build); Apollo would re-raise SIGTERM.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: (formatted, error) => formatError(formatted, error, errorPolicy),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // GraphiQL from the installed package: Apollo's Sandbox would load from a CDN.
      development ? graphiqlLandingPage() : ApolloServerPluginLandingPageDisabled(),
      // Nothing about the graph or its traffic leaves for Apollo's cloud, even with APOLLO_KEY set.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      // Both hook every field resolver (willResolveField), which costs on each field of each response;
      // no response here carries cache hints or traces.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      queryLimits(limits),
      inputGuard(),
      // The checks above run in didResolveOperation, before any responseForOperation: a hit passes them all.
      // Before operationLog, whose line says what the cache did.
      ...(cache ? [cache.plugin()] : []),
      operationLog(log),
      dataRefusalLog(log),
      graphqlMetrics(metrics, errorCode, operationLabel),
    ],
  });
  await apollo.start();

  app.use(httpMetrics(metrics));
  // No token configured, no metrics on the public port: they describe the traffic and the book.
  if (config.metrics.token) app.get('/metrics', metricsRoute(metrics, config.metrics.token));
  const board = queueBoard(config, redis, config.rebuild, log);
  app.use(BOARD_PATH, board.router);
  if (development) app.use(GRAPHIQL_ASSETS, graphiqlAssets());
  // The dashboard's files are public in every environment; its data comes from /graphql.
  app.use(dashboard());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [postgres, redisUp] = await Promise.all([isReachable(sql), pingRedis(redis)]);
    const checks = { postgres: postgres ? 'up' : 'down', redis: redisUp ? 'up' : 'down' };
    res.status(postgres && redisUp ? 200 : 503).json({ status: postgres && redisUp ? 'ready' : 'unavailable', checks });
  });

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  app.use(
    '/graphql',
    jsonBody(limits.maxBodyBytes),
    ...(cache
      ? [
          cachedHits(cache, guard, (requestId, operationName, startedAt) => {
            const durationMs = performance.now() - startedAt;
            log.info('graphql operation', {
              requestId,
              operationName,
              operation: 'query',
              durationMs: Math.round(durationMs * 10) / 10,
              outcome: 'ok',
              cache: 'HIT',
            });
            metrics.graphqlDuration.observe(
              { operation_name: operationLabel(operationName, true), operation_type: 'query', outcome: 'ok' },
              durationMs / 1000,
            );
          }),
        ]
      : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        // The hit path may have run the guard already: its outcome stands, and the rate limit counts once.
        const guarded = res.locals.guarded as Guarded | undefined;
        try {
          if (guarded?.refusal) throw guarded.refusal;
          const viewer = guarded?.viewer ?? (await guard(req));
          return createContext({ requestId, viewer, sql, log, rebuilds, live, responseCacheKey: guarded?.missed });
        } catch (error) {
          if (error instanceof GraphQLError) {
            log.info('graphql operation', { requestId, outcome: 'error', errorCodes: [error.extensions.code] });
            metrics.graphqlErrors.inc({ code: String(error.extensions.code) });
            if (error.extensions.code === 'RATE_LIMITED') metrics.rateLimited.inc({ transport: 'http' });
          }
          throw error;
        }
      },
    }),
  );
  app.use(requestErrors(limits.maxBodyBytes, log));

  const subscriptions = startSubscriptionServer({
    httpServer,
    path: '/graphql',
    schema: graphSchema,
    guard: credentialsGuard(config, limiter),
    context: (viewer, requestId) => createContext({ requestId, viewer, sql, log, rebuilds, live }),
    formatError: (error) => formatError(error.toJSON(), error, errorPolicy),
    limits,
    subscriptions: config.subscriptions,
    production: !development,
    metrics,
    log,
  });

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const { port } = httpServer.address() as AddressInfo;
  let metricsServer: MetricsServer | undefined;
  if (config.metrics.port !== undefined) metricsServer = await serveMetricsPort(metrics.registry, config.metrics.port);
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    httpServer,
    metricsPort: metricsServer?.port,
    async stop() {
      await subscriptions.close();
      await live.close();
      await apollo.stop();
      await board.close();
      await metricsServer?.close();
    },
  };
}

/** What the metrics read at scrape time: the queues, the last build and the API pool. */
function observe(metrics: Metrics, sql: Sql, rebuilds: RebuildControl | undefined): void {
  if (rebuilds) metrics.readers.queues = () => rebuilds.counts();
  metrics.readers.secondsSinceLastBuild = () => secondsSinceLastBuild(sql);
  metrics.readers.pool = poolStatsReader(sql);
  const gate = gateOf(sql);
  if (gate) metrics.readers.poolQueue = () => ({ queued: gate.queued, refused: gate.refused });
  metrics.poolMax.set(sql.options.max);
}

/** One line per GraphQL operation: who asked what, how long it took, how it ended. */
function operationLog(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const codes = new Set<string>();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) codes.add(errorCode(error));
        },
        async willSendResponse({ operationName, operation, response }) {
          log.info('graphql operation', {
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            operation: operation?.operation ?? null,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            outcome: codes.size ? 'error' : 'ok',
            cache: response.body.kind === 'single' ? (response.body.singleResult.extensions?.cache ?? null) : null,
            ...(codes.size ? { errorCodes: [...codes] } : {}),
          });
        },
      };
    },
  };
}
