import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { CACHE_EXTENSION, type CacheDeclaration, type Dependency } from './reads.js';

export type OperationReads = { bypass: string } | { bypass?: undefined; reads: readonly Dependency[] };

/**
 * What an operation reads: the union of the declarations of every field it selects (through
 * fragments too; @skip and @include are ignored, which can only add sources), or why it bypasses
 * the cache. A field of `resolverFields` that declares nothing bypasses it: an undeclared field
 * could read anything. Fields of plain properties read nothing of their own.
 */
export function operationReads(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  resolverFields: ReadonlySet<string>,
): OperationReads {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((definition) => definition.name?.value === operationName) : operations[0];
  if (!operation) return { bypass: 'no operation' };
  if (operation.operation !== 'query') return { bypass: operation.operation };

  const reads = new Set<Dependency>();
  let bypass: string | undefined;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  // The operation, then each fragment it spreads (however deep), once: unused fragments read nothing.
  const queue: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  const queued = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    FragmentSpread(spread) {
      const fragment = fragments.get(spread.name.value);
      if (fragment && !queued.has(fragment.name.value)) {
        queued.add(fragment.name.value);
        queue.push(fragment);
      }
    },
    Field() {
      const field = typeInfo.getFieldDef();
      const parent = typeInfo.getParentType();
      if (!field || !parent || field.name.startsWith('__')) return;
      const name = `${parent.name}.${field.name}`;
      const declared =
        (field.extensions[CACHE_EXTENSION] as CacheDeclaration | undefined) ??
        (resolverFields.has(name) ? (parent.extensions[CACHE_EXTENSION] as CacheDeclaration | undefined) : undefined);
      if (!declared) {
        if (resolverFields.has(name)) bypass ??= `${name} declares no sources`;
        return;
      }
      if (declared.bypass) bypass ??= `${name}: ${declared.bypass}`;
      for (const dependency of declared.reads ?? []) reads.add(dependency);
    },
  });
  for (let next = queue.shift(); next; next = queue.shift()) visit(next, visitor);
  return bypass ? { bypass } : { reads: [...reads].sort() };
}
