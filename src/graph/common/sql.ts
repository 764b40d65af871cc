import type postgres from 'postgres';
import type { Sql } from '../../infra/db.js';

export type Fragment = postgres.Fragment;

/** Joins fragments with a separator; postgres.js itself only joins a fragment list with spaces. */
export function join(sql: Sql, fragments: readonly Fragment[], separator: ', ' | ' and ' | ' or '): Fragment {
  return fragments.reduce((joined, next) =>
    separator === ', ' ? sql`${joined}, ${next}` : separator === ' and ' ? sql`${joined} and ${next}` : sql`${joined} or ${next}`,
  );
}

/** The conjunction of conditions; true when there are none. */
export function and(sql: Sql, conditions: readonly Fragment[]): Fragment {
  return conditions.length ? sql`(${join(sql, conditions, ' and ')})` : sql`true`;
}

/** The disjunction of conditions; false when there are none. */
export function or(sql: Sql, conditions: readonly Fragment[]): Fragment {
  return conditions.length ? sql`(${join(sql, conditions, ' or ')})` : sql`false`;
}

/** A LIKE pattern matching the text anywhere, with the text's own % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** How many rows a FROM … WHERE … fragment yields. */
export async function countRows(sql: Sql, from: Fragment): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from ${from}`;
  return row!.count;
}
