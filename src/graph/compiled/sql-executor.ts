import { Kind, visit, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { guardedFields } from '../common/plain-fields.js';
import { SqlCompiler, type SqlOperation } from './operation.js';
import type { Scope } from './shapes.js';

/** Distinct operations kept, as for the graphql-jit plans. */
const OPERATIONS = 500;

interface Compiled {
  /** The variables that @skip and @include read: the plan depends on their values. */
  conditions: string[];
  byConditions: Map<string, SqlOperation | null>;
}

function conditionVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(directive) {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') return;
      for (const argument of directive.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    },
  });
  return [...names];
}

/**
 * Answers the operations that lie within the compiled shapes (src/graph/compiled/shapes.ts) with one
 * statement each, and says `undefined` for the others, which run on the resolvers: per operation,
 * decided when it is first seen. A request whose arguments the resolvers would refuse, or whose
 * statement fails, is also left to the resolvers, so that its errors are theirs, word for word.
 */
export function sqlExecutor(schema: GraphQLSchema) {
  const compiler = new SqlCompiler(schema, guardedFields());
  const operations = new LRUCache<string, Compiled>({ max: OPERATIONS });

  const planOf = (key: string, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => {
    let compiled = operations.get(key);
    if (!compiled) {
      compiled = { conditions: conditionVariables(document), byConditions: new Map() };
      operations.set(key, compiled);
    }
    const conditions = JSON.stringify(compiled.conditions.map((name) => variables[name] ?? null));
    let plan = compiled.byConditions.get(conditions);
    if (plan === undefined) {
      plan = operation.operation === 'query' ? (compiler.compile(document, operation, variables) ?? null) : null;
      compiled.byConditions.set(conditions, plan);
    }
    return plan;
  };

  return async function answer(
    key: string,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    { sql, viewer }: Scope,
  ): Promise<ExecutionResult | undefined> {
    const scope = { sql, viewer };
    const plan = planOf(key, document, operation, variables);
    if (!plan) return undefined;
    let statement;
    try {
      statement = plan.statement(scope, variables);
    } catch {
      return undefined;
    }
    try {
      const [row] = await statement.sql;
      return { data: statement.fix(row!.data as Record<string, unknown>) };
    } catch {
      return undefined;
    }
  };
}
