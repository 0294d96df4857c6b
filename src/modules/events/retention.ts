// Paddle keeps events 90 days; so does Paddock, on the tenant's clock (issue #10 item 6): event snapshots were most
// of the storage a subscription costs, and they grew without end. Due work like any other, so an advance of a
// year drops them as the clock passes, and live tenants drop them as the wall clock does. Deletions are checked at
// most once a day of the tenant's clock (the next midnight UTC after the oldest event turns 90 days), so the
// advance's time-ordered chunks are cut at most once a day for it.
import type { DueRun, DueWorkRunner } from '../module.js';
import { instantFromStored, toStoredTime, Temporal, type Instant } from '../../kernel/time.js';
import { deleteEvents, oldestEvents } from './repository.js';
import { RETENTION_DAYS } from './service.js';

/** Events looked at (oldest first) per delete. */
const PER_DELETE = 500;

function nextMidnight(at: Instant): Instant {
  const day = at.toZonedDateTimeISO('UTC').startOfDay();
  return day.add({ days: 1 }).toInstant();
}

export const eventRetention: DueWorkRunner = {
  name: 'event retention',
  async nextDueAt(ctx, after) {
    const [oldest] = await oldestEvents(ctx.db, ctx.tenant, 1);
    if (!oldest) return undefined;
    const due = nextMidnight(instantFromStored(oldest.occurred_at).add({ hours: RETENTION_DAYS * 24 }));
    return after && Temporal.Instant.compare(due, after) <= 0 ? undefined : due;
  },
  async runDue(ctx, limit) {
    const cutoff = toStoredTime(ctx.clock.now().subtract({ hours: RETENTION_DAYS * 24 }));
    const run: DueRun = { done: 0, busy: 0, failed: 0, more: false };
    for (;;) {
      const oldest = await oldestEvents(ctx.db, ctx.tenant, PER_DELETE);
      const expired = oldest.filter((event) => event.occurred_at < cutoff).map((event) => event.id);
      await deleteEvents(ctx.db, ctx.tenant, expired);
      if (expired.length > 0) run.done += 1;
      // @NOTE ids follow creation order, so the first event still kept means the rest are newer (give or take
      // work run at an earlier due instant, which the next day's pass takes).
      if (expired.length < oldest.length || oldest.length < PER_DELETE) return run;
      if (run.done >= limit) return { ...run, more: true };
    }
  },
};
