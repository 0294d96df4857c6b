// Stored subscription row ↔ the pure state billing/subscription-lifecycle works on. The row keeps Paddle's
// fields (times in stored form, objects as JSON text) plus Paddock's own (anchor, on_resume, dunning).
import type { SubscriptionState } from '../../billing/subscription-lifecycle.js';
import type { TimePeriod } from '../../billing/periods.js';
import type { StoredPeriod } from '../../db/json.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { instantFromStored, toStoredTime, type Instant } from '../../kernel/time.js';
import { subscriptionColumns, type StoredItem } from './columns.js';

export type { StoredItem };

const at = (stored: string | null): Instant | null => (stored === null ? null : instantFromStored(stored));
const st = (instant: Instant | null): string | null => (instant === null ? null : toStoredTime(instant));

function periodIn(stored: StoredPeriod | null): TimePeriod | null {
  return stored ? { starts_at: instantFromStored(stored.starts_at), ends_at: instantFromStored(stored.ends_at) } : null;
}

function periodOut(period: TimePeriod | null): StoredPeriod | null {
  return period ? { starts_at: toStoredTime(period.starts_at), ends_at: toStoredTime(period.ends_at) } : null;
}

/**
 * An item as it is first stored (a new subscription, or an item added by a change): active, recurring, created now
 * (`stamp`, stored form). Its billing dates stay null: they are the lifecycle's, and `withState` writes them.
 */
export function newStoredItem(
  price: StoredItem['price'],
  product: StoredItem['product'],
  quantity: number,
  stamp: string,
): StoredItem {
  return {
    status: 'active',
    quantity,
    recurring: true,
    created_at: stamp,
    updated_at: stamp,
    previously_billed_at: null,
    next_billed_at: null,
    trial_dates: null,
    price,
    product,
  };
}

export function storedItems(row: SubscriptionRow): StoredItem[] {
  return subscriptionColumns.items.decode(row.items);
}

export function stateOf(row: SubscriptionRow): SubscriptionState {
  const change = subscriptionColumns.scheduled_change.decode(row.scheduled_change);
  return {
    status: row.status as SubscriptionState['status'],
    collection_mode: row.collection_mode as SubscriptionState['collection_mode'],
    billing_cycle: subscriptionColumns.billing_cycle.decode(row.billing_cycle),
    billing_anchor: instantFromStored(row.billing_anchor),
    started_at: at(row.started_at),
    first_billed_at: at(row.first_billed_at),
    next_billed_at: at(row.next_billed_at),
    current_billing_period: periodIn(subscriptionColumns.current_billing_period.decode(row.current_billing_period)),
    scheduled_change: change
      ? { action: change.action, effective_at: instantFromStored(change.effective_at), resume_at: at(change.resume_at) }
      : null,
    paused_at: at(row.paused_at),
    canceled_at: at(row.canceled_at),
    on_resume: row.on_resume as SubscriptionState['on_resume'],
    past_due_when_paused: Number(row.past_due_when_paused) === 1,
    awaiting_payment_method:
      row.status === 'trialing' && row.collection_mode === 'automatic' && row.payment_method_id === null,
    items: storedItems(row).map((item) => ({
      price_id: item.price.id,
      status: item.status,
      previously_billed_at: at(item.previously_billed_at),
      next_billed_at: at(item.next_billed_at),
      trial_dates: periodIn(item.trial_dates),
    })),
  };
}

/** Whether the lifecycle's fields of two stored items are equal (the rest `withState` copies unchanged). */
function sameBilling(a: StoredItem, b: StoredItem): boolean {
  return (
    a.status === b.status &&
    a.previously_billed_at === b.previously_billed_at &&
    a.next_billed_at === b.next_billed_at &&
    a.trial_dates?.starts_at === b.trial_dates?.starts_at &&
    a.trial_dates?.ends_at === b.trial_dates?.ends_at
  );
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
    return sameBilling(updated, item) ? item : { ...updated, updated_at: stamp };
  });
  const change = state.scheduled_change;
  const next: SubscriptionRow = {
    ...row,
    status: state.status,
    billing_cycle: subscriptionColumns.billing_cycle.encode(state.billing_cycle),
    billing_anchor: toStoredTime(state.billing_anchor),
    started_at: st(state.started_at),
    first_billed_at: st(state.first_billed_at),
    next_billed_at: st(state.next_billed_at),
    current_billing_period: subscriptionColumns.current_billing_period.encode(periodOut(state.current_billing_period)),
    scheduled_change: subscriptionColumns.scheduled_change.encode(
      change && {
        action: change.action,
        effective_at: toStoredTime(change.effective_at),
        resume_at: st(change.resume_at),
      },
    ),
    paused_at: st(state.paused_at),
    canceled_at: st(state.canceled_at),
    on_resume: state.on_resume,
    past_due_when_paused: state.past_due_when_paused ? 1n : 0n,
    items: subscriptionColumns.items.encode(items),
    updated_at: stamp,
  };
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
  const change = subscriptionColumns.scheduled_change.decode(row.scheduled_change);
  if (change) candidates.push(change.effective_at);
  const renewable = row.status === 'active' || row.status === 'trialing' || row.status === 'past_due';
  if (renewable && row.next_billed_at) candidates.push(row.next_billed_at);
  if (row.status === 'past_due' && row.retry_at) candidates.push(row.retry_at);
  return candidates.length === 0 ? null : candidates.sort()[0]!;
}
