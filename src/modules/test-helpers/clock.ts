// The sandbox clock: wall clock plus a forward-only offset kept per seller environment in the database.
// Advancing steps through every instant at which work falls due, in time order, so a renewal due before a
// retry runs before it, each seeing the clock at its own due instant.
import type { Ctx } from '../../context.js';
import { OffsetClock, type Clock } from '../../kernel/clock.js';
import { invalidField } from '../../kernel/errors.js';
import { Temporal, parseRfc3339, type Instant } from '../../kernel/time.js';
import { advanceClockOffset } from '../sellers/service.js';
import { runDueUntil } from '../sellers/due-work.js';

/** The body of `POST /test-helpers/clock/advance` as sent (no spec checks it): `to` or `by`, each a string. */
export interface AdvanceInput {
  /** RFC 3339 date-time to move to. */
  to?: unknown;
  /** ISO 8601 duration to move by, e.g. `P1M`. */
  by?: unknown;
}

function targetOf(now: Instant, input: AdvanceInput): Instant {
  if ((input.to === undefined) === (input.by === undefined)) {
    throw invalidField([{ field: 'to', message: 'give exactly one of `to` (RFC 3339) or `by` (ISO 8601 duration)' }]);
  }
  if (input.to !== undefined) {
    const to = typeof input.to === 'string' ? parseRfc3339(input.to) : undefined;
    if (!to) throw invalidField([{ field: 'to', message: 'must be an RFC 3339 date-time' }]);
    if (Temporal.Instant.compare(to, now) < 0)
      throw invalidField([{ field: 'to', message: 'the sandbox clock only moves forward' }]);
    return to;
  }
  let duration: Temporal.Duration;
  try {
    duration = Temporal.Duration.from(String(input.by));
  } catch {
    throw invalidField([{ field: 'by', message: 'must be an ISO 8601 duration such as P1M or PT2H' }]);
  }
  if (duration.sign < 0) throw invalidField([{ field: 'by', message: 'the sandbox clock only moves forward' }]);
  // @NOTE calendar units (P1M) are added in UTC, so "one month" lands on the same day and time next month.
  return now.toZonedDateTimeISO('UTC').add(duration).toInstant();
}

function offsetFor(wallClock: Clock, target: Instant): bigint {
  return (target.epochNanoseconds - wallClock.now().epochNanoseconds) / 1000n;
}

export async function advanceSandboxClock(ctx: Ctx, wallClock: Clock, input: AdvanceInput): Promise<Instant> {
  const target = targetOf(ctx.clock.now(), input);
  // Work overdue when the advance starts (the clock kept running, or a process died mid-advance) runs first, at
  // its own instants; then the clock moves to each chunk's first due instant in turn, and last to the target.
  let clock = ctx.clock;
  await runDueUntil(ctx, target, {
    waitForBusy: true,
    moveClockTo: async (at) => {
      if (Temporal.Instant.compare(at, clock.now()) > 0) clock = (await moveClock(ctx, wallClock, at)).clock;
    },
  });
  return (await moveClock(ctx, wallClock, target)).clock.now();
}

/** Moves the stored offset so the clock reads `to` (never backwards: a concurrent advance may have gone further). */
async function moveClock(ctx: Ctx, wallClock: Clock, to: Instant): Promise<Ctx> {
  const offset = await advanceClockOffset(ctx.db, ctx.dialect, ctx.tenant, offsetFor(wallClock, to));
  return { ...ctx, clock: new OffsetClock(wallClock, offset) };
}
