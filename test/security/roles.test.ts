import { getMetadataStorage } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/viewer.js';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { seedBook } from '../graph/book.js';
import { AUTH_ON, bearer, expectNoLeak } from './support.js';

const db = useTestDatabase();
let server: TestServer;
let assetId: string;

interface Guarded {
  /** The field or operation, as it is named in the schema. */
  field: string;
  /** The least role that may use it. */
  role: Role;
  query: string;
  variables?: Record<string, unknown>;
  /** Where the field's value is in data. */
  path: Array<string | number>;
}

const asset = (field: string): Guarded => ({
  field,
  role: 'ANALYST',
  query: `query($id: ID!) { asset(id: $id) { id ${field} } }`,
  path: ['asset', field],
});

/** Every field and operation with an @Authorized role. The test below checks none is missing. */
const GUARDED: Guarded[] = [
  ...['positionQuantity', 'marketValue', 'marketValueBase', 'totalTransactions', 'totalPurchases', 'totalSales', 'avgTransactionCost'].map(
    asset,
  ),
  {
    field: 'totalValue',
    role: 'ANALYST',
    query: '{ portfolioOverview { totalAssets totalValue } }',
    path: ['portfolioOverview', 'totalValue'],
  },
  {
    field: 'marketValue',
    role: 'ANALYST',
    query: '{ sectorExposure { key count marketValue } }',
    path: ['sectorExposure', 0, 'marketValue'],
  },
  {
    field: 'transactionAnalysis',
    role: 'ANALYST',
    query: '{ transactionAnalysis(months: 2) { month tradeCount } }',
    path: ['transactionAnalysis'],
  },
  {
    field: 'recordTrade',
    role: 'ANALYST',
    query: 'mutation($input: TradeInput!) { recordTrade(input: $input) { id } }',
    variables: { input: { assetId: '999999', portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '1', price: '1' } },
    path: ['recordTrade'],
  },
  { field: 'importTrades', role: 'ANALYST', query: 'mutation { importTrades(csv: "") { rows imported } }', path: ['importTrades'] },
  {
    field: 'setCostMethod',
    role: 'ANALYST',
    query: 'mutation { setCostMethod(portfolioId: "999999", method: FIFO) { id } }',
    path: ['setCostMethod'],
  },
  { field: 'rebuildAsset360', role: 'OPERATOR', query: 'mutation { rebuildAsset360 { id } }', path: ['rebuildAsset360'] },
  {
    field: 'setRebuildSchedule',
    role: 'OPERATOR',
    query: 'mutation { setRebuildSchedule(pattern: "0 3 * * *") { pattern } }',
    path: ['setRebuildSchedule'],
  },
  { field: 'pauseRebuilds', role: 'OPERATOR', query: 'mutation { pauseRebuilds { paused } }', path: ['pauseRebuilds'] },
  { field: 'resumeRebuilds', role: 'OPERATOR', query: 'mutation { resumeRebuilds { paused } }', path: ['resumeRebuilds'] },
  { field: 'rebuildJob', role: 'OPERATOR', query: '{ rebuildJob(id: "1") { id } }', path: ['rebuildJob'] },
  { field: 'rebuildSchedule', role: 'OPERATOR', query: '{ rebuildSchedule { pattern } }', path: ['rebuildSchedule'] },
  { field: 'riskSchedule', role: 'OPERATOR', query: '{ riskSchedule { pattern } }', path: ['riskSchedule'] },
  {
    field: 'setRiskSchedule',
    role: 'OPERATOR',
    query: 'mutation { setRiskSchedule(pattern: "0 22 * * 1-5") { pattern } }',
    path: ['setRiskSchedule'],
  },
  { field: 'runRiskEngine', role: 'OPERATOR', query: 'mutation { runRiskEngine { id } }', path: ['runRiskEngine'] },
];

beforeAll(async () => {
  await seedBook(db.sql, { assets: 20, days: 40, portfolios: 3, seed: 5 });
  [{ assetId }] = await db.sql<[{ assetId: string }]>`
    select asset_id::text as "assetId" from asset_360
    where position_quantity <> 0 and market_value is not null and total_purchases > 0 and total_sales > 0
    order by asset_id limit 1`;
  server = await startTestServer(db.sql, AUTH_ON);
});

afterAll(() => server?.close());

function valueAt(response: GraphQLResponse, path: Array<string | number>): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | null | undefined)?.[key], response.data);
}

describe('the table of guarded fields', () => {
  it('lists every field and operation that has a role, with that role', async () => {
    await buildGraphSchema();
    const { authorizedFields } = getMetadataStorage();
    const declared = new Set(authorizedFields.map(({ fieldName, roles }) => `${fieldName} ${roles.join(',')}`));
    expect([...new Set(GUARDED.map(({ field, role }) => `${field} ${role}`))].sort()).toEqual([...declared].sort());
  });

  it('includes every mutation of the schema', async () => {
    const mutations = Object.keys((await buildGraphSchema()).getMutationType()!.getFields());
    expect(mutations.filter((name) => !GUARDED.some((guarded) => guarded.field === name))).toEqual([]);
  });
});

describe.each(ROLES)('a %s token', (role) => {
  it.each(GUARDED.map((guarded) => [`${guarded.path.join('.')} (needs ${guarded.role})`, guarded] as const))(
    '%s',
    async (_name, guarded) => {
      const response = await graphql(server.url, guarded.query, { id: assetId, ...guarded.variables }, await bearer(role));
      expectNoLeak(response);
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(guarded.role);
      const codes = (response.errors ?? []).map((error) => error.extensions?.code);
      if (allowed) {
        expect(codes).not.toContain('FORBIDDEN');
        expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
        if (!response.errors) expect(valueAt(response, guarded.path)).not.toBeNull();
        return;
      }
      expect(response.status).toBe(200);
      // One error for each object the field is read on: one per slice of sectorExposure.
      expect(new Set(codes)).toEqual(new Set(['FORBIDDEN']));
      expect(response.errors![0]).toMatchObject({
        path: guarded.path,
        extensions: { code: 'FORBIDDEN' },
        message: expect.stringContaining(`needs the ${guarded.role} role or above; your token has ${role}`),
      });
      expect(valueAt(response, guarded.path) ?? null).toBeNull();
    },
  );
});

describe('a VIEWER reading an asset', () => {
  it('gets every other field, with the firm-wide ones null and one FORBIDDEN error each', async () => {
    const fields = GUARDED.filter((guarded) => guarded.path[0] === 'asset').map((guarded) => guarded.path[1]);
    const response = await graphql(
      server.url,
      `query($id: ID!) { asset(id: $id) { id name currentPrice valueAtRisk activeViolations ${fields.join(' ')} } }`,
      { id: assetId },
      await bearer('VIEWER'),
    );
    expect(response.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual(
      fields.map((field) => [`asset.${field}`, 'FORBIDDEN']),
    );
    expect(response.data?.asset).toMatchObject({ id: assetId, name: expect.any(String), currentPrice: expect.any(String) });
    for (const field of fields) expect(response.data!.asset[field as string]).toBeNull();
  });
});
