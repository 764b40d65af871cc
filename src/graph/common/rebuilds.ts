import type { RebuildControl } from '../../jobs/rebuild.control.js';
import { UnavailableError } from '../../lib/errors.js';
import type { Context } from '../context.js';

/** The job queues' control, which a server started without Redis queues lacks. */
export function rebuildsOf(context: Context): RebuildControl {
  if (!context.rebuilds) throw new UnavailableError('this server runs without a job queue');
  return context.rebuilds;
}
