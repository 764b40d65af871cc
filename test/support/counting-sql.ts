import { createSql, type Sql } from '../../src/infra/db.js';

export interface CountingSql {
  sql: Sql;
  /** Every statement sent since the pool opened, whitespace collapsed. */
  statements: string[];
  /** Runs `run` and returns what it sent, each statement cut to 100 characters for messages. */
  count<T>(run: () => Promise<T>): Promise<{ result: T; statements: number; sent: string[] }>;
}

/**
 * A pool that records every statement it sends, with its connections opened up front so that a new
 * connection's type lookups are not counted.
 */
export async function countingSql(url: string, connections = 4): Promise<CountingSql> {
  const statements: string[] = [];
  const sql = createSql(url, { max: connections, debug: (_connection, query) => statements.push(query.replace(/\s+/g, ' ').trim()) });
  await Promise.all(Array.from({ length: connections }, () => sql`select pg_sleep(0.05)`));
  statements.length = 0;
  return {
    sql,
    statements,
    async count(run) {
      const before = statements.length;
      const result = await run();
      const sent = statements.slice(before).map((query) => query.slice(0, 100));
      return { result, statements: sent.length, sent };
    },
  };
}
