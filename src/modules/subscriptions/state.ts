// Stored subscription row ↔ the pure state billing/subscription-lifecycle works on. The row keeps Paddle's
// fields (times in stored form, objects as JSON text) plus Paddock's own (anchor, on_resume, dunning).
import type {
  SubscriptionState,
  SubscriptionItemStatus,
  ScheduledChange,
} from '../../billing/subscription-lifecycle.js';
import type { Duration, TimePeriod } from '../../billing/periods.js';
import { fromJsonColumn } from '../../db/json.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { instantFromStored, toStoredTime, type Instant, Temporal } from '../../kernel/time.js';
import type { PriceEntity } from '../prices/serialize.js';
import type { ProductEntity } from '../products/serialize.js';

/** One stored item: Paddle's item fields, times in stored form. */
export interface StoredItem {
  status: SubscriptionItemStatus;
  quantity: number;
  recurring: boolean;
  created_at: string;
  updated_at: string;
  previously_billed_at: string | null;
  next_billed_at: string | null;
  trial_dates: { starts_at: string; ends_at: string } | null;
  price: PriceEntity;
  product: ProductEntity;
}

interface StoredPeriod {
  starts_at: string;
  ends_at: string;
}

interface StoredScheduledChange {
  action: ScheduledChange['action'];
  effective_at: string;
  resume_at: string | null;
}

const at = (stored: string | null): Instant | null => (stored === null ? null : instantFromStored(stored));
const st = (instant: Instant | null): string | null => (instant === null ? null : toStoredTime(instant));

function periodIn(stored: StoredPeriod | null): TimePeriod | null {
  return stored ? { starts_at: instantFromStored(stored.starts_at), ends_at: instantFromStored(stored.ends_at) } : null;
}

function periodOut(period: TimePeriod | null): StoredPeriod | null {
  return period ? { starts_at: toStoredTime(period.starts_at), ends_at: toStoredTime(period.ends_at) } : null;
}

export function storedItems(row: SubscriptionRow): StoredItem[] {
  return JSON.parse(row.items) as StoredItem[];
}

export function stateOf(row: SubscriptionRow): SubscriptionState {
  const change = fromJsonColumn<StoredScheduledChange>(row.scheduled_change);
  return {
    status: row.status as SubscriptionState['status'],
    collection_mode: row.collection_mode as SubscriptionState['collection_mode'],
    billing_cycle: JSON.parse(row.billing_cycle) as Duration,
    billing_anchor: instantFromStored(row.billing_anchor),
    started_at: at(row.started_at),
    first_billed_at: at(row.first_billed_at),
    next_billed_at: at(row.next_billed_at),
    current_billing_period: periodIn(fromJsonColumn<StoredPeriod>(row.current_billing_period)),
    scheduled_change: change
      ? { action: change.action, effective_at: instantFromStored(change.effective_at), resume_at: at(change.resume_at) }
      : null,
    paused_at: at(row.paused_at),
    canceled_at: at(row.canceled_at),
    on_resume: row.on_resume as SubscriptionState['on_resume'],
    past_due_when_paused: Number(row.past_due_when_paused) === 1,
    items: storedItems(row).map((item) => ({
      price_id: item.price.id,
      status: item.status,
      previously_billed_at: at(item.previously_billed_at),
      next_billed_at: at(item.next_billed_at),
      trial_dates: periodIn(item.trial_dates),
    })),
  };
}

/** Writes a state back onto the row; `now` stamps updated_at on the row and on items whose fields changed. */
export function withState(row: SubscriptionRow, state: SubscriptionState, now: Instant): SubscriptionRow {
  const stamp = toStoredTime(now);
  const items = storedItems(row).map((item, index) => {
    const next = state.items[index];
    if (!next) return item;
    const updated: StoredItem = {
      ...item,
      status: next.status,
      previously_billed_at: st(next.previously_billed_at),
      next_billed_at: st(next.next_billed_at),
      trial_dates: periodOut(next.trial_dates),
    };
    return JSON.stringify(updated) === JSON.stringify(item) ? item : { ...updated, updated_at: stamp };
  });
  const change = state.scheduled_change;
  const next: SubscriptionRow = {
    ...row,
    status: state.status,
    billing_cycle: JSON.stringify(state.billing_cycle),
    billing_anchor: toStoredTime(state.billing_anchor),
    started_at: st(state.started_at),
    first_billed_at: st(state.first_billed_at),
    next_billed_at: st(state.next_billed_at),
    current_billing_period: JSON.stringify(periodOut(state.current_billing_period)),
    scheduled_change: change
      ? JSON.stringify({
          action: change.action,
          effective_at: toStoredTime(change.effective_at),
          resume_at: st(change.resume_at),
        })
      : null,
    paused_at: st(state.paused_at),
    canceled_at: st(state.canceled_at),
    on_resume: state.on_resume,
    past_due_when_paused: state.past_due_when_paused ? 1n : 0n,
    items: JSON.stringify(items),
    updated_at: stamp,
  };
  if (state.current_billing_period === null) next.current_billing_period = null;
  // @NOTE dunning belongs to one past-due spell: leaving past_due any way (paid, paused, canceled) ends it, so a
  // later failure counts its retries and its 30 days from that failure, not from an old one.
  if (state.status !== 'past_due') {
    next.past_due_since = null;
    next.retry_at = null;
  }
  return { ...next, next_due_at: nextDueAt(next) };
}

/** The earliest instant the subscription needs attention: a scheduled change, a renewal, or a payment retry. */
export function nextDueAt(
  row: Pick<SubscriptionRow, 'status' | 'next_billed_at' | 'scheduled_change' | 'retry_at'>,
): string | null {
  const candidates: string[] = [];
  const change = fromJsonColumn<StoredScheduledChange>(row.scheduled_change);
  if (change) candidates.push(change.effective_at);
  const renewable = row.status === 'active' || row.status === 'trialing' || row.status === 'past_due';
  if (renewable && row.next_billed_at) candidates.push(row.next_billed_at);
  if (row.status === 'past_due' && row.retry_at) candidates.push(row.retry_at);
  return candidates.length === 0 ? null : candidates.sort()[0]!;
}

export { Temporal };
