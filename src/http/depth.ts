import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * How deeply the operation nests its fields, fragments expanded: `{ asset { id } }` is 2. Each
 * fragment is measured once, so a fragment spread many times costs no more to measure. `ofType`
 * does not count: it unwraps one type reference, and the standard introspection query nests it
 * seven deep.
 */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentDepths = new Map<string, number>();

  const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const own = selection.name.value === 'ofType' ? 0 : 1;
        deepest = Math.max(deepest, own + depthOf(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet));
      } else {
        const name = selection.name.value;
        if (!fragmentDepths.has(name)) {
          // Validation has refused fragment cycles already; the placeholder only keeps this finite.
          fragmentDepths.set(name, 0);
          fragmentDepths.set(name, depthOf(fragments.get(name)?.selectionSet));
        }
        deepest = Math.max(deepest, fragmentDepths.get(name)!);
      }
    }
    return deepest;
  };

  return depthOf(operation.selectionSet);
}
