import { getMetadataStorage } from 'type-graphql';

/**
 * `Type.field` of every field whose own resolver may read data: the queries and the field resolvers
 * (methods of resolver classes, and @Field methods of object types). The other fields are
 * properties of what their parent's resolver returned. Read after the schema is built: type-graphql
 * links the resolver classes to their object types then.
 */
export function resolverFields(): Set<string> {
  const storage = getMetadataStorage();
  const names = new Set<string>();
  for (const query of storage.queries) names.add(`Query.${query.schemaName}`);
  for (const field of storage.fieldResolvers) {
    const target = field.kind === 'external' ? field.resolverClassMetadata?.getObjectType() : field.target;
    const type = storage.objectTypes.find((object) => object.target === target);
    if (type) names.add(`${type.name}.${field.schemaName}`);
  }
  return names;
}
