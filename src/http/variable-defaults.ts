import {
  astFromValue,
  getNullableType,
  isInputObjectType,
  isListType,
  typeFromAST,
  valueFromASTUntyped,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

type Filler = (value: unknown) => unknown;

/** A default as a client would have sent it (an enum's name, a scalar's serialized form). */
function rawDefault(value: unknown, type: GraphQLInputType): unknown {
  const literal = astFromValue(value, type);
  return literal ? valueFromASTUntyped(literal) : null;
}

function fillerOf(type: GraphQLInputType, seen: Map<GraphQLInputObjectType, Filler>): Filler | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = fillerOf(nullable.ofType, seen);
    return item && ((value) => (Array.isArray(value) ? value.map(item) : value === null || value === undefined ? value : item(value)));
  }
  if (!isInputObjectType(nullable)) return undefined;
  const known = seen.get(nullable);
  if (known) return known;
  const fields: Array<{ name: string; fallback?: unknown; inner?: Filler }> = [];
  const filler: Filler = (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const given = value as Record<string, unknown>;
    const filled: Record<string, unknown> = { ...given };
    for (const { name, fallback, inner } of fields) {
      if (given[name] === undefined) {
        if (fallback !== undefined) filled[name] = fallback;
      } else if (inner) filled[name] = inner(given[name]);
    }
    return filled;
  };
  // Registered before its fields are read: an input type may contain itself.
  seen.set(nullable, filler);
  for (const field of Object.values(nullable.getFields())) {
    const inner = fillerOf(field.type, seen);
    const fallback = field.defaultValue === undefined ? undefined : rawDefault(field.defaultValue, field.type);
    if (inner || fallback !== undefined) fields.push({ name: field.name, fallback, inner });
  }
  return fields.length ? filler : undefined;
}

/**
 * What graphql-js's coercion does for input fields a variable leaves out, done on the raw values:
 * each absent field with a default gets it. graphql-jit (0.8) leaves such a field out, and refuses
 * the value when the field is non-null, so the compiled executor hands it the variables filled in.
 * Returns undefined when no variable of the operation can reach a default.
 */
export function variableDefaultsFiller(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): ((variables: Record<string, unknown>) => Record<string, unknown>) | undefined {
  const seen = new Map<GraphQLInputObjectType, Filler>();
  const fillers: Array<[name: string, filler: Filler, given: unknown]> = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const filler = type && fillerOf(type, seen);
    // The operation's own default for the variable, as raw as a client's value, so that it is filled in too.
    const given = definition.defaultValue && valueFromASTUntyped(definition.defaultValue);
    if (filler) fillers.push([definition.variable.name.value, filler, given]);
  }
  if (!fillers.length) return undefined;
  return (variables) => {
    const filled = { ...variables };
    for (const [name, filler, given] of fillers) {
      const value = filled[name] === undefined ? given : filled[name];
      if (value !== undefined) filled[name] = filler(value);
    }
    return filled;
  };
}
