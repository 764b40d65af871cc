import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import postgres from 'postgres';

import { isDatabaseUnreachable, isDataRefusal } from '../infra/db-faults.js';
import type { Logger } from '../infra/logger.js';
import { argumentOfLiteral } from './common/literal-arguments.js';
import { AppError, BadUserInputError, UnavailableError } from '../lib/errors.js';

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

const UNREACHABLE_MESSAGE = 'the database is unavailable: try again shortly';
const REFUSED_MESSAGE = 'an argument holds a value the database cannot store (out of range or malformed)';

/**
 * What a client sees of an error that is not an AppError yet: a database out of reach is
 * UNAVAILABLE (retryable), and a value the database refused (SQLSTATE class 22 or 23) is the
 * caller's BAD_USER_INPUT, with a plain message: its own names SQL types and values.
 */
function translated(thrown: unknown, statementTimeoutMs: number): unknown {
  if (isStatementTimeout(thrown)) return statementTimeoutError(statementTimeoutMs);
  if (isDatabaseUnreachable(thrown)) return new UnavailableError(UNREACHABLE_MESSAGE);
  if (isDataRefusal(thrown)) return new BadUserInputError(REFUSED_MESSAGE);
  return thrown;
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

/**
 * A scalar refusing a literal argument (a Date out of range, say) fails validation, which Apollo
 * answers GRAPHQL_VALIDATION_FAILED; it is the same mistake as in a variable, so it keeps the
 * scalar's BAD_USER_INPUT.
 */
function isRefusedLiteral(error: unknown): error is GraphQLError {
  return (
    error instanceof GraphQLError &&
    error.originalError instanceof GraphQLError &&
    error.originalError.extensions.code === 'BAD_USER_INPUT' &&
    error.extensions.code === 'GRAPHQL_VALIDATION_FAILED'
  );
}

/** The code a client will see for this error, as formatError decides it. */
export function errorCode(error: GraphQLError): string {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return original.code;
  if (isRefusedLiteral(original)) return 'BAD_USER_INPUT';
  if (isStatementTimeout(original) || isDatabaseUnreachable(original)) return 'UNAVAILABLE';
  if (isDataRefusal(original)) return 'BAD_USER_INPUT';
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
  const original = translated(unwrapResolverError(error), statementTimeoutMs);
  if (original instanceof AppError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...original.extensions, code: original.code },
    };
  }
  if (isRefusedLiteral(original)) {
    const argument = argumentOfLiteral(original.nodes?.[0]);
    const refused = {
      ...formatted,
      ...(argument ? { message: `${argument}: ${formatted.message}` } : {}),
      extensions: { ...formatted.extensions, ...(argument ? { argument } : {}), code: 'BAD_USER_INPUT' },
    };
    return development ? refused : withoutStack(refused);
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

/**
 * A value the database refused is a missing input check: each one is logged with its request, so
 * that the check gets written.
 */
export function dataRefusalLog(log: Logger): ApolloServerPlugin<{ requestId: string }> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (!isDataRefusal(original)) continue;
            log.warn('the database refused a value that no input check caught', {
              requestId: contextValue.requestId,
              path: error.path?.join('.') ?? null,
              sqlState: original.code,
              reason: original.message,
            });
          }
        },
      };
    },
  };
}
