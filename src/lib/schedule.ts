import { getNextMillis } from 'bullmq';

export interface Schedule {
  pattern: string;
  tz: string;
}

export interface ScheduleProblem {
  field: 'pattern' | 'tz';
  /** What is wrong, without echoing the value. */
  reason: string;
}

export const PATTERN_HINT = 'a cron pattern such as "*/15 * * * *" (minute hour day month weekday, seconds optional in front)';
export const TZ_HINT = 'an IANA time zone such as UTC or Europe/Oslo';

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checked with the very function BullMQ schedules with, so that a pattern accepted here is one the
 * scheduler can run, and one it rejects never reaches Redis.
 */
export function scheduleProblem({ pattern, tz }: Schedule): ScheduleProblem | undefined {
  if (!isTimeZone(tz)) return { field: 'tz', reason: 'unknown time zone' };
  if (pattern.trim() === '') return { field: 'pattern', reason: 'the pattern is empty' };
  let next: number | undefined;
  try {
    next = getNextMillis(Date.now(), { pattern, tz });
  } catch (error) {
    return { field: 'pattern', reason: (error as Error).message.replace(/\s+/g, ' ').trim() };
  }
  if (next === undefined) return { field: 'pattern', reason: 'it never fires' };
  return undefined;
}

/** When the schedule fires next after `from`; null when it never will. */
export function nextRun(schedule: Schedule, from = Date.now()): Date | null {
  try {
    const next = getNextMillis(from, schedule);
    return next === undefined ? null : new Date(next);
  } catch {
    return null;
  }
}
