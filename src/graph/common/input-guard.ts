import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { MAX_TEXT_LENGTH, textProblem } from '../../lib/input.js';

/**
 * Strings whose bound is not MAX_TEXT_LENGTH, by `Type.field(argument)`: a cursor is decoded and
 * checked by the list it belongs to; a CSV is bounded by the request size and checked row by row,
 * so that each bad cell becomes a row error with its line and column.
 */
const OWN_BOUNDS: Record<string, number | 'rows'> = {
  'Mutation.importTrades(csv)': 'rows',
  'Mutation.importCashTransactions(csv)': 'rows',
};
const CURSOR_ARGUMENT = 'after';
const MAX_CURSOR_LENGTH = 2_048;

function refusal(argument: string, problem: string): GraphQLError {
  return new GraphQLError(`${argument} ${problem}`, {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
  });
}

/** Every String and ID in the value, at its argument path (list items take their list's path). */
function checkText(value: unknown, type: GraphQLInputType, path: string, maxLength: number): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkText(value, type.ofType, path, maxLength);
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a list of one.
    for (const item of Array.isArray(value) ? value : [value]) checkText(item, type.ofType as GraphQLInputType, path, maxLength);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object') return;
    const fields = type.getFields();
    for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
      const definition = fields[name];
      if (definition) checkText(field, definition.type, `${path}.${name}`, MAX_TEXT_LENGTH);
    }
    return;
  }
  if ((type.name === 'String' || type.name === 'ID') && typeof value === 'string') {
    const problem = textProblem(value, maxLength);
    if (problem) throw refusal(path, problem);
  }
}

/**
 * Refuses text that PostgreSQL cannot store, or longer than its bound, in any argument of the
 * operation, literal or variable, before any resolver runs; the error names the argument (as
 * `filter.search`). Walking the schema's types, it covers every argument a new field brings.
 */
export function checkArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!argument || !parent || !field) return;
        const bound = OWN_BOUNDS[`${parent.name}.${field.name}(${argument.name})`];
        if (bound === 'rows') return;
        const named = getNamedType(argument.type);
        const maxLength = bound ?? (argument.name === CURSOR_ARGUMENT && named.name === 'String' ? MAX_CURSOR_LENGTH : MAX_TEXT_LENGTH);
        // Raw values: a variable comes as sent; coercion (and its errors) follows in execution.
        checkText(valueFromAST(node.value, argument.type, variables), argument.type, argument.name, maxLength);
      },
    }),
  );
}

/** The variable sets remembered per document as checked: a dashboard sends a few, a BI tool pages with many. */
const CHECKED_PER_DOCUMENT = 64;

/**
 * Apollo reuses the parsed document of a query it has seen, and the check depends on nothing but
 * the document and the variables: a repeated request is checked once, not walked every time.
 */
const checked = new WeakMap<DocumentNode, Set<string>>();

export function inputGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const variables = request.variables ?? {};
          const key = JSON.stringify(variables);
          let passed = checked.get(document);
          if (passed?.has(key)) return;
          checkArguments(schema, document, variables);
          if (!passed) checked.set(document, (passed = new Set()));
          if (passed.size >= CHECKED_PER_DOCUMENT) passed.clear();
          passed.add(key);
        },
      };
    },
  };
}
