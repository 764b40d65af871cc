import { getMetadataStorage } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/viewer.js';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, type GraphQLResponse } from '../support/server.js';
import { TEST_REDIS_URL, useRedisPrefix } from '../support/redis.js';
import { startRebuildServer, type RebuildServer } from '../jobs/support.js';
import { AS_OF, seedBook } from '../graph/book.js';
import { proposeRebalance } from '../../src/optimizer/decisions.js';
import { recordTrade } from '../../src/trades/record-trade.js';
import { systemActor } from '../../src/audit/actor.js';
import { AUTH_ON, bearer, expectNoLeak } from './support.js';

const db = useTestDatabase();
const prefix = useRedisPrefix('roles');
let server: RebuildServer;
let assetId: string;
/** The asset's row of asset_360 and the book's totals, as the allowed roles must read them. */
let book: Record<string, unknown>;

interface Guarded {
  /** The field or operation, as it is named in the schema. */
  field: string;
  /** The least role that may use it. */
  role: Role;
  query: string;
  variables?: Record<string, unknown>;
  /** Where the field's value is in data. */
  path: Array<string | number>;
  /** What a role allowed to use it gets back. */
  allowed(value: any, response: GraphQLResponse): void;
  /** Variables made afresh for each role, for an operation that can run only once on its data. */
  prepare?: (role: Role) => Promise<Record<string, unknown>>;
}

const ASSET_COLUMNS: Record<string, string> = {
  positionQuantity: 'position_quantity',
  marketValue: 'market_value',
  marketValueBase: 'market_value_base',
  totalTransactions: 'total_transactions',
  totalPurchases: 'total_purchases',
  totalSales: 'total_sales',
  avgTransactionCost: 'avg_transaction_cost',
};

const asset = (field: string): Guarded => ({
  field,
  role: 'ANALYST',
  query: `query($id: ID!) { asset(id: $id) { id ${field} } }`,
  path: ['asset', field],
  allowed: (value) => expect(Number(value)).toBeCloseTo(Number(book[ASSET_COLUMNS[field]!]), 6),
});

/** An account of an organization whose ADMINs are the users every role's token names, so that each may pay from it. */
const CASH_ACCOUNT = '900000';

const TRADE = { portfolioId: '1', type: 'BUY', date: '2025-01-02', quantity: '1', price: '10' };

/** Every field and operation with an @Authorized role. The test below checks none is missing. */
const GUARDED: Guarded[] = [
  ...Object.keys(ASSET_COLUMNS).map(asset),
  {
    field: 'totalValue',
    role: 'ANALYST',
    query: '{ portfolioOverview { totalAssets totalValue } }',
    path: ['portfolioOverview', 'totalValue'],
    allowed: (value) => expect(Number(value)).toBeCloseTo(Number(book.total_value), 2),
  },
  {
    field: 'marketValue',
    role: 'ANALYST',
    query: '{ sectorExposure { key count marketValue } }',
    path: ['sectorExposure', 0, 'marketValue'],
    allowed: (_value, response) => {
      const slices = (response.data!.sectorExposure as Array<{ key: string; marketValue: string }>).map(({ key, marketValue }) => [
        key,
        Number(marketValue).toFixed(2),
      ]);
      expect(Object.fromEntries(slices)).toEqual(book.sectors);
    },
  },
  ...(['marketValueShare', 'marketValueBase', 'positionQuantity', 'totalTransactions'] as const).map((field): Guarded => ({
    field,
    role: 'ANALYST',
    query: `{ assetAggregates(groupBy: [SECTOR], rollup: true) { keys { isTotal } count ${field === 'marketValueShare' ? field : `${field} { sum }`} } }`,
    path: ['assetAggregates', 0, field],
    allowed: (_value, response) => {
      const total = (response.data!.assetAggregates as Array<Record<string, any>>).find((group) => group.keys[0].isTotal)!;
      const expected = {
        marketValueShare: 1,
        marketValueBase: book.total_value,
        positionQuantity: book.total_quantity,
        totalTransactions: book.total_trades,
      }[field];
      expect(Number(field === 'marketValueShare' ? total[field] : total[field].sum)).toBeCloseTo(Number(expected), 2);
    },
  })),
  {
    field: 'transactionAnalysis',
    role: 'ANALYST',
    query: '{ transactionAnalysis(months: 2) { month tradeCount } }',
    path: ['transactionAnalysis'],
    allowed: (value: Array<{ month: string; tradeCount: number }>) => {
      expect(value.length).toBeGreaterThan(0);
      for (const month of value) expect(month).toEqual({ month: expect.stringMatching(/^\d{4}-\d{2}/), tradeCount: expect.any(Number) });
    },
  },
  {
    field: 'recordTrade',
    role: 'ANALYST',
    query: 'mutation($input: TradeInput!) { recordTrade(input: $input) { id asset { id } quantity } }',
    variables: { input: { ...TRADE, assetId: '$asset' } },
    path: ['recordTrade'],
    allowed: (value) => expect(value).toEqual({ id: expect.stringMatching(/^\d+$/), asset: { id: assetId }, quantity: '1' }),
  },
  {
    field: 'importTrades',
    role: 'ANALYST',
    query: 'mutation($csv: String!) { importTrades(csv: $csv) { rows imported } }',
    variables: { csv: 'external_id,trade_date,portfolio_id,asset_id,transaction_type,quantity,price\n' },
    path: ['importTrades'],
    allowed: (value) => expect(value).toEqual({ rows: 0, imported: 0 }),
  },
  {
    field: 'proposeRebalance',
    role: 'ANALYST',
    query: `mutation($portfolioId: ID!, $input: OptimizationInput!) { proposeRebalance(portfolioId: $portfolioId, input: $input) { status } }`,
    prepare: async (role) => ({ portfolioId: await rebalancePortfolio(role, 'propose'), input: REBALANCE_INPUT }),
    path: ['proposeRebalance'],
    allowed: (value) => expect(value).toEqual({ status: 'PROPOSED' }),
  },
  {
    field: 'executeRebalance',
    role: 'ANALYST',
    query: 'mutation($decisionId: ID!) { executeRebalance(decisionId: $decisionId) { status } }',
    prepare: async (role) => {
      const decision = await proposeRebalance(db.sql, systemActor('roles-test'), await rebalancePortfolio(role, 'execute'), {
        ...REBALANCE_REQUEST,
        lotSize: '1',
      });
      return { decisionId: decision.id };
    },
    path: ['executeRebalance'],
    allowed: (value) => expect(value).toEqual({ status: 'EXECUTED' }),
  },
  {
    field: 'setRebalanceSchedule',
    role: 'OPERATOR',
    query:
      'mutation { setRebalanceSchedule(portfolioId: "1", pattern: "0 6 * * *", settings: { objective: MIN_VOLATILITY }) { pattern paused } }',
    path: ['setRebalanceSchedule'],
    allowed: (value) => expect(value).toEqual({ pattern: '0 6 * * *', paused: false }),
  },
  {
    field: 'rebalanceSchedule',
    role: 'OPERATOR',
    query: '{ rebalanceSchedule(portfolioId: "1") { portfolioId lookbackDays } }',
    path: ['rebalanceSchedule'],
    allowed: (value) => expect(value).toEqual({ portfolioId: '1', lookbackDays: 1095 }),
  },
  {
    field: 'pauseRebalanceSchedule',
    role: 'OPERATOR',
    query: 'mutation { pauseRebalanceSchedule(portfolioId: "1") { paused } }',
    path: ['pauseRebalanceSchedule'],
    allowed: (value) => expect(value).toEqual({ paused: true }),
  },
  {
    field: 'resumeRebalanceSchedule',
    role: 'OPERATOR',
    query: 'mutation { resumeRebalanceSchedule(portfolioId: "1") { paused } }',
    path: ['resumeRebalanceSchedule'],
    allowed: (value) => expect(value).toEqual({ paused: false }),
  },
  {
    field: 'removeRebalanceSchedule',
    role: 'OPERATOR',
    query: 'mutation { removeRebalanceSchedule(portfolioId: "1") }',
    path: ['removeRebalanceSchedule'],
    allowed: (value) => expect(value).toBe(true),
  },
  {
    field: 'setCostMethod',
    role: 'ANALYST',
    query: 'mutation { setCostMethod(portfolioId: "1", method: FIFO) { id costMethod } }',
    path: ['setCostMethod'],
    allowed: (value) => expect(value).toEqual({ id: '1', costMethod: 'FIFO' }),
  },
  {
    field: 'rebuildAsset360',
    role: 'OPERATOR',
    query: 'mutation { rebuildAsset360 { id state } }',
    path: ['rebuildAsset360'],
    allowed: (value) =>
      expect(value).toEqual({ id: expect.any(String), state: expect.stringMatching(/^(WAITING|ACTIVE|DELAYED|PRIORITIZED)$/) }),
  },
  {
    field: 'setRebuildSchedule',
    role: 'OPERATOR',
    query: 'mutation { setRebuildSchedule(pattern: "0 3 * * *") { pattern tz setBy } }',
    path: ['setRebuildSchedule'],
    allowed: (value) => expect(value).toEqual({ pattern: '0 3 * * *', tz: 'UTC', setBy: 'OPERATOR' }),
  },
  {
    field: 'pauseRebuilds',
    role: 'OPERATOR',
    query: 'mutation { pauseRebuilds { paused } }',
    path: ['pauseRebuilds'],
    allowed: (value) => expect(value).toEqual({ paused: true }),
  },
  {
    field: 'resumeRebuilds',
    role: 'OPERATOR',
    query: 'mutation { resumeRebuilds { paused } }',
    path: ['resumeRebuilds'],
    allowed: (value) => expect(value).toEqual({ paused: false }),
  },
  {
    field: 'rebuildJob',
    role: 'OPERATOR',
    query: '{ rebuildJob(id: "no-such-job") { id } }',
    path: ['rebuildJob'],
    allowed: (value, response) => {
      expect(response.errors).toBeUndefined();
      expect(value).toBeNull();
    },
  },
  {
    field: 'rebuildSchedule',
    role: 'OPERATOR',
    query: '{ rebuildSchedule { pattern tz paused } }',
    path: ['rebuildSchedule'],
    allowed: (value) => expect(value).toEqual({ pattern: '0 3 * * *', tz: 'UTC', paused: false }),
  },
  {
    field: 'riskSchedule',
    role: 'OPERATOR',
    query: '{ riskSchedule { pattern tz } }',
    path: ['riskSchedule'],
    allowed: (value) => expect(value).toEqual({ pattern: expect.stringMatching(/^0 2\d \* \* 1-5$/), tz: 'UTC' }),
  },
  {
    field: 'setRiskSchedule',
    role: 'OPERATOR',
    query: 'mutation { setRiskSchedule(pattern: "0 21 * * 1-5") { pattern setBy } }',
    path: ['setRiskSchedule'],
    allowed: (value) => expect(value).toEqual({ pattern: '0 21 * * 1-5', setBy: 'OPERATOR' }),
  },
  {
    field: 'runRiskEngine',
    role: 'OPERATOR',
    query: 'mutation { runRiskEngine { id state } }',
    path: ['runRiskEngine'],
    allowed: (value) =>
      expect(value).toEqual({ id: expect.any(String), state: expect.stringMatching(/^(WAITING|ACTIVE|DELAYED|PRIORITIZED)$/) }),
  },
  {
    field: 'auditLog',
    role: 'OPERATOR',
    query: '{ auditLog(first: 1) { totalCount edges { node { seq action } } } }',
    path: ['auditLog'],
    allowed: (value) => expect(value).toMatchObject({ totalCount: expect.any(Number) }),
  },
  {
    field: 'auditLogHead',
    role: 'OPERATOR',
    query: '{ auditLogHead { seq hash } }',
    path: ['auditLogHead'],
    allowed: (value) => expect(value).toEqual({ seq: expect.stringMatching(/^[1-9]\d*$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
  },
  {
    field: 'transfer',
    role: 'VIEWER',
    query: 'mutation($input: TransferInput!) { transfer(input: $input) { transferGroup movements { amount section } } }',
    variables: {
      input: {
        fromAccountId: CASH_ACCOUNT,
        counterpartyName: 'Roles',
        counterpartyAccount: 'X1',
        amount: '1',
        currency: 'USD',
        date: '2025-01-02',
      },
    },
    path: ['transfer'],
    allowed: (value) => expect(value).toEqual({ transferGroup: null, movements: [{ amount: '-1', section: 'TRANSFER' }] }),
  },
  {
    field: 'importCashTransactions',
    role: 'ANALYST',
    query: 'mutation($csv: String!) { importCashTransactions(csv: $csv) { rows imported errors { message } } }',
    variables: { csv: 'external_id,account_ref,date,amount,currency,section\n' },
    path: ['importCashTransactions'],
    allowed: (value) => expect(value).toEqual({ rows: 0, imported: 0, errors: [] }),
  },
  {
    field: 'cashCategoryRules',
    role: 'ANALYST',
    query: '{ cashCategoryRules { id category } }',
    path: ['cashCategoryRules'],
    allowed: (value: unknown[]) => expect(value.length).toBeGreaterThan(0),
  },
  {
    field: 'setCashCategoryRule',
    role: 'ANALYST',
    query: 'mutation { setCashCategoryRule(input: { field: DESCRIPTION, pattern: "roles", category: "Roles" }) { pattern category } }',
    path: ['setCashCategoryRule'],
    allowed: (value) => expect(value).toEqual({ pattern: 'roles', category: 'Roles' }),
  },
  {
    field: 'deleteCashCategoryRule',
    role: 'ANALYST',
    query: 'mutation { deleteCashCategoryRule(id: "999999") }',
    path: ['deleteCashCategoryRule'],
    allowed: (value) => expect(value).toBe(false),
  },
  {
    field: 'bankOverview',
    role: 'ADMIN',
    query: '{ bankOverview(asOf: "2025-06-30") { asOf organizations { name } } }',
    path: ['bankOverview'],
    allowed: (value) => expect(value).toMatchObject({ asOf: '2025-06-30', organizations: expect.any(Array) }),
  },
];

const REBALANCE_INPUT = { from: '2000-01-01', to: AS_OF, objective: 'MIN_VOLATILITY' };
const REBALANCE_REQUEST = {
  from: '2000-01-01',
  to: AS_OF,
  assetIds: null,
  objective: { kind: 'MIN_VOLATILITY' as const },
  expectedReturns: 'MEAN_HISTORICAL' as const,
  benchmarkId: null,
  riskModel: 'SAMPLE_COV' as const,
  riskFreeRate: 0.02,
  minWeight: 0,
  maxWeight: 1,
  assetBounds: [],
  gamma: 0,
  sectorCaps: [],
};

/** A portfolio of its own for a role's rebalance: 100 of each of three ACTIVE base-currency assets. */
async function rebalancePortfolio(role: Role, purpose: string): Promise<string> {
  const [portfolio] = await db.sql<[{ id: string }]>`
    insert into portfolios (name) values (${`rebalance ${purpose} ${role}`}) returning portfolio_id::text as id`;
  const assets = await db.sql<{ id: string; price: string }[]>`
    select a.asset_id::text as id, m.closing_price::text as price
    from asset_master a
    join lateral (select closing_price from market_data where asset_id = a.asset_id order by price_date desc limit 1) m on true
    where a.status = 'ACTIVE' and a.currency = (select base_currency from asset_360_settings)
      and (select count(*) from market_data where asset_id = a.asset_id) > 20
    order by a.asset_id limit 3`;
  for (const asset of assets) {
    await recordTrade(
      db.sql,
      {
        ...{ assetId: asset.id, portfolioId: portfolio.id, counterpartyId: null, type: 'BUY', date: AS_OF, quantity: '100' },
        ...{ price: asset.price, costs: '0', currency: null, externalId: null },
      },
      systemActor('roles-test'),
    );
  }
  return portfolio.id;
}

beforeAll(async () => {
  await seedBook(db.sql, { assets: 20, days: 40, portfolios: 3, seed: 5 });
  const [row] = await db.sql<[Record<string, unknown>]>`
    select asset_id::text as "assetId", position_quantity, market_value, market_value_base, total_transactions,
      total_purchases, total_sales, avg_transaction_cost, (select sum(market_value_base) from asset_360) as total_value,
      (select sum(position_quantity) from asset_360) as total_quantity, (select sum(total_transactions) from asset_360) as total_trades
    from asset_360
    where position_quantity <> 0 and market_value is not null and total_purchases > 0 and total_sales > 0
    order by asset_id limit 1`;
  const sectors = await db.sql<Array<{ key: string; value: string }>>`
    select coalesce(sector, 'Unknown') as key, to_char(coalesce(sum(market_value_base), 0), 'FM999999999999990.00') as value
    from asset_360 group by 1`;
  assetId = row.assetId as string;
  await db.sql`insert into organizations (organization_id, name) values (900000, 'Roles Inc')`;
  for (const role of ROLES) {
    const [user] = await db.sql<[{ id: string }]>`
      insert into users (login, name) values (${`security-${role}-1`}, ${role}) returning user_id::text as id`;
    await db.sql`insert into memberships (organization_id, user_id, role) values (900000, ${user.id}::bigint, 'ADMIN')`;
  }
  await db.sql`insert into accounts (account_id, name, kind, owner_organization_id, currency) values (${CASH_ACCOUNT}::bigint, 'Roles Inc', 'OPERATING', 900000, 'USD')`;
  await db.sql`insert into cash_movements (account_id, movement_date, amount, currency, section) values (${CASH_ACCOUNT}::bigint, '2025-01-01', 1000, 'USD', 'INCOME')`;
  book = { ...row, sectors: Object.fromEntries(sectors.map(({ key, value }) => [key, value])) };
  server = await startRebuildServer(db.sql, { ...AUTH_ON, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, REBUILD_CRON: '0 3 * * *' });
});

afterAll(() => server?.close());

function valueAt(response: GraphQLResponse, path: Array<string | number>): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | null | undefined)?.[key], response.data);
}

function withAsset(variables: Record<string, unknown> | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ id: assetId, ...variables }).replaceAll('"$asset"', JSON.stringify(assetId))) as Record<
    string,
    unknown
  >;
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
      const variables = guarded.prepare ? await guarded.prepare(role) : guarded.variables;
      const response = await graphql(server.url, guarded.query, withAsset(variables), await bearer(role));
      expectNoLeak(response);
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(guarded.role);
      const codes = (response.errors ?? []).map((error) => error.extensions?.code);
      if (allowed) {
        expect(codes).toEqual([]);
        guarded.allowed(valueAt(response, guarded.path), response);
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

describe('a VIEWER grouping assets', () => {
  it('gets counts and risk measures ordered by count, and may not rank groups by holdings', async () => {
    const viewer = await bearer('VIEWER');
    const grouped = await graphql(server.url, '{ assetAggregates(groupBy: [SECTOR]) { count valueAtRisk { avg } } }', {}, viewer);
    expect(grouped.errors).toBeUndefined();
    const counts = (grouped.data!.assetAggregates as Array<{ count: number }>).map(({ count }) => count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(20);

    for (const field of ['MARKET_VALUE', 'POSITION_QUANTITY']) {
      const ranked = await graphql(
        server.url,
        `{ assetAggregates(groupBy: [SECTOR], orderBy: [{ field: ${field} }]) { count } }`,
        {},
        viewer,
      );
      expectNoLeak(ranked);
      expect(ranked.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(ranked.errors![0]!.message).toBe(`orderBy ${field} needs the ANALYST role or above; your token has VIEWER`);
    }
  });
});
