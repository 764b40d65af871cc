import type { Sql } from '../../infra/db.js';
import { BadUserInputError } from '../../lib/errors.js';
import { isStorableDate, textProblem } from '../../lib/input.js';
import { intInRange } from './arguments.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from './connection.js';
import { and, countRows, join, or, type Fragment } from './sql.js';

/** How a key's value travels in a cursor and is cast back when compared. */
export type KeyKind = 'text' | 'numeric' | 'float' | 'int' | 'date' | 'id';
export type Direction = 'ASC' | 'DESC';
export type KeyValue = string | number | null;

export interface SortKey {
  /** Names the key inside cursors, so that a cursor made for another ordering is refused. */
  name: string;
  expression: Fragment;
  kind: KeyKind;
  direction: Direction;
  nullable: boolean;
}

/** A validated forward page request: how many rows, after which key values. */
export interface PageRequest {
  first: number;
  after: KeyValue[] | null;
}

const MAX_ID = 9223372036854775807n;
/** A cursor is at most 2048 characters in all; its text keys are bounded by that. */
const MAX_CURSOR_TEXT = 2_048;

const VALID: Record<KeyKind, (value: unknown) => boolean> = {
  text: (value) => typeof value === 'string' && textProblem(value, MAX_CURSOR_TEXT) === undefined,
  numeric: (value) => typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value),
  float: (value) => typeof value === 'number' && Number.isFinite(value),
  int: (value) => Number.isSafeInteger(value),
  date: (value) => typeof value === 'string' && isStorableDate(value),
  id: (value) => typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_ID,
};

/**
 * Keyset pagination over an ordering whose last key is a unique, non-null id. A page is "the
 * rows after these key values", never an OFFSET, so rows inserted or deleted elsewhere neither
 * shift nor repeat the rows of later pages. NULL keys sort last in both directions, and a
 * cursor may carry a NULL key.
 */
export class Keyset {
  private readonly signature: string;
  /** The fragments that depend on the ordering alone: a Keyset shared between requests makes them once. */
  private readonly made: Partial<Record<'columns' | 'orderBy' | 'orderByColumns' | 'cursorValues', Fragment>> = {};

  constructor(
    private readonly sql: Sql,
    private readonly keys: readonly SortKey[],
  ) {
    const last = keys[keys.length - 1];
    if (!last || last.kind !== 'id' || last.nullable) throw new Error('a keyset ordering must end with a non-null id');
    this.signature = keys.map((key) => `${key.name} ${key.direction}`).join(',');
  }

  /** Validates `first` and decodes `after`, each error naming its argument. */
  request(args: { first?: number | null; after?: string | null }): PageRequest {
    return {
      first: intInRange(args.first ?? DEFAULT_PAGE_SIZE, 'first', 0, MAX_PAGE_SIZE),
      after: args.after == null ? null : this.decode(args.after, 'after'),
    };
  }

  /** The key values as extra columns _k0, _k1, …, from which each row's cursor is made. */
  columns(): Fragment {
    return (this.made.columns ??= this.makeColumns());
  }

  private makeColumns(): Fragment {
    const { sql } = this;
    return join(
      sql,
      this.keys.map((key, index) => sql`${key.expression} as ${sql(`_k${index}`)}`),
      ', ',
    );
  }

  /**
   * The _k columns as a JSON array whose values JSON.parse makes what postgres.js makes of the columns
   * (numerics and ids as strings), so that cursor() of it is the cursor connection() gives the row.
   */
  cursorValues(): Fragment {
    return (this.made.cursorValues ??= this.makeCursorValues());
  }

  private makeCursorValues(): Fragment {
    const { sql } = this;
    const values = this.keys.map((key, index) => {
      const column = sql(`_k${index}`);
      return key.kind === 'numeric' || key.kind === 'id' ? sql`${column}::text` : sql`${column}`;
    });
    return sql`json_build_array(${join(sql, values, ', ')})`;
  }

  /** The cursor of a row with these key values, in this ordering. */
  cursor(values: readonly unknown[]): string {
    return encodeCursor([this.signature, ...values]);
  }

  orderBy(): Fragment {
    return (this.made.orderBy ??= this.order(this.keys.map((key) => key.expression)));
  }

  /** The same order over the _k columns, for a query that reads this one as a subquery. */
  orderByColumns(): Fragment {
    const { sql } = this;
    return (this.made.orderByColumns ??= this.order(this.keys.map((_key, index) => sql`${sql(`_k${index}`)}`)));
  }

  /** The rows strictly after the given key values in this ordering; all rows when there are none. */
  after(values: readonly KeyValue[] | null): Fragment {
    const { sql, keys } = this;
    if (!values) return sql`true`;
    const direction = keys[0]!.direction;
    if (keys.every((key) => !key.nullable && key.direction === direction)) {
      // One row comparison, which an index on the same columns serves directly.
      const left = join(
        sql,
        keys.map((key) => key.expression),
        ', ',
      );
      const right = join(
        sql,
        keys.map((key, index) => this.parameter(key, values[index]!)),
        ', ',
      );
      return direction === 'ASC' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
    }
    // after(k1..kn) = k1 after c1, or k1 = c1 and k2 after c2, or …
    const alternatives: Fragment[] = [];
    keys.forEach((key, index) => {
      const beyond = this.beyond(key, values[index]!);
      if (!beyond) return;
      const equalBefore = keys.slice(0, index).map((previous, j) => this.equal(previous, values[j]!));
      alternatives.push(and(sql, [...equalBefore, beyond]));
    });
    return or(sql, alternatives);
  }

  /** Builds the connection from rows fetched with `limit first + 1`, in this ordering. */
  connection<TNode>(rows: readonly Record<string, unknown>[], first: number, count: () => Promise<number>): Page<TNode> {
    // The _k columns stay on the node: GraphQL reads only the fields it asks for.
    const edges = rows.slice(0, first).map((row) => ({
      cursor: this.cursor(this.keys.map((_key, index) => row[`_k${index}`])),
      node: row as TNode,
    }));
    let total: Promise<number> | undefined;
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      get totalCount() {
        total ??= count();
        return total;
      },
    };
  }

  private decode(cursor: string, argument: string): KeyValue[] {
    const invalid = () => new BadUserInputError(`${argument} is not a cursor of this list in this order`, argument);
    if (cursor.length > 2048 || !/^[\w-]*$/.test(cursor)) throw invalid();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!Array.isArray(decoded) || decoded.length !== this.keys.length + 1 || decoded[0] !== this.signature) throw invalid();
    const values = decoded.slice(1) as unknown[];
    this.keys.forEach((key, index) => {
      const value = values[index];
      if (value === null ? !key.nullable : !VALID[key.kind](value)) throw invalid();
    });
    return values as KeyValue[];
  }

  private order(expressions: readonly Fragment[]): Fragment {
    const { sql } = this;
    return join(
      sql,
      this.keys.map((key, index) => {
        const expression = expressions[index]!;
        if (key.direction === 'ASC') return sql`${expression} asc nulls last`;
        // Without NULLs, a plain DESC matches the order of a descending index (NULLS FIRST).
        return key.nullable ? sql`${expression} desc nulls last` : sql`${expression} desc`;
      }),
      ', ',
    );
  }

  private equal(key: SortKey, value: KeyValue): Fragment {
    const { sql } = this;
    return value === null ? sql`${key.expression} is null` : sql`${key.expression} = ${this.parameter(key, value)}`;
  }

  /** The rows whose key comes after the value; undefined when none can (nothing follows NULL). */
  private beyond(key: SortKey, value: KeyValue): Fragment | undefined {
    const { sql } = this;
    if (value === null) return undefined;
    const parameter = this.parameter(key, value);
    const strictly = key.direction === 'ASC' ? sql`${key.expression} > ${parameter}` : sql`${key.expression} < ${parameter}`;
    return key.nullable ? sql`(${strictly} or ${key.expression} is null)` : strictly;
  }

  private parameter(key: SortKey, value: KeyValue): Fragment {
    const { sql } = this;
    switch (key.kind) {
      case 'text':
        return sql`${value}::text`;
      case 'numeric':
        return sql`${value}::numeric`;
      case 'float':
        return sql`${value}::float8`;
      case 'int':
      case 'id':
        return sql`${value}::int8`;
      case 'date':
        return sql`${value}::date`;
    }
  }
}

function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export interface RootList {
  keyset: Keyset;
  args: { first?: number | null; after?: string | null };
  columns: Fragment;
  /** The table or join the rows come from, with its alias. */
  from: Fragment;
  /** Which rows belong to the list; totalCount counts the same rows. */
  where?: Fragment;
}

/** One page of a root list in its keyset order, with a totalCount counted only when read. */
export async function rootConnection<TNode>(sql: Sql, { keyset, args, columns, from, where = sql`true` }: RootList): Promise<Page<TNode>> {
  const { first, after } = keyset.request(args);
  const rows = await sql`
    select ${columns}, ${keyset.columns()}
    from ${from}
    where ${where} and ${keyset.after(after)}
    order by ${keyset.orderBy()}
    limit ${first + 1}`;
  return keyset.connection<TNode>(rows, first, () => countRows(sql, sql`${from} where ${where}`));
}
