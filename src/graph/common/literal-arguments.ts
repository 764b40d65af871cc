import { Kind, type ASTNode, type ASTVisitor, type ValueNode } from 'graphql';

/**
 * The argument path (`filter.from`) of each literal value in a validated document, so that a scalar
 * refusing a literal (which fails validation, before any argument is known) can be named as a
 * variable's refusal is. Keyed by the parsed document's nodes, which Apollo keeps while it caches it.
 */
const paths = new WeakMap<ASTNode, string>();

function record(value: ValueNode, path: string): void {
  paths.set(value, path);
  if (value.kind === Kind.OBJECT) for (const field of value.fields) record(field.value, `${path}.${field.name.value}`);
  else if (value.kind === Kind.LIST) for (const item of value.values) record(item, path);
}

/** A validation rule that reports nothing: it remembers where each literal stands. */
export function literalArgumentPaths(): ASTVisitor {
  return {
    Argument(node) {
      record(node.value, node.name.value);
    },
  };
}

export function argumentOfLiteral(node: ASTNode | undefined): string | undefined {
  return node && paths.get(node);
}
