import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, GraphQLError, isLeafType, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { LimitsConfig } from '../config.js';
import { operationDepth } from './depth.js';

/** Scalars and enums are columns of a row already read (see src/graph/common/complexity.ts). */
const leafEstimator: ComplexityEstimator = ({ field }) => (isLeafType(getNamedType(field.type)) ? 0 : undefined);

const ESTIMATORS = [fieldExtensionsEstimator(), leafEstimator, simpleEstimator({ defaultComplexity: 1 })];

/** graphql-query-complexity's refusal of a document whose fragments expand into too many fields. */
const TOO_MANY_NODES = /maximum allowed number of nodes/;

function refusal(code: 'QUERY_TOO_COMPLEX' | 'BAD_USER_INPUT', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** The most variable sets remembered per document: a dashboard sends a few, a BI tool pages with many. */
const COSTS_PER_DOCUMENT = 64;

/**
 * Depth and cost by operation (and variables, for the cost), per parsed document. Apollo reuses the
 * parsed document of a query it has seen, so a repeated query is measured once, not on every request.
 */
const measured = new WeakMap<DocumentNode, Map<string, number>>();

function remembered(document: DocumentNode, key: string, measure: () => number): number {
  let known = measured.get(document);
  if (!known) measured.set(document, (known = new Map()));
  let value = known.get(key);
  if (value === undefined) {
    value = measure();
    if (known.size >= COSTS_PER_DOCUMENT) known.clear();
    known.set(key, value);
  }
  return value;
}

export interface LimitedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | undefined;
}

/**
 * Refuses an operation nested deeper than maxDepth or whose estimated cost exceeds maxComplexity,
 * with the GraphQLError to answer. For HTTP requests and subscription documents alike.
 */
export function checkOperationLimits(
  { schema, document, operation, variables }: LimitedOperation,
  { maxDepth, maxComplexity }: Pick<LimitsConfig, 'maxDepth' | 'maxComplexity'>,
): void {
  const name = operation.name?.value ?? '';
  const depth = remembered(document, `depth\u0000${name}`, () => operationDepth(document, operation));
  if (depth > maxDepth) throw refusal('QUERY_TOO_COMPLEX', `the query nests ${depth} levels deep; at most ${maxDepth} are allowed`);
  let complexity: number;
  try {
    complexity = remembered(document, `cost\u0000${name}\u0000${JSON.stringify(variables ?? {})}`, () =>
      getComplexity({
        schema,
        query: document,
        operationName: operation.name?.value,
        variables: variables ?? {},
        estimators: ESTIMATORS,
      }),
    );
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    if (TOO_MANY_NODES.test(error.message)) throw refusal('QUERY_TOO_COMPLEX', 'the query expands into too many fields');
    // Variables that do not fit their types: execution would refuse them just the same.
    throw refusal('BAD_USER_INPUT', error.message.replace(/ ?Did you mean(.+?)\?$/, ''));
  }
  if (complexity > maxComplexity) {
    throw refusal(
      'QUERY_TOO_COMPLEX',
      `the query's estimated cost is ${complexity}, above the limit of ${maxComplexity}: ask for smaller pages (first) or fewer nested lists`,
    );
  }
}

/** The same limits on every HTTP operation, before any resolver (and so any SQL) runs. */
export function queryLimits(limits: Pick<LimitsConfig, 'maxDepth' | 'maxComplexity'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          // Apollo has already answered a request whose operation it could not find.
          if (!operation) return;
          checkOperationLimits({ schema, document, operation, variables: request.variables }, limits);
        },
      };
    },
  };
}
