import { EventEmitter, on } from 'node:events';
import { mapEvents } from '../lib/events.js';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';
import { buildsChannel } from '../jobs/build-events.js';
import type { QueueNames } from '../jobs/rebuild.queue.js';

export function tradesChannel(queuePrefix: string): string {
  return `${queuePrefix}:asset360:trades`;
}

export interface TradeEvent {
  tradeId: string;
  portfolioId: string;
}

/** A build id, or null after a Redis outage: a build may have landed while nobody listened. */
export type BuildEvent = string | null;

export interface RebuildJobEvent {
  jobId: string;
  event: 'waiting' | 'active' | 'progress' | 'delayed' | 'completed' | 'failed';
}

type Events = { build: [BuildEvent]; trade: [TradeEvent]; rebuildJob: [RebuildJobEvent] };

/**
 * What subscribers of this process hear, from whichever process it happened in: builds and
 * trades through Redis pub/sub (one subscribed connection for both channels), rebuild jobs through
 * BullMQ's event stream, read only while someone follows a job.
 */
export class LiveEvents {
  private readonly emitter = new EventEmitter();
  private readonly subscriber: Redis;
  private jobEvents: { reader: QueueEvents; connection: Redis } | undefined;
  private jobFollowers = 0;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly names: QueueNames,
    private readonly log: Logger,
    private readonly onEvent: (event: keyof Events) => void = () => {},
  ) {
    // Every subscription adds listeners: the limit is the subscriptions' own (SUBSCRIPTIONS_*).
    this.emitter.setMaxListeners(0);
    const channels = [buildsChannel(names.queuePrefix), tradesChannel(names.queuePrefix)];
    this.subscriber = redis.duplicate({ autoResubscribe: false, lazyConnect: true });
    let everReady = false;
    let lostSinceReady = false;
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.subscriber.on('error', (error: Error) => log.debug(`live events subscriber: ${error.message}`));
    this.subscriber.on('close', () => {
      if (everReady) lostSinceReady = true;
    });
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(...channels).then(
        () => {
          if (lostSinceReady) this.emit('build', null);
          everReady = true;
          lostSinceReady = false;
        },
        (error: Error) => log.debug(`live events subscribe failed: ${error.message}`),
      );
    });
    this.subscriber.connect().catch(() => {});
  }

  /** Announces a recorded trade to every server process; false when Redis could not take it. */
  async publishTrade(event: TradeEvent): Promise<boolean> {
    try {
      await this.redis.publish(tradesChannel(this.names.queuePrefix), JSON.stringify(event));
      return true;
    } catch (error) {
      this.log.warn(`trade ${event.tradeId} is recorded but could not be announced: ${(error as Error).message}`);
      return false;
    }
  }

  /** Streams of events; each ends, and lets go of its listener, when its return() is called. */
  builds(): AsyncIterator<BuildEvent> {
    return this.stream('build');
  }

  trades(): AsyncIterator<TradeEvent> {
    return this.stream('trade');
  }

  /** Events of the rebuild queue's jobs; BullMQ's event stream is read while at least one is followed. */
  rebuildJobs(): AsyncIterator<RebuildJobEvent> {
    const unfollow = this.followJobs();
    return mapEvents(this.stream('rebuildJob'), async (event) => event, { onEnd: unfollow });
  }

  /** Resolves once the job events are being read: read a job's state after it, and no change is missed. */
  async jobEventsReady(): Promise<void> {
    await this.jobEvents?.reader.waitUntilReady();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.disconnect();
    await this.stopJobEvents();
  }

  private stream<K extends keyof Events>(name: K): AsyncIterator<Events[K][0]> {
    return mapEvents(on(this.emitter, name) as AsyncIterator<Events[K]>, async ([event]) => event);
  }

  private emit<K extends keyof Events>(name: K, ...args: Events[K]): void {
    this.onEvent(name);
    this.emitter.emit(name, ...args);
  }

  private receive(channel: string, message: string): void {
    if (channel === buildsChannel(this.names.queuePrefix)) {
      this.emit('build', message);
      return;
    }
    if (channel !== tradesChannel(this.names.queuePrefix)) return;
    try {
      const event = JSON.parse(message) as Partial<TradeEvent>;
      if (typeof event.tradeId === 'string' && typeof event.portfolioId === 'string') {
        this.emit('trade', { tradeId: event.tradeId, portfolioId: event.portfolioId });
      }
    } catch {
      this.log.debug('live events: a trade message that is not JSON was ignored');
    }
  }

  /** Starts reading the job events if nobody did; the function returned stops when the last follower leaves. */
  private followJobs(): () => void {
    const unfollow = () => {
      this.jobFollowers -= 1;
      if (this.jobFollowers === 0) void this.stopJobEvents();
    };
    this.jobFollowers += 1;
    if (this.closed || this.jobEvents) return unfollow;
    // A blocking stream read needs a connection of its own, closed with the reader.
    const connection = this.redis.duplicate({ lazyConnect: false, maxRetriesPerRequest: null, enableOfflineQueue: true });
    connection.on('error', () => {});
    const reader = new QueueEvents(this.names.queueName, { connection, prefix: this.names.queuePrefix });
    reader.on('error', (error: Error) => this.log.debug(`rebuild job events: ${error.message}`));
    for (const event of ['waiting', 'active', 'progress', 'delayed', 'completed', 'failed'] as const) {
      reader.on(event, ({ jobId }: { jobId: string }) => this.emit('rebuildJob', { jobId, event }));
    }
    this.jobEvents = { reader, connection };
    return unfollow;
  }

  private async stopJobEvents(): Promise<void> {
    const jobEvents = this.jobEvents;
    this.jobEvents = undefined;
    await jobEvents?.reader.close().catch(() => {});
    jobEvents?.connection.disconnect();
  }
}
