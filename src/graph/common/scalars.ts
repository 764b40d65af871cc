import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateResolver } from 'graphql-scalars';
import { DATE_RANGE, isStorableDate, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, isStorableDecimal } from '../../lib/input.js';

/**
 * Exact numerics travel as strings: a JSON number would pass through binary floating point in
 * most clients. Inputs accept a string (or an integer literal) and are kept as the string.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: `An exact decimal number, serialized as a string such as "1234.5678"; as input, at most ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after it.`,
  serialize(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'bigint') return value.toString();
    throw new GraphQLError(`Decimal cannot represent ${typeof value} values exactly`);
  },
  parseValue(value) {
    return parseDecimal(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT) {
      throw new GraphQLError('Decimal must be a string such as "12.50"', { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    }
    try {
      return parseDecimal(ast.value);
    } catch (error) {
      throw atLiteral(error, ast);
    }
  },
});

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !isStorableDecimal(text)) {
    throw new GraphQLError(
      `Decimal must be a string such as "12.50", with at most ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after it`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return text;
}

/**
 * graphql-scalars' Date, bounded to what PostgreSQL's date stores: it took 0000-01-01, which
 * PostgreSQL refuses, so that the refusal came from the database as a server fault. Inputs become a
 * JS Date at midnight UTC, as graphql-scalars makes them; outputs serialize as it does.
 */
export const DateScalar = new GraphQLScalarType<Date, string>({
  name: 'Date',
  description: `A calendar day such as 2007-12-03 (RFC 3339 full-date); as input, ${DATE_RANGE}.`,
  serialize: (value) => DateResolver.serialize(value) as string,
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    try {
      if (ast.kind !== Kind.STRING) throw dateError(ast.kind);
      return parseDate(ast.value);
    } catch (error) {
      throw atLiteral(error, ast);
    }
  },
});

/** The refusal of a literal carries its node, by which formatError finds the argument it belongs to. */
function atLiteral(error: unknown, ast: ValueNode): unknown {
  return error instanceof GraphQLError ? new GraphQLError(error.message, { nodes: ast, extensions: error.extensions }) : error;
}

function dateError(got: unknown): GraphQLError {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : typeof got;
  return new GraphQLError(`Date must be ${DATE_RANGE}, got ${shown}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseDate(value: unknown): Date {
  if (typeof value !== 'string' || !isStorableDate(value)) throw dateError(value);
  return new Date(`${value}T00:00:00Z`);
}
