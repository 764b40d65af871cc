import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBook } from '../graph/book.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { expectNoLeak } from './support.js';
import { seededRandom } from '../support/random.js';

const db = useTestDatabase();
const REQUESTS = 1_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 360);

/** Every code a refusal of bad input may carry; INTERNAL_SERVER_ERROR is never one. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'NOT_FOUND',
  'UNAVAILABLE',
]);

let server: TestServer;

beforeAll(async () => {
  await seedBook(db.sql, { assets: 12, days: 25, portfolios: 2, seed: 3 });
  server = await startTestServer(db.sql);
});

afterAll(() => server?.close());

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const STRINGS = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  '%',
  '_',
  "' or '1'='1",
  '1; drop table users; --',
  "x' union all (values (1)) --",
  '$1',
  '\u0000',
  '\u202e1',
  '😀🏦',
  'ǅ',
  'null',
  'NaN',
  '-0',
  '1e309',
  '0x1F',
  '9223372036854775808',
  '-9223372036854775809',
  '00000000000000000001',
  ' 42',
  '42\n',
  '2025-02-30',
  '9999-12-31',
  '0000-00-00',
  '2025-1-1',
  '2025-06-30T00:00:00Z',
  '*/',
  '{}',
  '[]',
  '<script>',
  '\r\n',
  'BUY',
  'FIFO',
  'DESC',
  '1',
  '2',
  '3',
  '1.5',
  '-1',
  'x'.repeat(5_000),
  '9'.repeat(400),
  'é'.repeat(300),
];
const NUMBERS = [0, -1, 1, 2, 7, 499, 500, 501, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 0.5, 1e-300, Number.MAX_SAFE_INTEGER];
const KEYS = [
  'assetId',
  'portfolioId',
  'counterpartyId',
  'type',
  'dateFrom',
  'dateTo',
  'assetType',
  'sector',
  'country',
  'riskCategory',
  'performanceCategory',
  'positionSize',
  'search',
  'hasActiveViolations',
  'field',
  'direction',
  'date',
  'quantity',
  'price',
  'costs',
  'currency',
  'externalId',
  '__proto__',
  'constructor',
  'unknown',
];

function anything(random: Random, depth = 0): unknown {
  switch (Math.floor(random() * (depth > 3 ? 4 : 8))) {
    case 0:
      return pick(random, STRINGS);
    case 1:
      return pick(random, NUMBERS);
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(random() * 4) }, () => anything(random, depth + 1));
    case 5:
      return record(random, depth + 1);
    case 6: {
      let nested: unknown = pick(random, STRINGS);
      for (let level = Math.floor(random() * 64); level > 0; level--) nested = random() < 0.5 ? [nested] : { [pick(random, KEYS)]: nested };
      return nested;
    }
    default:
      return String(1 + Math.floor(random() * 4));
  }
}

function record(random: Random, depth = 0): Record<string, unknown> {
  const entries = Array.from({ length: Math.floor(random() * 5) }, () => [pick(random, KEYS), anything(random, depth)] as const);
  return Object.fromEntries(entries);
}

function cursor(random: Random): string {
  const values = [pick(random, ['DATE DESC,ID DESC', 'NAME ASC,ID ASC', 'ID ASC', 'ID DESC']), anything(random, 3), anything(random, 3)];
  return random() < 0.5 ? Buffer.from(JSON.stringify(values)).toString('base64url') : pick(random, STRINGS);
}

/** Values for a variable, shaped like its type often enough to get past the first check. */
const VARIABLE: Record<string, (random: Random) => unknown> = {
  after: cursor,
  filter: record,
  input: record,
  orderBy: (random) =>
    Array.from({ length: Math.floor(random() * 3) }, () => ({
      field: pick(random, ['NAME', 'MARKET_VALUE', 'X', 1]),
      direction: pick(random, ['ASC', 'DESC', 'UP']),
    })),
};

const OPERATIONS = [
  'query($id: ID!) { asset(id: $id) { id name } }',
  'query($id: ID!) { portfolio(id: $id) { id trades(first: 2) { totalCount } } }',
  'query($id: ID!) { counterparty(id: $id) { id } }',
  'query($first: Int, $after: String, $filter: AssetFilter, $orderBy: [AssetOrder!]) { assets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount edges { cursor node { id } } } }',
  'query($first: Int, $after: String, $filter: TradeFilter) { trades(first: $first, after: $after, filter: $filter) { totalCount edges { node { id } } } }',
  'query($id: ID!, $first: Int, $after: String, $filter: TradeFilter) { asset(id: $id) { trades(first: $first, after: $after, filter: $filter) { totalCount } } }',
  'query($id: ID!, $from: Date, $to: Date) { asset(id: $id) { prices(from: $from, to: $to) { date close } } }',
  'query($top: Int) { riskMetrics(top: $top) { id } }',
  'query($top: Int) { performanceDashboard(top: $top) { topPerformers { id } } }',
  'query($months: Int) { transactionAnalysis(months: $months) { month } }',
  'query($by: AllocationDimension) { assetAllocation(by: $by) { key } }',
  'query($first: Int, $after: String) { portfolios(first: $first, after: $after) { totalCount } }',
  'query($first: Int, $after: String) { counterparties(first: $first, after: $after) { totalCount } }',
  'query($first: Int, $after: String) { asset360Builds(first: $first, after: $after) { totalCount } }',
  'query($id: ID!, $from: Date, $to: Date) { portfolio(id: $id) { pnl(from: $from, to: $to) { realized } } }',
  'query($id: ID!) { rebuildJob(id: $id) { id } }',
  'mutation($asOf: Date) { rebuildAsset360(asOf: $asOf) { id } }',
  'mutation($pattern: String!, $tz: String) { setRebuildSchedule(pattern: $pattern, tz: $tz) { pattern } }',
  'mutation($input: TradeInput!) { recordTrade(input: $input) { id } }',
  'mutation($csv: String!) { importTrades(csv: $csv) { rows imported } }',
  'mutation($portfolioId: ID!, $method: CostMethod!) { setCostMethod(portfolioId: $portfolioId, method: $method) { id } }',
];

/** Operations with a literal written into the document, for the parser and validation to refuse. */
const LITERAL_OPERATIONS = [
  '{ asset(id: %) { id } }',
  '{ trades(first: %) { totalCount } }',
  '{ assets(filter: %) { totalCount } }',
  '{ trades(filter: { dateFrom: % }) { totalCount } }',
  '{ assets(orderBy: %) { totalCount } }',
  '{ riskMetrics(top: %) { id } }',
  '{ assetAllocation(by: %) { key } }',
];

function literal(random: Random, depth = 0): string {
  switch (Math.floor(random() * (depth > 2 ? 5 : 8))) {
    case 0:
      return JSON.stringify(pick(random, STRINGS));
    case 1:
      return String(pick(random, NUMBERS));
    case 2:
      return pick(random, [
        'true',
        'null',
        'FOO',
        'SECTOR',
        'BUY',
        '$nope',
        '"unterminated',
        '}}}',
        '{{',
        '#',
        '@skip',
        '"""block"""',
        '1.2.3',
        '-',
        '\u0000',
      ]);
    case 3:
      return pick(random, ['"1"', '"2"', '1', '500']);
    case 4:
      return '9'.repeat(1 + Math.floor(random() * 400));
    case 5:
      return `[${Array.from({ length: Math.floor(random() * 3) }, () => literal(random, depth + 1)).join(', ')}]`;
    default:
      return `{ ${Array.from({ length: Math.floor(random() * 3) }, () => `${pick(random, KEYS.slice(0, 20))}: ${literal(random, depth + 1)}`).join(', ')} }`;
  }
}

function request(random: Random): { query: string; variables: Record<string, unknown> } {
  if (random() < 0.25) return { query: pick(random, LITERAL_OPERATIONS).replace('%', literal(random)), variables: {} };
  const query = pick(random, OPERATIONS);
  const variables: Record<string, unknown> = {};
  for (const [, name] of query.matchAll(/\$(\w+):/g)) {
    if (random() < 0.1) continue;
    variables[name!] = (VARIABLE[name!] ?? anything)(random);
  }
  return { query, variables };
}

describe('a fuzzed stream of malformed arguments and filters', () => {
  it(`gets only client errors, without SQL or stack, over ${REQUESTS} requests (FUZZ_SEED=${SEED})`, async () => {
    const random = seededRandom(SEED, 'fuzz');
    const requests = Array.from({ length: REQUESTS }, () => request(random));
    const failures: Array<{ sent: unknown; got: GraphQLResponse }> = [];
    const codes = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const sent = requests[next++]!;
          const got = await graphql(server.url, sent.query, sent.variables);
          if (!got.errors) codes.set('ok', (codes.get('ok') ?? 0) + 1);
          for (const error of got.errors ?? []) {
            const code = String(error.extensions?.code);
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
          const clientOnly = got.status < 500 && (got.errors ?? []).every((error) => CLIENT_CODES.has(String(error.extensions?.code)));
          if (!clientOnly) failures.push({ sent, got });
          expectNoLeak(got);
        }
      }),
    );
    console.info(
      `${REQUESTS} fuzzed requests in ${((performance.now() - started) / 1000).toFixed(1)} s; outcomes: ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect((await graphql(server.url, '{ asset(id: "1") { id } }')).data).toEqual({ asset: { id: '1' } });
  });
});
