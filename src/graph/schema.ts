import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AssetResolver } from './asset/asset.resolver.js';

export const resolvers = [AssetResolver] as const;

export function buildGraphSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [...resolvers], validate: false });
}
