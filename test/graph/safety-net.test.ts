import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { dataRefusalLog, errorCode, formatError } from '../../src/graph/errors.js';
import { memoryLogger } from '../jobs/support.js';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
const POLICY = { development: false, statementTimeoutMs: 5_000 };

/** A database error as a resolver throws it: GraphQL wraps it with the field's path. */
async function refusedBy(statement: Promise<unknown>): Promise<GraphQLError> {
  const thrown = await statement.then(
    () => {
      throw new Error('the statement was meant to fail');
    },
    (error: unknown) => error as Error,
  );
  return new GraphQLError(thrown.message, { path: ['trades'], originalError: thrown });
}

describe('a value the database refuses that no check caught', () => {
  it('is BAD_USER_INPUT with a plain message and no SQL, for SQLSTATE classes 22 and 23', async () => {
    await db.sql`create table net_checks (id int primary key, amount numeric(4, 2))`;
    const errors = [
      await refusedBy(db.sql`select ${'0000-01-01'}::date`),
      await refusedBy(db.sql`select ${'a\u0000b'}::text`),
      await refusedBy(db.sql`insert into net_checks values (1, 1000)`),
      await refusedBy(db.sql`insert into net_checks values (1, 1), (1, 2)`),
    ];
    for (const error of errors) {
      expect(errorCode(error)).toBe('BAD_USER_INPUT');
      const formatted = formatError({ message: error.message, path: ['trades'], extensions: {} }, error, POLICY);
      expect(formatted).toEqual({
        message: 'an argument holds a value the database cannot store (out of range or malformed)',
        path: ['trades'],
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });

  it('is logged at warn with the request id, so that the missing check gets written', async () => {
    const { log, lines } = memoryLogger();
    const error = await refusedBy(db.sql`select ${'0000-01-01'}::date`);
    const plugin = dataRefusalLog(log);
    const hooks = await plugin.requestDidStart!({ contextValue: { requestId: 'req-42' } } as never);
    await hooks!.didEncounterErrors!({ errors: [error, new GraphQLError('not from the database')] } as never);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'the database refused a value that no input check caught',
        requestId: 'req-42',
        path: 'trades',
        sqlState: '22008',
      }),
    ]);
  });

  it('leaves other database errors to INTERNAL_SERVER_ERROR, masked', async () => {
    const error = await refusedBy(db.sql`select * from no_such_table`);
    expect(errorCode(error)).toBe('INTERNAL_SERVER_ERROR');
    expect(formatError({ message: error.message, path: ['trades'], extensions: {} }, error, POLICY)).toEqual({
      message: 'Internal server error',
      path: ['trades'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
