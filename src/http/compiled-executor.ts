import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { variableDefaultsFiller } from './variable-defaults.js';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** Distinct operations kept compiled; a client sends few shapes, and each costs a few kB of code. */
const COMPILED_OPERATIONS = 500;

/** How an operation runs: compiled (its variables' input defaults filled in first), or by graphql-js where graphql-jit cannot compile it. */
type Plan = { compiled: CompiledQuery; fill?: (variables: Record<string, unknown>) => Record<string, unknown> } | { interpreted: true };

/**
 * graphql-jit's errors are GraphQLErrors without extensions when the thrown error had none; Apollo's
 * error formatting reads `extensions.code` of every GraphQLError, so each becomes a graphql-js one,
 * as graphql-js's execute would have made it (the original error, whose code errors.ts maps, kept).
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  Object.defineProperty(copy, 'locations', { value: error.locations, enumerable: true, writable: true });
  return copy;
}

function normalized(result: ExecutionResult): ExecutionResult {
  return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
}

/**
 * Answers an operation some other way before graphql-jit (the graph's SQL-compiled operations), or
 * says undefined to leave it to execution. `key` names the operation; the variables are coerced.
 */
export type AnswerFirst<TContext> = (
  key: string,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  context: TContext,
) => Promise<ExecutionResult | undefined>;

/**
 * Apollo Server with graphql-jit in place of graphql-js's execute: each operation is compiled once
 * into a function that walks the response directly, instead of re-interpreting the document and
 * chaining a promise per field on every request. Apollo still parses, validates (with the server's
 * rules) and runs every plugin hook; only execution moves. Apollo 5 takes a custom executor through
 * its gateway interface, so this is a gateway that serves a fixed schema.
 */
export function compiledGateway<TContext extends BaseContext>(schema: GraphQLSchema, answerFirst?: AnswerFirst<TContext>): Gateway {
  const plans = new LRUCache<string, Plan>({ max: COMPILED_OPERATIONS });

  const planOf = (document: DocumentNode, key: string, operation: OperationDefinitionNode, operationName: string | undefined): Plan => {
    let plan = plans.get(key);
    if (!plan) {
      const compiled = compileQuery(schema, document, operationName);
      plan = isCompiledQuery(compiled) ? { compiled, fill: variableDefaultsFiller(schema, operation) } : { interpreted: true };
      plans.set(key, plan);
    }
    return plan;
  };

  const executor: Executor = async ({ document, queryHash, operationName, request, context }) => {
    const variables = request.variables ?? {};
    const operation = getOperationAST(document, operationName);
    const name = operationName ?? undefined;
    // Apollo found the operation before calling; graphql-js answers the impossible case as it would.
    if (!operation) return execute({ schema, document, operationName: name, variableValues: variables, contextValue: context });
    let coercedVariables: Record<string, unknown> = {};
    if (operation.variableDefinitions?.length) {
      // graphql-js's own coercion first, for its messages and for the variable nodes by which Apollo
      // recognizes a refused variable (BAD_USER_INPUT, status 400).
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
      coercedVariables = coerced.coerced;
    }
    // The hash names the query text; one text may hold several operations.
    const key = `${queryHash}\u0000${name ?? ''}`;
    const answered = await answerFirst?.(key, document, operation, coercedVariables, context as TContext);
    if (answered) return answered;
    const plan = planOf(document, key, operation, name);
    if ('interpreted' in plan) return execute({ schema, document, operationName: name, variableValues: variables, contextValue: context });
    return normalized(await plan.compiled.query(undefined, context, plan.fill ? plan.fill(variables) : variables));
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
