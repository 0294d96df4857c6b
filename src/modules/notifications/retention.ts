// Paddle keeps notifications and their logs 90 days, as it keeps events; so does Paddock, on the tenant's clock
// and the way events/retention.ts does it: due work, checked at most once a day of the tenant's clock (the next
// midnight UTC after the oldest notification's event turns 90 days), so an advance of a year drops them as the
// clock passes and live tenants drop them as the wall clock does. The age is the event's (`occurred_at`), which is
// what GET /notifications and replay already count from.
import type { DueRun, DueWorkRunner } from '../module.js';
import { instantFromStored, toStoredTime, Temporal, type Instant } from '../../kernel/time.js';
import { RETENTION_DAYS } from '../events/service.js';
import { deleteOccurredBefore, oldestOccurredAt } from './repository.js';

/** Notifications (with their logs) deleted per statement. */
const PER_DELETE = 500;

function nextMidnight(at: Instant): Instant {
  return at.toZonedDateTimeISO('UTC').startOfDay().add({ days: 1 }).toInstant();
}

export const notificationRetention: DueWorkRunner = {
  name: 'notification retention',
  async nextDueAt(ctx, after) {
    const oldest = await oldestOccurredAt(ctx.db, ctx.tenant);
    if (oldest === undefined) return undefined;
    const due = nextMidnight(instantFromStored(oldest).add({ hours: RETENTION_DAYS * 24 }));
    return after && Temporal.Instant.compare(due, after) <= 0 ? undefined : due;
  },
  async runDue(ctx, limit) {
    const cutoff = toStoredTime(ctx.clock.now().subtract({ hours: RETENTION_DAYS * 24 }));
    const run: DueRun = { done: 0, busy: 0, failed: 0, more: false };
    for (;;) {
      const deleted = await deleteOccurredBefore(ctx.db, ctx.tenant, cutoff, PER_DELETE);
      if (deleted > 0) run.done += 1;
      if (deleted < PER_DELETE) return run;
      if (run.done >= limit) return { ...run, more: true };
    }
  },
};
