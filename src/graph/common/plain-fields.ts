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

/** The parts of type-graphql's metadata storage read here (it exports the storage, not its type). */
interface Storage {
  fields: FieldEntry[];
  authorizedFields: TargetedEntry[];
  authorizedResolver: TargetedEntry[];
  middlewares: TargetedEntry[];
  resolverMiddlewares: TargetedEntry[];
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
  const wholeClass = new Set([...storage.authorizedResolver, ...storage.resolverMiddlewares].map((entry) => entry.target));
  const perField = new Set([...storage.authorizedFields, ...storage.middlewares]);
  const guarded = (field: FieldEntry) =>
    wholeClass.has(field.target) || [...perField].some((entry) => entry.target === field.target && entry.fieldName === field.name);
  for (const field of storage.fields) {
    if (field.simple === undefined && field.name === field.schemaName && !guarded(field)) field.simple = true;
  }
}
