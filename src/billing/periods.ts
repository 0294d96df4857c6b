// Billing-period arithmetic. Every boundary is counted from one anchor instant (anchor + n × cycle, in UTC), so a
// subscription started on Jan 31 renews Feb 28/29, then Mar 31, and never drifts to the 28th. Paddle anchors renewals
// to the start instant to the microsecond (paddle-behaviour.md 4.7); its month-end rule is undocumented, and clamping
// to the last day of a shorter month from the original anchor is our choice (see ARCHITECTURE.md).
import { addUtcMonths, Temporal, type Instant } from '../kernel/time.js';

export type Interval = 'day' | 'week' | 'month' | 'year';

/** Paddle's `duration` / `billing_cycle` / `trial_period`: `{interval, frequency ≥ 1}`. */
export interface Duration {
  interval: Interval;
  frequency: number;
}

/** Paddle's `time_period`. `starts_at` is inclusive, `ends_at` exclusive. */
export interface TimePeriod {
  starts_at: Instant;
  ends_at: Instant;
}

const NANOS_PER_DAY = 86_400_000_000_000n;

function assertDuration(cycle: Duration): void {
  if (!Number.isSafeInteger(cycle.frequency) || cycle.frequency < 1) {
    throw new RangeError(`frequency must be an integer ≥ 1, got ${cycle.frequency}`);
  }
}

/**
 * The n-th boundary after `anchor`: anchor + n × cycle in UTC. Months and years are added to the anchor's
 * calendar date in one step and clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29; Feb 29 + 1
 * year = Feb 28), so boundary n never depends on boundary n − 1. Sub-second precision is kept.
 */
export function addInterval(anchor: Instant, cycle: Duration, n: number): Instant {
  assertDuration(cycle);
  if (!Number.isSafeInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  const steps = n * cycle.frequency;
  if (cycle.interval === 'day') return anchor.add({ hours: steps * 24 });
  if (cycle.interval === 'week') return anchor.add({ hours: steps * 24 * 7 });
  return addUtcMonths(anchor, cycle.interval === 'month' ? steps : steps * 12);
}

/** How many whole cycles separate `anchor` from `instant` (a first estimate for month and year cycles). */
function estimateIndex(anchor: Instant, cycle: Duration, instant: Instant): number {
  const elapsed = instant.epochNanoseconds - anchor.epochNanoseconds;
  if (cycle.interval === 'day' || cycle.interval === 'week') {
    const unit = NANOS_PER_DAY * (cycle.interval === 'week' ? 7n : 1n) * BigInt(cycle.frequency);
    return Number(elapsed / unit);
  }
  const from = anchor.toZonedDateTimeISO('UTC');
  const to = instant.toZonedDateTimeISO('UTC');
  const months = (to.year - from.year) * 12 + (to.month - from.month);
  const perCycle = cycle.frequency * (cycle.interval === 'year' ? 12 : 1);
  return Math.floor(months / perCycle);
}

/** Index n of the period [boundary n, boundary n + 1) that contains `instant`. */
export function periodIndexAt(anchor: Instant, cycle: Duration, instant: Instant): number {
  assertDuration(cycle);
  if (Temporal.Instant.compare(instant, anchor) < 0) {
    throw new RangeError(`instant ${instant.toString()} is before the billing anchor ${anchor.toString()}`);
  }
  let n = estimateIndex(anchor, cycle, instant);
  while (n > 0 && Temporal.Instant.compare(addInterval(anchor, cycle, n), instant) > 0) n -= 1;
  while (Temporal.Instant.compare(addInterval(anchor, cycle, n + 1), instant) <= 0) n += 1;
  return n;
}

/** The billing period that contains `instant` (start inclusive, end exclusive). */
export function billingPeriodAt(anchor: Instant, cycle: Duration, instant: Instant): TimePeriod {
  const n = periodIndexAt(anchor, cycle, instant);
  return { starts_at: addInterval(anchor, cycle, n), ends_at: addInterval(anchor, cycle, n + 1) };
}

/** The first boundary strictly after `instant`: when a subscription anchored at `anchor` next bills. */
export function nextBilledAt(anchor: Instant, cycle: Duration, instant: Instant): Instant {
  return billingPeriodAt(anchor, cycle, instant).ends_at;
}

/** The period that follows `period` on the same anchor (what a renewal at `period.ends_at` bills for). */
export function periodAfter(anchor: Instant, cycle: Duration, period: TimePeriod): TimePeriod {
  return billingPeriodAt(anchor, cycle, period.ends_at);
}

/** The first period of a subscription (or of a restart on resume/activation) beginning at `startsAt`. */
export function firstPeriod(startsAt: Instant, cycle: Duration): TimePeriod {
  return { starts_at: startsAt, ends_at: addInterval(startsAt, cycle, 1) };
}

/** When a trial of `trialPeriod` that starts at `startsAt` ends (and the first charge falls due). */
export function trialEndsAt(startsAt: Instant, trialPeriod: Duration): Instant {
  return addInterval(startsAt, trialPeriod, 1);
}

/** The trial as a period: Paddle's item `trial_dates` and the trialing `current_billing_period`. */
export function trialDates(startsAt: Instant, trialPeriod: Duration): TimePeriod {
  return { starts_at: startsAt, ends_at: trialEndsAt(startsAt, trialPeriod) };
}

export function sameDuration(a: Duration, b: Duration): boolean {
  return a.interval === b.interval && a.frequency === b.frequency;
}

/** Half-open containment: `starts_at <= instant < ends_at`. */
export function periodContains(period: TimePeriod, instant: Instant): boolean {
  return (
    Temporal.Instant.compare(period.starts_at, instant) <= 0 && Temporal.Instant.compare(instant, period.ends_at) < 0
  );
}
