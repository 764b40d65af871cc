import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ObjectType({ description: 'Where a page ends, and whether another page follows it.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page; null on an empty page.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `How many edges, from 0 to ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

/** What a connection resolver returns; totalCount is a promise made only when a client reads it. */
export interface Page<TNode> {
  edges: Edge<TNode>[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/**
 * A Relay connection type over a node type, with its edge type named after the node
 * (AssetConnection, AssetEdge, …).
 */
export function Connection<TNode extends object>(Node: ClassType<TNode>) {
  @ObjectType(`${Node.name}Edge`)
  class NodeEdge implements Edge<TNode> {
    @Field(() => String)
    cursor!: string;

    @Field(() => Node)
    node!: TNode;
  }

  @ObjectType()
  abstract class NodeConnection implements Page<TNode> {
    @Field(() => [NodeEdge])
    edges!: NodeEdge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // Not simple: the value is a promise, which only a resolver's result is awaited for (graphql-jit).
    @Field(() => Int, {
      simple: false,
      description: 'How many nodes match in all, whatever the page; counted only when asked for.',
    })
    totalCount!: Promise<number>;
  }

  return NodeConnection;
}
