import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import postgres from 'postgres';

import { AppError, UnavailableError } from '../lib/errors.js';

/** PostgreSQL's query_canceled, as the API pool's statement_timeout raises it. */
function isStatementTimeout(error: unknown): boolean {
  return error instanceof postgres.PostgresError && error.code === '57014' && /statement timeout/.test(error.message);
}

function statementTimeoutError(statementTimeoutMs: number): UnavailableError {
  const limit = statementTimeoutMs % 1000 === 0 ? `${statementTimeoutMs / 1000} s` : `${statementTimeoutMs} ms`;
  return new UnavailableError(
    `the query took longer than ${limit} and was stopped: ask for less (smaller pages, fewer fields, narrower filters)`,
  );
}

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** The code a client will see for this error, as formatError decides it. */
export function errorCode(error: GraphQLError): string {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return original.code;
  if (isStatementTimeout(original)) return 'UNAVAILABLE';
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

export interface ErrorPolicy {
  /** Stack traces and the messages of unexpected errors reach the client. */
  development: boolean;
  statementTimeoutMs: number;
}

/** The one place where thrown errors become what a client sees. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  { development, statementTimeoutMs }: ErrorPolicy,
): GraphQLFormattedError {
  const thrown = unwrapResolverError(error);
  const original = isStatementTimeout(thrown) ? statementTimeoutError(statementTimeoutMs) : thrown;
  if (original instanceof AppError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...original.extensions, code: original.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (CLIENT_CODES.has(code) || (original instanceof GraphQLError && !original.originalError))) {
    return development ? formatted : withoutStack(formatted);
  }
  if (development) return formatted;
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
