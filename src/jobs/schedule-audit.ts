import type postgres from 'postgres';
import { systemActor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import type { Schedule } from '../lib/schedule.js';

/** A worker installed the configured schedule (REBUILD_CRON, RISK_CRON) because Redis had none or an older one. */
export async function recordScheduleInstall(
  tx: postgres.TransactionSql,
  action: 'rebuild_schedule.set' | 'risk_schedule.set',
  schedule: Schedule,
  outcome: 'created' | 'updated',
): Promise<void> {
  await recordAudit(tx, {
    actor: systemActor('worker'),
    action,
    entity: action === 'rebuild_schedule.set' ? 'rebuild_schedule' : 'risk_schedule',
    entityId: null,
    payload: { pattern: schedule.pattern, tz: schedule.tz, set_by: 'config', outcome },
  });
}
