/**
 * npm run bench:memory -- [--requests 100000] [--connections 10]
 *
 * The built server (`npm run build` first) in production mode over DATABASE_URL, which must hold a
 * built book: its resident set size after the first 1,000 requests of the nested query (50 assets ×
 * 5 trades × counterparty) and after `requests` of them. A leak shows as growth between the two.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startProductionServer, type ProductionServer } from './production-server.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '100000' }, connections: { type: 'string', default: '10' } },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('usage: DATABASE_URL=… npm run bench:memory -- [--requests 100000] [--connections 10]');
  process.exit(2);
}
const query = await readFile(path.join(import.meta.dirname, '../test/operations/bench.graphql'), 'utf8');

async function drive(server: ProductionServer, amount: number): Promise<autocannon.Result> {
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: server.authorization },
    body: JSON.stringify({ query, operationName: 'LatestTradesWithCounterparty', variables: { first: 50, trades: 5 } }),
    amount,
    connections: Number(values.connections),
  });
  if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result;
}

const server = await startProductionServer(databaseUrl);
try {
  const total = Number(values.requests);
  await drive(server, 1_000);
  const early = await server.rssMb();
  const started = performance.now();
  const rest = await drive(server, total - 1_000);
  const late = await server.rssMb();
  console.table([
    { after: '1,000 requests', 'RSS MB': Math.round(early) },
    {
      after: `${total.toLocaleString('en-US')} requests`,
      'RSS MB': Math.round(late),
      growth: Math.round(late - early),
      'req/s': Math.round(rest.requests.total / ((performance.now() - started) / 1000)),
    },
  ]);
} finally {
  await server.stop();
}
