/**
 * npm run bench:limits -- [--url http://host:port/graphql] [--requests 200]
 *
 * Sends each query the limits refuse (depth, complexity, alias flood, fragment fan-out, tokens)
 * one after the other and prints how long the refusals take: a refusal must cost far less than
 * the query it spares the database. Without --url it starts the server in-process over
 * DATABASE_URL, which the refusals never reach.
 */
import { parseArgs } from 'node:util';
import { aliasFlood, COMPLEXITY_BOMB, depthBomb, fragmentFanOut, tokenFlood } from '../test/security/bombs.js';
import { benchTarget } from './server.js';
import { quantileOfSorted } from './common.js';

const BOMBS = [
  { name: 'relations nested 8 deep', query: depthBomb(8), code: 'QUERY_TOO_COMPLEX' },
  { name: '500 × 500 nested pages', query: COMPLEXITY_BOMB, code: 'QUERY_TOO_COMPLEX' },
  { name: '60 aliased pages', query: aliasFlood(60), code: 'QUERY_TOO_COMPLEX' },
  { name: 'fragment fan-out 2^16', query: fragmentFanOut(16), code: 'QUERY_TOO_COMPLEX' },
  { name: '1,500 aliases (tokens)', query: tokenFlood(1500), code: 'GRAPHQL_PARSE_FAILED' },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, requests: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const requests = Number(values.requests ?? 200);
  if (!Number.isInteger(requests) || requests < 1)
    throw new Error(`--requests must be a positive integer (got ${JSON.stringify(values.requests)})`);

  const { url, stop } = await benchTarget(values.url, 2);

  try {
    const rows = [];
    for (const bomb of BOMBS) {
      const body = JSON.stringify({ query: bomb.query });
      const times: number[] = [];
      for (let request = 0; request < requests; request++) {
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const result = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        times.push(performance.now() - started);
        const code = result.errors?.[0]?.extensions?.code;
        if (code !== bomb.code)
          throw new Error(`${bomb.name}: expected ${bomb.code}, got ${response.status} ${JSON.stringify(result).slice(0, 300)}`);
      }
      times.sort((a, b) => a - b);
      rows.push({
        query: bomb.name,
        characters: bomb.query.length,
        'p50 ms': Number(quantileOfSorted(times, 0.5).toFixed(2)),
        'p99 ms': Number(quantileOfSorted(times, 0.99).toFixed(2)),
      });
    }
    process.stdout.write(`${url}: ${requests} requests per query\n`);
    console.table(rows);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
