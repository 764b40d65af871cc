/**
 * npm run bench:profile -- QUERY_FILE [--operation NAME] [--variables JSON] [--duration 20] [--connections 10] [--top 25] [--cache]
 *
 * e.g. `npm run bench:profile -- test/operations/bench.graphql --operation LatestTradesWithCounterparty
 * --variables '{"first":50,"trades":5}'`, or `test/operations/analytics.graphql --operation Dashboard`.
 *
 * Runs the built server (`npm run build` first) in production mode over DATABASE_URL with
 * `node --cpu-prof`, drives QUERY_FILE (a .graphql document) with autocannon, stops the server, and
 * prints the functions that took the most CPU time by self time, with the profile's path for
 * Chrome DevTools or speedscope. With --cache the response cache is on, so what is profiled is the hit path.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startProductionServer } from './production-server.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    operation: { type: 'string' },
    variables: { type: 'string', default: '{}' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    top: { type: 'string', default: '25' },
    cache: { type: 'boolean', default: false },
  },
});
const [queryFile] = positionals;
const databaseUrl = process.env.DATABASE_URL;
if (!queryFile || !databaseUrl) {
  console.error(
    'usage: DATABASE_URL=… npm run bench:profile -- QUERY_FILE [--operation NAME] [--variables JSON] [--duration 20] [--connections 10] [--top 25] [--cache]',
  );
  process.exit(2);
}

const where = (frame: ProfileNode['callFrame']): string => {
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  return file ? `${file}:${frame.lineNumber + 1}` : '';
};

/** Self time per function (name and place), in ms, from the samples and their time deltas. */
function selfTimes(profile: CpuProfile): { total: number; rows: Array<{ name: string; where: string; ms: number }> } {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { name: string; where: string; ms: number }>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byNode.get(id)!;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (node.callFrame.functionName === '(idle)') return;
    total += ms;
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name} ${where(node.callFrame)}`;
    const row = totals.get(key) ?? { name, where: where(node.callFrame), ms: 0 };
    row.ms += ms;
    totals.set(key, row);
  });
  return { total, rows: [...totals.values()].sort((a, b) => b.ms - a.ms) };
}

const dir = await mkdtemp(path.join(tmpdir(), 'asset360-profile-'));
const query = await readFile(queryFile, 'utf8');
const body = JSON.stringify({ query, operationName: values.operation, variables: JSON.parse(values.variables) as unknown });
const server = await startProductionServer(
  databaseUrl,
  [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--cpu-prof', `--cpu-prof-dir=${dir}`],
  values.cache ? { RESPONSE_CACHE: 'on' } : {},
);
let result: autocannon.Result;
try {
  const check = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: server.authorization },
    body,
  });
  const answer = (await check.json()) as { errors?: unknown };
  if (!check.ok || answer.errors) throw new Error(`the query fails: ${JSON.stringify(answer).slice(0, 400)}`);
  result = await autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: server.authorization },
    body,
    duration: Number(values.duration),
    connections: Number(values.connections),
  });
} finally {
  await server.stop();
}

const [file] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile was written to ${dir}`);
const { total, rows } = selfTimes(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile);
console.log(
  `${values.operation ?? path.basename(queryFile)}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
    `${result.non2xx} non-2xx; busy CPU ${(total / 1000).toFixed(1)} s`,
);
console.table(
  rows.slice(0, Number(values.top)).map((row) => ({
    'self %': ((row.ms / total) * 100).toFixed(1),
    'self ms': Math.round(row.ms),
    function: row.name.slice(0, 40),
    where: row.where.slice(-70),
  })),
);
console.log(`profile: ${path.join(dir, file)}`);
