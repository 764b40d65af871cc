import 'reflect-metadata';
import { parse, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { variableDefaultsFiller } from '../../src/http/variable-defaults.js';
import { graphql } from '../support/server.js';
import { useTestDatabase } from '../support/database.js';
import { seedBook, useGraphServer } from '../graph/book.js';

let schema: Awaited<ReturnType<typeof buildGraphSchema>>;
beforeAll(async () => {
  schema = await buildGraphSchema();
});

function operation(text: string): OperationDefinitionNode {
  return parse(text).definitions[0] as OperationDefinitionNode;
}

describe('the variables handed to graphql-jit', () => {
  it('get every absent input field default as a client would send it, in lists and nested inputs', () => {
    const fill = variableDefaultsFiller(
      schema,
      operation('query ($orderBy: [AssetGroupOrder!], $input: OptimizationInput!) { __typename }'),
    )!;
    const filled = fill({
      orderBy: [{ field: 'COUNT' }, { field: 'MARKET_VALUE', direction: 'DESC' }],
      input: { objective: 'MIN_VOLATILITY', lotSize: '10' },
    });
    expect(filled.orderBy).toEqual([
      { field: 'COUNT', direction: 'ASC' },
      { field: 'MARKET_VALUE', direction: 'DESC' },
    ]);
    expect(filled.input).toMatchObject({
      objective: 'MIN_VOLATILITY',
      lotSize: '10',
      gamma: 0,
      riskFreeRate: 0.02,
      riskModel: 'SAMPLE_COV',
      expectedReturns: 'MEAN_HISTORICAL',
      assetBounds: [],
      sectorCaps: [],
    });
  });

  it("fill the operation's own default of an absent variable, and leave null and wrong shapes to coercion", () => {
    const fill = variableDefaultsFiller(schema, operation('query ($orderBy: [AssetOrder!] = [{field: NAME}]) { __typename }'))!;
    expect(fill({})).toEqual({ orderBy: [{ field: 'NAME', direction: 'ASC' }] });
    expect(fill({ orderBy: null })).toEqual({ orderBy: null });
    expect(fill({ orderBy: 'NAME' })).toEqual({ orderBy: 'NAME' });
  });

  it('are left alone when no variable reaches a default', () => {
    expect(variableDefaultsFiller(schema, operation('query ($first: Int, $filter: AssetFilter) { __typename }'))).toBeUndefined();
  });
});

describe('an operation whose variables leave out a non-null field with a default', () => {
  const db = useTestDatabase();
  const { url } = useGraphServer(db, (sql) => seedBook(sql, { assets: 30, days: 20, portfolios: 2, seed: 5 }));
  const query = `query ($orderBy: [AssetGroupOrder!]) {
    assetAggregates(groupBy: [ASSET_TYPE], orderBy: $orderBy) { keys { value } count }
  }`;

  it('answers as with the default written out', async () => {
    const implied = await graphql(url(), query, { orderBy: [{ field: 'COUNT' }] });
    const explicit = await graphql(url(), query, { orderBy: [{ field: 'COUNT', direction: 'ASC' }] });
    expect(implied.errors).toBeUndefined();
    expect(implied.data).toEqual(explicit.data);
    const counts = (implied.data!.assetAggregates as Array<{ count: number }>).map((group) => group.count);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.length).toBeGreaterThan(1);
  });

  it('still refuses a bad value of that field by name', async () => {
    const refused = await graphql(url(), query, { orderBy: [{ field: 'COUNT', direction: 'SIDEWAYS' }] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toContain('direction');
  });
});
