import { afterAll, beforeAll } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import type { Sql } from '../../src/infra/db.js';
import { buildAsset360 } from '../../src/jobs/build-asset-360.js';
import { graphqlClient, type Execute } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A Monday, so that the demo calendar ends on it. */
export const AS_OF = '2025-06-30';

/** A generated book of the demo seed, built into asset_360 as of AS_OF. */
export async function seedBook(sql: Sql, { assets = 60, days = 80, portfolios = 4, seed = 7 } = {}): Promise<void> {
  await seedDemo(sql, { assets, days, portfolios, seed, asOf: AS_OF });
  await buildAsset360(sql, AS_OF);
}

/** A server over the given database for the enclosing file, with a typed client; env adds to the test server's. */
export function useGraphServer(
  db: { readonly sql: Sql },
  prepare: (sql: Sql) => Promise<void> = async () => {},
  env: Record<string, string> = {},
) {
  let server: TestServer | undefined;
  let client: Execute | undefined;
  beforeAll(async () => {
    await prepare(db.sql);
    server = await startTestServer(db.sql, env);
    client = graphqlClient(server.url);
  });
  afterAll(() => server?.close());
  const execute: Execute = (document, variables) => {
    if (!client) throw new Error('useGraphServer(): the server runs only inside tests');
    return client(document, variables);
  };
  return { execute, url: () => server!.url };
}

export interface PageOf<TNode> {
  edges: Array<{ cursor: string; node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every node of a connection, page after page, calling `between` after each page. */
export async function walk<TNode>(
  page: (after: string | null) => Promise<PageOf<TNode>>,
  between: () => Promise<void> = async () => {},
): Promise<TNode[]> {
  const nodes: TNode[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const { edges, pageInfo } = await page(after);
    nodes.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return nodes;
    if (pageInfo.endCursor === null || edges[edges.length - 1]?.cursor !== pageInfo.endCursor) {
      throw new Error('a page with a next page must end with its endCursor');
    }
    after = pageInfo.endCursor;
    await between();
  }
  throw new Error('the connection did not end');
}
