import { getMetadataStorage } from 'type-graphql';

interface FieldEntry {
  target: object;
  name: string;
  schemaName: string;
  simple?: boolean;
}

interface TargetedEntry {
  target: object;
  fieldName?: string;
}

interface ResolverEntry {
  target: object;
  methodName: string;
  schemaName: string;
  getObjectType?: () => object;
}

/** The parts of type-graphql's metadata storage read here (it exports the storage, not its type). */
interface Storage {
  fields: FieldEntry[];
  authorizedFields: TargetedEntry[];
  authorizedResolver: TargetedEntry[];
  middlewares: TargetedEntry[];
  resolverMiddlewares: TargetedEntry[];
  objectTypes: Array<{ target: object; name: string }>;
  queries: ResolverEntry[];
  fieldResolvers: ResolverEntry[];
}

/** Whether a field of a class (a property or a resolver method) runs a rule or a middleware. */
function guard(storage: Storage): (target: object, name: string) => boolean {
  const wholeClass = new Set([...storage.authorizedResolver, ...storage.resolverMiddlewares].map((entry) => entry.target));
  const perField = [...storage.authorizedFields, ...storage.middlewares];
  return (target, name) => wholeClass.has(target) || perField.some((entry) => entry.target === target && entry.fieldName === name);
}

/**
 * "Type.field" of every field whose resolution runs an @Authorized rule or a middleware, on a property
 * or on a query or field resolver: a path that answers such a field without its resolver must leave
 * it to the resolver.
 */
export function guardedFields(): Set<string> {
  const storage = getMetadataStorage() as unknown as Storage;
  const guarded = guard(storage);
  const typeName = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  const names = new Set<string>();
  for (const field of storage.fields)
    if (guarded(field.target, field.name)) names.add(`${typeName.get(field.target) ?? '?'}.${field.schemaName}`);
  for (const query of storage.queries) if (guarded(query.target, query.methodName)) names.add(`Query.${query.schemaName}`);
  for (const resolver of storage.fieldResolvers) {
    const owner = resolver.getObjectType?.();
    if (guarded(resolver.target, resolver.methodName)) names.add(`${(owner && typeName.get(owner)) ?? '?'}.${resolver.schemaName}`);
  }
  return names;
}

/**
 * Marks every @Field that is a plain property (no @Authorized, no middleware, not renamed) as
 * type-graphql's `simple`, so that it gets no resolver of its own and graphql reads the property
 * directly. Otherwise type-graphql wraps each such field in a resolver that builds a middleware
 * context for an empty middleware list, once per field of every object of every response. Fields with
 * a rule or a middleware keep their wrapper (so their checks still run), and so do field resolvers,
 * which type-graphql resolves before looking at `simple`. Call before buildSchema, which must be
 * given no global middlewares.
 */
export function resolvePlainFieldsDirectly(): void {
  const storage = getMetadataStorage() as unknown as Storage;
  const guarded = guard(storage);
  for (const field of storage.fields) {
    if (field.simple === undefined && field.name === field.schemaName && !guarded(field.target, field.name)) field.simple = true;
  }
}
