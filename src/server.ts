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
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createContext, type Context } from './graph/context.js';
import { inputGuard } from './graph/common/input-guard.js';
import { dataRefusalLog, errorCode, formatError } from './graph/errors.js';
import { buildGraphSchema } from './graph/schema.js';
import { jsonBody, requestErrors } from './http/body.js';
import { queryLimits } from './http/query-limits.js';
import { createRateLimiter } from './http/rate-limit.js';
import { requestGuard } from './http/request-guard.js';
import { isReachable, type Sql } from './infra/db.js';
import type { Logger } from './infra/logger.js';
import { pingRedis } from './infra/redis.js';
import type { RebuildControl } from './jobs/rebuild.control.js';

export interface ServerDeps {
  config: Config;
  sql: Sql;
  redis: Redis;
  log: Logger;
  schema?: GraphQLSchema;
  rebuilds?: RebuildControl;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

export async function startServer({ config, sql, redis, log, schema, rebuilds }: ServerDeps): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const development = config.nodeEnv !== 'production';
  const guard = requestGuard(config, createRateLimiter(redis, config.rateLimit));
  const { limits } = config;

  const apollo = new ApolloServer<Context>({
    schema: schema ?? (await buildGraphSchema()),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    hideSchemaDetailsFromClientErrors: !development,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (an inline worker may still be finishing a build); Apollo would re-raise SIGTERM.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: (formatted, error) =>
      formatError(formatted, error, { development: config.nodeEnv === 'development', statementTimeoutMs: limits.statementTimeoutMs }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      // Nothing about the graph or its traffic leaves for Apollo's cloud, even with APOLLO_KEY set.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      // Both hook every field resolver (willResolveField), which costs on each field of each response;
      // no response here carries cache hints or traces.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      queryLimits(limits),
      inputGuard(),
      operationLog(log),
      dataRefusalLog(log),
    ],
  });
  await apollo.start();

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
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          return createContext({ requestId, viewer: await guard(req), sql, log, rebuilds });
        } catch (error) {
          if (error instanceof GraphQLError)
            log.info('graphql operation', { requestId, outcome: 'error', errorCodes: [error.extensions.code] });
          throw error;
        }
      },
    }),
  );
  app.use(requestErrors(limits.maxBodyBytes, log));

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
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
        async willSendResponse({ operationName, operation }) {
          log.info('graphql operation', {
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            operation: operation?.operation ?? null,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            outcome: codes.size ? 'error' : 'ok',
            ...(codes.size ? { errorCodes: [...codes] } : {}),
          });
        },
      };
    },
  };
}
