/**
 * npm run bench:live -- [--subscribers 100] [--events 200]
 *
 * How long a trade takes to reach its subscribers: starts a server in-process over DATABASE_URL
 * (seeded, with at least one trade), connects `subscribers` graphql-ws clients to it, each
 * following tradeRecorded, and announces an existing trade `events` times through Redis, as
 * recordTrade on another server would. Prints the time from the announcement to the first and to
 * the last subscriber, which includes the read of the trade each subscriber's payload makes.
 * Nothing is written to the database; the events go on a Redis prefix of the bench's own.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { createSql } from '../src/infra/db.js';
import { createLogger } from '../src/infra/logger.js';
import { createRedis } from '../src/infra/redis.js';
import { LiveEvents } from '../src/live/live-events.js';
import { benchTarget } from './server.js';
import { quantileOfSorted } from './common.js';

function positive(value: string | undefined, fallback: number, name: string): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { subscribers: { type: 'string' }, events: { type: 'string' } }, strict: true });
  const subscribers = positive(values.subscribers, 100, 'subscribers');
  const events = positive(values.events, 200, 'events');
  process.env.QUEUE_PREFIX = `asset360-bench-${randomBytes(4).toString('hex')}`;
  process.env.SUBSCRIPTIONS_MAX_CONNECTIONS = String(subscribers + 10);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  if (!config.databaseUrl) throw new Error('set DATABASE_URL to a seeded database');
  const sql = createSql(config.databaseUrl, { max: 1 });
  // One trade to warm up with, then a trade of its own for each event: a late delivery of one
  // event is never taken for another.
  const trades = await sql<{ id: string; portfolioId: string }[]>`
    select transaction_id::text as id, portfolio_id::text as "portfolioId" from transactions order by transaction_id limit ${events + 1}`;
  await sql.end();
  if (trades.length < events + 1)
    throw new Error(`the database has ${trades.length} trades; seed it (npm run seed) or ask for fewer --events`);
  const warmUp = trades[0]!;
  const measured = trades.slice(1);
  const eventOf = new Map(measured.map((trade, index) => [trade.id, index]));

  const { url, stop } = await benchTarget(undefined, 10);
  const log = createLogger(config);
  const redis = createRedis(config.redisUrl, log);
  const publisher = new LiveEvents(redis, config.rebuild, log);
  const clients = [];
  const arrivals: number[][] = [];
  try {
    const warmed = new Set<number>();
    const settles: Array<() => void> = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < subscribers; i++) {
      const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(client);
      ready.push(new Promise<void>((resolve) => client.on('connected', () => resolve())));
      client.subscribe(
        { query: 'subscription { tradeRecorded { id quantity portfolio { id } } }' },
        {
          next: (result) => {
            const id = (result.data as { tradeRecorded: { id: string } }).tradeRecorded.id;
            if (id === warmUp.id) return void warmed.add(i);
            const event = eventOf.get(id)!;
            arrivals[event]!.push(performance.now());
            if (arrivals[event]!.length === subscribers) settles[event]!();
          },
          error: (error) => {
            throw new Error(`subscriber ${i}: ${JSON.stringify(error)}`);
          },
          complete: () => {},
        },
      );
    }
    await Promise.all(ready);
    // The server subscribes each operation shortly after the connection is acknowledged: announce
    // the warm-up trade until every subscriber has heard it.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    while (warmed.size < subscribers) {
      await publisher.publishTrade({ tradeId: warmUp.id, portfolioId: warmUp.portfolioId });
      await sleep(100);
    }
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const [event, trade] of measured.entries()) {
      arrivals[event] = [];
      const done = new Promise<void>((resolve) => (settles[event] = resolve));
      const started = performance.now();
      await publisher.publishTrade({ tradeId: trade.id, portfolioId: trade.portfolioId });
      await done;
      const times = arrivals[event]!.map((at) => at - started).sort((a, b) => a - b);
      firsts.push(times[0]!);
      lasts.push(times.at(-1)!);
    }
    firsts.sort((a, b) => a - b);
    lasts.sort((a, b) => a - b);
    process.stdout.write(`${url}: ${events} trades announced to ${subscribers} subscribers each\n`);
    console.table([
      {
        to: 'first subscriber',
        'p50 ms': Number(quantileOfSorted(firsts, 0.5).toFixed(2)),
        'p99 ms': Number(quantileOfSorted(firsts, 0.99).toFixed(2)),
      },
      {
        to: 'last subscriber',
        'p50 ms': Number(quantileOfSorted(lasts, 0.5).toFixed(2)),
        'p99 ms': Number(quantileOfSorted(lasts, 0.99).toFixed(2)),
      },
    ]);
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await publisher.close();
    redis.disconnect();
    await stop();
  }
}

await main();
