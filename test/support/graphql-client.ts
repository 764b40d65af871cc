import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface ExecutionResult<TData> {
  status: number;
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

const printed = new WeakMap<object, string>();

/**
 * A client for the generated documents of test/operations: the result and variables are typed
 * from the schema, so a renamed field fails the typecheck instead of a test at run time.
 */
export function graphqlClient(url: string, headers: Record<string, string> = {}) {
  return async function execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
  ): Promise<ExecutionResult<TData>> {
    let query = printed.get(document);
    if (query === undefined) {
      query = print(document);
      printed.set(document, query);
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
    return { status: response.status, ...((await response.json()) as Omit<ExecutionResult<TData>, 'status'>) };
  };
}

export type Execute = ReturnType<typeof graphqlClient>;

/** The data of a result that must have succeeded; the errors, if any, make the message. */
export function dataOf<TData>(result: ExecutionResult<TData>): TData {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}
