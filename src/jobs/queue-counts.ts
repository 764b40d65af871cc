import type { Queue } from 'bullmq';
import type { QueueCounts } from '../infra/metrics.js';
import { within } from '../lib/timeout.js';

/** A scrape waits no longer than this for Redis; a slow Redis leaves the queue series out. */
const READ_MS = 1_000;

/**
 * The job counts the metrics report for each queue. Prioritized jobs and jobs waiting for their
 * children are waiting too, as the board shows them.
 */
export async function readQueueCounts(queues: Queue[]): Promise<QueueCounts[]> {
  const read = async (queue: Queue): Promise<QueueCounts> => {
    const [counts, workers] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed'),
      queue.getWorkersCount(),
    ]);
    return {
      queue: queue.name,
      counts: {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      },
      workers,
    };
  };
  const settled = await within(Promise.allSettled(queues.map(read)), READ_MS, () => []);
  return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}
