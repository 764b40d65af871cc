import postgres from 'postgres';

export type Sql = postgres.Sql;

const DATE_OID = 1082;

export interface SqlOptions {
  max?: number;
  onnotice?: (notice: postgres.Notice) => void;
  connection?: Record<string, string | number | boolean>;
  /** Called with every statement sent; tests count statements with it. */
  debug?: (connection: number, query: string, parameters: unknown[], paramTypes: unknown[]) => void;
}

/**
 * numeric and bigint stay strings (exact money, ids beyond 2^53); dates stay YYYY-MM-DD strings,
 * because a JS Date would move them through the server's time zone.
 */
export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: options.onnotice ?? (() => {}),
    connection: { application_name: 'asset360', ...options.connection },
    ...(options.debug ? { debug: options.debug } : {}),
    types: {
      date: {
        to: DATE_OID,
        from: [DATE_OID],
        serialize: (value: string) => value,
        parse: (value: string) => value,
      },
    },
  });
}

/**
 * The options of the API's pool: PostgreSQL stops any of its statements that runs longer than the
 * timeout, so that no request holds a connection for long. Migrations, builds and the worker use
 * pools without it.
 */
export function apiSqlOptions(statementTimeoutMs: number, options: SqlOptions = {}): SqlOptions {
  return { ...options, connection: { ...options.connection, statement_timeout: statementTimeoutMs } };
}

export async function isReachable(sql: Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
