// What `PATCH /subscriptions/{id}` (and its preview) would do, without storing anything: the subscription after the
// change, the lines to bill now (an immediate `subscription_update` transaction) and the lines added to the next
// renewal. billing/proration.ts decides the lines of an item change; this file gives it the items, turns its lines
// back into transaction items with price and product snapshots, and bills a change of `next_billed_at`.
import type { TxCtx } from '../../../context.js';
import type { SubscriptionRow } from '../../../db/tables.js';
import { DomainError } from '../../../billing/errors.js';
import type { Duration, TimePeriod } from '../../../billing/periods.js';
import {
  periodShare,
  planItemChange,
  type ChangeLine,
  type PlanItem,
  type ProrationBillingMode,
} from '../../../billing/proration.js';
import {
  applyBillingChange,
  applyItemChange,
  billingDates,
  moveNextBilledAt,
  type BillingChange,
  assertCanUpdate,
  removeScheduledChange,
} from '../../../billing/subscription-lifecycle.js';
import { invalidField } from '../../../kernel/errors.js';
import { parseRfc3339, toStoredTime, Temporal, type Instant } from '../../../kernel/time.js';
import type { ResolvedItem } from '../../transactions/items.js';
import { withNextPeriodLines } from '../billing.js';
import { withDiscountChange } from '../discount.js';
import { countryOf, unitPriceIn, wireProration } from '../includes.js';
import { newStoredItem, stateOf, storedItems, withState, type StoredItem } from '../state.js';
import { resolveUpdateItems, strip, type UpdateItem } from './resolve-items.js';
import { applyOtherChanges, type SubscriptionUpdateInput } from './other-changes.js';
import { subscriptionColumns } from '../columns.js';

export interface UpdatePlan {
  /** The subscription after the change (new items, dates and waiting lines); not stored yet. */
  after: SubscriptionRow;
  /** Whether items or `next_billed_at` were asked to change (the preview then has an `update_summary`). */
  billing: boolean;
  /** Lines of the immediate transaction; empty when nothing is billed now. */
  billNow: ResolvedItem[];
  /** Lines added to the next renewal by this change. */
  billNext: ResolvedItem[];
  /** The period the immediate transaction covers: from now to the end of the (new) current period. */
  immediatePeriod: TimePeriod;
}

const IMMEDIATE: readonly ProrationBillingMode[] = ['prorated_immediately', 'full_immediately'];

function instantOf(value: string): Instant {
  const instant = parseRfc3339(value);
  if (!instant) throw invalidField([{ field: 'next_billed_at', message: 'must be an RFC 3339 date-time' }]);
  return instant;
}

function planItem(item: ResolvedItem, currency: string, country: string | null, index: number): PlanItem {
  const unit = unitPriceIn(item.price, currency, country);
  if (!unit) {
    throw new DomainError(
      'subscription_new_items_not_valid',
      'the new items are not valid for updating this subscription',
      [{ field: `items[${index}].price_id`, message: `price ${item.price_id} has no unit price in ${currency}` }],
    );
  }
  return {
    price_id: item.price_id,
    quantity: item.quantity,
    unit_price: unit,
    billing_cycle: item.price.billing_cycle as Duration,
  };
}

const fromStored = (stored: StoredItem): ResolvedItem => ({
  price_id: stored.price.id,
  price: stored.price,
  product: stored.product,
  quantity: stored.quantity,
  proration: null,
});

/** A change line as a transaction item: credits carry the snapshot that was billed, charges the new one. */
function lineItem(line: ChangeLine, before: Map<string, ResolvedItem>, after: Map<string, ResolvedItem>): ResolvedItem {
  const source = (
    line.quantity < 0
      ? (before.get(line.price_id) ?? after.get(line.price_id))
      : (after.get(line.price_id) ?? before.get(line.price_id))
  ) as ResolvedItem;
  const proration = line.proration ? wireProration(line.proration.rate, line.proration.billing_period) : null;
  return { ...strip(source), quantity: line.quantity, proration };
}

/**
 * The items after the change: quantities and snapshots refreshed, new items added, removed ones gone. Status and
 * billing dates are the lifecycle's (applyItemChange): a new item's are written over by withState.
 */
function newStoredItems(
  row: SubscriptionRow,
  items: UpdateItem[],
  dates: { billedAt: Instant | null; wholeSubscriptionBilled: boolean },
  now: Instant,
): SubscriptionRow {
  const stamp = toStoredTime(now);
  const current = new Map(storedItems(row).map((stored) => [stored.price.id, stored]));
  const stored = items.map(({ item }): StoredItem => {
    const before = current.get(item.price_id);
    if (before) {
      const updated: StoredItem = { ...before, quantity: item.quantity, price: item.price, product: item.product };
      return JSON.stringify(updated) === JSON.stringify(before) ? before : { ...updated, updated_at: stamp };
    }
    return newStoredItem(item.price, item.product, item.quantity, stamp);
  });
  const change = applyItemChange(stateOf(row), { price_ids: items.map(({ item }) => item.price_id), ...dates });
  return withState({ ...row, items: subscriptionColumns.items.encode(stored), updated_at: stamp }, change.state, now);
}

/**
 * Lines for moving `next_billed_at` with a prorated mode (Paddle: later → bill the extra time, earlier → credit
 * what was paid for): each item for the time between the old and the new date. Full modes and `do_not_bill` bill
 * nothing for the move itself (Paddle describes no full-period charge for it).
 */
function dateChangeLines(
  items: ResolvedItem[],
  period: TimePeriod,
  from: Instant,
  to: Instant,
  mode: ProrationBillingMode,
): ResolvedItem[] {
  if (!mode.startsWith('prorated_') || Temporal.Instant.compare(from, to) === 0) return [];
  const later = Temporal.Instant.compare(to, from) > 0;
  const slice = later ? { starts_at: from, ends_at: to } : { starts_at: to, ends_at: from };
  const proration = wireProration(periodShare(slice.starts_at, slice.ends_at, period), slice);
  return items.map((item) => ({ ...strip(item), quantity: later ? item.quantity : -item.quantity, proration }));
}

/** Everything the update asks for, applied to `current` in memory. Throws Paddle's refusals. */
export async function planUpdate(
  ctx: TxCtx,
  current: SubscriptionRow,
  input: SubscriptionUpdateInput,
): Promise<UpdatePlan> {
  const now = ctx.clock.now();
  let row = current;
  if (input.scheduled_change === null) row = withState(row, removeScheduledChange(stateOf(row), now).state, now);
  const mode = input.proration_billing_mode ?? null;
  const nextBilledAt = input.next_billed_at !== undefined ? instantOf(input.next_billed_at) : null;
  const state = stateOf(row);
  assertCanUpdate(
    state,
    { items: input.items !== undefined, next_billed_at: nextBilledAt, proration_billing_mode: mode },
    now,
  );
  row = await withDiscountChange(ctx, await applyOtherChanges(ctx, row, input, now), input.discount);
  const billing = input.items !== undefined || nextBilledAt !== null;
  const empty: UpdatePlan = {
    after: row,
    billing,
    billNow: [],
    billNext: [],
    immediatePeriod: { starts_at: now, ends_at: now },
  };
  if (!billing || !mode) return empty;

  const immediate = IMMEDIATE.includes(mode);
  let lines: ResolvedItem[] = [];
  let change: BillingChange | null = null;
  let items = storedItems(row).map(fromStored);
  if (input.items) {
    const updates = await resolveUpdateItems(ctx, row, input.items);
    const country = await countryOf(ctx, row);
    const currentItems = storedItems(row).map(fromStored);
    const dates = billingDates(state, now);
    const plan = planItemChange({
      current_items: currentItems.map((item, index) => planItem(item, row.currency_code, country, index)),
      new_items: updates.map(({ item }, index) => planItem(item, row.currency_code, country, index)),
      billing_cycle: state.billing_cycle,
      current_billing_period: dates.current_billing_period,
      billing_anchor: state.billing_anchor,
      change_at: now,
      proration_billing_mode: mode,
    });
    const before = new Map(currentItems.map((item) => [item.price_id, item]));
    const after = new Map(updates.map(({ item }) => [item.price_id, item]));
    lines = [...plan.bill_now, ...plan.bill_next_renewal].map((line) => lineItem(line, before, after));
    const cycleChangedNow = plan.billing_cycle_changed && immediate;
    const billedNow = (immediate && lines.length > 0) || cycleChangedNow;
    row = newStoredItems(
      row,
      updates,
      { billedAt: billedNow ? now : null, wholeSubscriptionBilled: cycleChangedNow },
      now,
    );
    items = updates.map(({ item }) => item);
    change =
      state.status === 'paused'
        ? null
        : {
            billing_cycle: plan.billing_cycle,
            billing_anchor: plan.billing_anchor,
            current_billing_period: plan.current_billing_period,
            next_billed_at: plan.next_billed_at,
          };
    if (state.status === 'paused' && plan.billing_cycle_changed)
      row = { ...row, billing_cycle: subscriptionColumns.billing_cycle.encode(plan.billing_cycle) };
  }
  if (nextBilledAt) {
    const base = change ?? billingDates(state, now);
    lines = [...lines, ...dateChangeLines(items, base.current_billing_period, base.next_billed_at, nextBilledAt, mode)];
    change = moveNextBilledAt(base, nextBilledAt);
  }
  if (change) row = withState(row, applyBillingChange(stateOf(row), change).state, now);
  const period = stateOf(row).current_billing_period;
  return {
    after: immediate ? row : withNextPeriodLines(row, lines),
    billing,
    billNow: immediate ? lines : [],
    billNext: immediate ? [] : lines,
    immediatePeriod: { starts_at: now, ends_at: period?.ends_at ?? now },
  };
}
