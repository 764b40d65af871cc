import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';

export function buildsChannel(queuePrefix: string): string {
  return `${queuePrefix}:asset360:builds`;
}

/**
 * The new build id, or null after a Redis outage: builds may have been published while this
 * process was not listening, so anything derived from a build should be re-read.
 */
export type BuildChangedListener = (buildId: string | null) => void;

/** In-process "asset_360 has a new build" signal for caches of build-derived data. */
export class BuildEvents {
  private readonly emitter = new EventEmitter();

  onBuildChanged(listener: BuildChangedListener): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }

  emitBuildChanged(buildId: string | null): void {
    this.emitter.emit('changed', buildId);
  }
}

export function publishBuild(redis: Redis, queuePrefix: string, buildId: string): Promise<number> {
  return redis.publish(buildsChannel(queuePrefix), buildId);
}

export interface BuildSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes on a connection of its own (a subscribed connection can do nothing else), and again
 * on every reconnect. Its errors are logged at debug: the process's main Redis client already
 * says once that Redis is down.
 */
export function subscribeToBuilds(base: Redis, queuePrefix: string, events: BuildEvents, log: Logger): BuildSubscription {
  const channel = buildsChannel(queuePrefix);
  const subscriber = base.duplicate({ autoResubscribe: false, lazyConnect: true });
  let everReady = false;
  let lostSinceReady = false;
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    log.debug(`asset_360 build ${message} published`);
    events.emitBuildChanged(message);
  });
  subscriber.on('error', (error: Error) => log.debug(`build events subscriber: ${error.message}`));
  subscriber.on('close', () => {
    if (everReady) lostSinceReady = true;
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (lostSinceReady) {
          log.debug('build events resubscribed after a Redis outage');
          events.emitBuildChanged(null);
        }
        everReady = true;
        lostSinceReady = false;
      },
      (error: Error) => log.debug(`build events subscribe failed: ${error.message}`),
    );
  });
  subscriber.connect().catch(() => {});
  return {
    async close() {
      subscriber.disconnect();
    },
  };
}
