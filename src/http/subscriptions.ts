import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { LimitsConfig, SubscriptionsConfig } from '../config.js';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { mapEvents } from '../lib/events.js';
import { checkOperationLimits } from './query-limits.js';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  path: string;
  schema: GraphQLSchema;
  /** Authentication and the rate limit, as for an HTTP request; throws the GraphQLError to answer. */
  guard: (authorization: string | undefined, address: string | undefined) => Promise<Viewer>;
  context: (viewer: Viewer, requestId: string) => unknown;
  formatError: (error: GraphQLError) => GraphQLFormattedError;
  limits: LimitsConfig;
  subscriptions: SubscriptionsConfig;
  production: boolean;
  metrics?: Metrics;
  log: Logger;
}

/** Closes: a refused or expired token; 4429 is ours, as HTTP's 429, for the rate limit. */
const RATE_LIMITED = 4429;

type Extra = {
  viewer?: Viewer;
  expiry?: NodeJS.Timeout;
  requestId?: string;
};

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

function closeAt(extra: Extra & { socket: { close(code: number, reason: string): void } }, expiresAt: Date): void {
  const left = expiresAt.getTime() - Date.now();
  extra.expiry = setTimeout(
    () => (left > MAX_DELAY_MS ? closeAt(extra, expiresAt) : extra.socket.close(CloseCode.Unauthorized, 'the token has expired')),
    Math.max(0, Math.min(left, MAX_DELAY_MS)),
  );
  extra.expiry.unref();
}

function refusal(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * graphql-ws on the HTTP server's own port and path. A WebSocket skips every HTTP middleware, so
 * the same checks run here again: the token from connection_init's `authorization`, the rate
 * limit once per connection, the depth and cost limits per subscription document. Only
 * subscriptions go this way; queries and mutations keep to HTTP, with its limits and CSRF checks.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const { httpServer, path, schema, guard, limits, subscriptions, metrics, log } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload: limits.maxBodyBytes,
    // Refused at the upgrade, before any message is read.
    verifyClient: (_info, accept) => {
      if (wsServer.clients.size < subscriptions.maxConnections) return accept(true);
      accept(false, 503, 'too many subscription connections; try again later');
    },
  });
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => {
      const formatted = options.formatError(error);
      metrics?.graphqlErrors.inc({ code: String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
      return formatted;
    });

  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      isProd: options.production,
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const authorization = params.authorization ?? params.Authorization;
        const address = ctx.extra.request.socket.remoteAddress;
        let viewer: Viewer;
        try {
          viewer = await guard(typeof authorization === 'string' ? authorization : undefined, address);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          const code = error.extensions.code;
          if (code === 'RATE_LIMITED') metrics?.rateLimited.inc({ transport: 'websocket' });
          metrics?.graphqlErrors.inc({ code: String(code) });
          ctx.extra.socket.close(code === 'RATE_LIMITED' ? RATE_LIMITED : CloseCode.Unauthorized, error.message.slice(0, 120));
          return false;
        }
        ctx.extra.viewer = viewer;
        ctx.extra.requestId = randomUUID();
        // The connection lives no longer than the token that opened it.
        if (viewer.expiresAt) closeAt(ctx.extra, viewer.expiresAt);
        metrics?.subscriptionConnections.inc();
        return true;
      },
      async onClose(ctx) {
        clearTimeout(ctx.extra.expiry);
        if (ctx.extra.viewer) metrics?.subscriptionConnections.dec();
      },
      async onSubscribe(ctx, _id, payload) {
        const viewer = ctx.extra.viewer!;
        // graphql-ws has reserved this one's id already: it counts among them.
        if (Object.keys(ctx.subscriptions).length > subscriptions.perConnection) {
          return [refusal(`at most ${subscriptions.perConnection} subscriptions per connection`, 'BAD_REQUEST')];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [refusal((error as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document);
        if (invalid.length) return invalid.map((error) => refusal(error.message, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [refusal('the document names no operation to run', 'BAD_REQUEST')];
        if (operation.operation !== 'subscription') {
          return [refusal('only subscriptions go over the WebSocket: send queries and mutations with HTTP POST', 'BAD_REQUEST')];
        }
        try {
          checkOperationLimits({ schema, document, operation, variables: payload.variables ?? undefined }, limits);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        log.info('graphql subscription', { requestId: ctx.extra.requestId, operationName: operation.name?.value ?? null });
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.context(viewer, ctx.extra.requestId!),
        };
      },
      onOperation(_ctx, _id, _payload, _args, result) {
        if (!metrics || !(Symbol.asyncIterator in Object(result))) return;
        metrics.subscriptionsActive.inc();
        const iterable = result as AsyncIterable<never>;
        return mapEvents(iterable[Symbol.asyncIterator](), async (value) => value, { onEnd: () => metrics.subscriptionsActive.dec() });
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors?.length) return;
        return { ...result, errors: format(result.errors) };
      },
    },
    wsServer,
  );

  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
