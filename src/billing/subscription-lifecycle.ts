// The subscription status machine (paddle-behaviour.md 4.2–4.9) as pure transitions: each takes a state and `now`
// and returns the next state, the webhook events to record in Paddle's order, and the period to bill now (if any),
// or throws a DomainError with Paddle's code. Status and billing dates change nowhere else.
import { Temporal, type Instant } from '../kernel/time.js';
import { DomainError, invalidFieldError } from './errors.js';
import { firstPeriod, nextBilledAt, trialDates, type Duration, type TimePeriod } from './periods.js';
import type { ProrationBillingMode } from './proration.js';

export type SubscriptionStatus = 'active' | 'canceled' | 'past_due' | 'paused' | 'trialing';
export type SubscriptionItemStatus = 'active' | 'inactive' | 'trialing';
export type OnResume = 'start_new_billing_period' | 'continue_existing_billing_period';
export type EffectiveFrom = 'next_billing_period' | 'immediately';
export type SubscriptionEvent =
  | 'subscription.updated'
  | 'subscription.activated'
  | 'subscription.canceled'
  | 'subscription.past_due'
  | 'subscription.paused'
  | 'subscription.resumed';

export interface ScheduledChange {
  action: 'cancel' | 'pause' | 'resume';
  effective_at: Instant;
  resume_at: Instant | null;
}

export interface SubscriptionItemState {
  price_id: string;
  status: SubscriptionItemStatus;
  previously_billed_at: Instant | null;
  next_billed_at: Instant | null;
  trial_dates: TimePeriod | null;
}

export interface SubscriptionState {
  status: SubscriptionStatus;
  collection_mode: 'automatic' | 'manual';
  billing_cycle: Duration;
  /** Not a Paddle field: the instant billing periods are counted from (periods.ts). Reset by activation, resume
   * with a new period, a frequency change or a new `next_billed_at`. */
  billing_anchor: Instant;
  started_at: Instant | null;
  first_billed_at: Instant | null;
  next_billed_at: Instant | null;
  current_billing_period: TimePeriod | null;
  scheduled_change: ScheduledChange | null;
  paused_at: Instant | null;
  canceled_at: Instant | null;
  /** Not a Paddle field: how a scheduled or open pause resumes, as asked when pausing. */
  on_resume: OnResume | null;
  /** Not a Paddle field: the subscription was past due when it paused (it cannot continue its old period). */
  past_due_when_paused: boolean;
  /**
   * Not a Paddle field: a cardless trial (automatic collection, trialing) with no payment method yet. Paddle
   * refuses pauses, scheduled changes, one-off charges, activation and prices that require a payment method
   * until one is added, and cancels the subscription when its trial ends without one.
   */
  awaiting_payment_method?: boolean;
  items: SubscriptionItemState[];
}

export interface Transition {
  state: SubscriptionState;
  events: SubscriptionEvent[];
  /** The period to bill for now (activation, resume into a new period, renewal), or null. */
  bill: TimePeriod | null;
}

/** Paddle locks changes in the 30 minutes before a renewal or a scheduled change is processed. */
export const CHANGE_LOCK_MINUTES = 30;

const UPDATED = 'subscription.updated';
const before = (a: Instant, b: Instant) => Temporal.Instant.compare(a, b) < 0;
const notAfter = (a: Instant, b: Instant) => Temporal.Instant.compare(a, b) <= 0;

const noChange = (state: SubscriptionState): Transition => ({ state, events: [], bill: null });

function withItems(state: SubscriptionState, patch: Partial<SubscriptionItemState>): SubscriptionItemState[] {
  return state.items.map((item) => ({ ...item, ...patch }));
}

// ---- guards ------------------------------------------------------------------------------------------------------

const canceledAction = () => new DomainError('subscription_is_canceled_action_invalid');
/** `subscription_locked_pending_changes` naming the change that is in the way. */
function pendingChangeRefusal(change: ScheduledChange): DomainError {
  return new DomainError(
    'subscription_locked_pending_changes',
    `cannot update subscription, pending scheduled changes: a ${change.action} is scheduled for ${change.effective_at.toString()}; remove it first with PATCH {"scheduled_change": null}`,
  );
}

/** Refuses any change to a canceled subscription (`subscription_update_when_canceled`). */
function assertNotCanceled(state: Pick<SubscriptionState, 'status'>): void {
  if (state.status === 'canceled') throw new DomainError('subscription_update_when_canceled');
}

/** Refuses changes to items and charges of a canceled or past-due subscription (`subscription_update_when_*`). */
function assertUpdatable(state: Pick<SubscriptionState, 'status'>): void {
  assertNotCanceled(state);
  if (state.status === 'past_due') throw new DomainError('subscription_update_when_past_due');
}

function lockedWithin(at: Instant, now: Instant): boolean {
  return notAfter(at.subtract({ minutes: CHANGE_LOCK_MINUTES }), now);
}

/** Refuses a change in the 30 minutes before a scheduled change or a renewal (or once either is overdue). */
export function assertNotLocked(state: SubscriptionState, now: Instant): void {
  if (state.scheduled_change && lockedWithin(state.scheduled_change.effective_at, now)) {
    throw new DomainError('subscription_locked_processing');
  }
  if (state.next_billed_at && lockedWithin(state.next_billed_at, now)) {
    throw new DomainError('subscription_locked_renewal');
  }
}

/**
 * Refuses items whose price requires a payment method (a price with no trial, or a trial that requires one) on a
 * cardless trial still waiting for its payment method (`subscription_price_requires_payment_method_on_cardless_trial`).
 */
export function assertItemsAllowed(
  state: Pick<SubscriptionState, 'awaiting_payment_method'>,
  items: ReadonlyArray<{ requires_payment_method: boolean }>,
): void {
  if (state.awaiting_payment_method && items.some((item) => item.requires_payment_method)) {
    throw new DomainError('subscription_price_requires_payment_method_on_cardless_trial');
  }
}

/** Checks `continue_existing_billing_period` for a resume at `resumeAt` (now or scheduled). */
function assertCanContinue(state: SubscriptionState, resumeAt: Instant): void {
  if (state.status === 'past_due' || state.past_due_when_paused) {
    throw new DomainError('subscription_continuing_existing_billing_period_not_allowed_subscription_past_due');
  }
  const period = state.current_billing_period;
  if (!period) {
    throw new DomainError('subscription_continuing_existing_billing_period_not_allowed_no_billing_period');
  }
  if (!before(resumeAt, period.ends_at)) {
    throw new DomainError('subscription_continuing_existing_billing_period_not_allowed');
  }
}

export interface UpdateRequest {
  /** The items list changes (items added, removed, re-priced or re-quantified). */
  items: boolean;
  /** The new `next_billed_at`, or null when it does not change. */
  next_billed_at: Instant | null;
  proration_billing_mode: ProrationBillingMode | null;
}

/** The rules of `PATCH /subscriptions/{id}` that depend on the subscription's state. */
export function assertCanUpdate(state: SubscriptionState, request: UpdateRequest, now: Instant): void {
  assertUpdatable(state);
  assertNotLocked(state, now);
  const billing = request.items || request.next_billed_at !== null;
  if (!billing) return;
  const mode = request.proration_billing_mode;
  if (!mode) {
    throw new DomainError('subscription_items_update_missing_proration_billing_mode');
  }
  if (request.next_billed_at && before(request.next_billed_at, now.add({ minutes: CHANGE_LOCK_MINUTES }))) {
    throw new DomainError('subscription_next_billed_at_too_soon');
  }
  if (state.status === 'trialing' && mode !== 'do_not_bill') {
    throw new DomainError('subscription_trialing_items_update_invalid_options');
  }
  if (state.status === 'paused') {
    if (request.next_billed_at) {
      throw new DomainError('subscription_only_update_items_on_paused_subscription');
    }
    if (mode !== 'do_not_bill' && mode !== 'full_next_billing_period') {
      throw new DomainError(
        'subscription_incorrect_proration_on_paused_subscription',
        `proration_billing_mode ${mode} is not accepted on a paused subscription`,
      );
    }
  }
  if (state.scheduled_change) {
    if (request.next_billed_at) throw pendingChangeRefusal(state.scheduled_change);
    if (mode === 'prorated_next_billing_period' || mode === 'full_next_billing_period') {
      throw new DomainError('subscription_invalid_billing_mode_for_scheduled_change');
    }
  }
}

/**
 * `POST /subscriptions/{id}/charge`: not canceled or past due (as updates), not in the 30 minutes before a renewal
 * or scheduled change; a paused one only with the charge waiting for its next bill; with a cancel or pause
 * scheduled there is no next bill, so only immediately.
 */
export function assertCanCharge(state: SubscriptionState, from: EffectiveFrom, now: Instant): void {
  assertUpdatable(state);
  if (state.awaiting_payment_method)
    throw new DomainError('subscription_one_off_charges_not_allowed_on_cardless_trial');
  assertNotLocked(state, now);
  if (from === 'immediately' && state.status === 'paused') {
    throw new DomainError('subscription_update_error_when_paused');
  }
  const change = state.scheduled_change;
  if (from === 'next_billing_period' && change && change.action !== 'resume') {
    throw new DomainError(
      'subscription_invalid_billing_mode_for_scheduled_change',
      `Subscription has a scheduled ${change.action}, so it has no next billing period to add one-time charges to; charge them immediately.`,
    );
  }
}

/** Why a subscription cannot take a new payment method, or null when it can (Paddle: automatic, not paused or canceled). */
function paymentMethodRefusal(state: Pick<SubscriptionState, 'status' | 'collection_mode'>): DomainError | null {
  if (state.collection_mode !== 'automatic') return new DomainError('subscription_not_automatic_collection');
  if (state.status === 'canceled') return canceledAction();
  if (state.status === 'paused') return new DomainError('subscription_is_inactive_action_invalid');
  return null;
}

/** Whether a subscription takes a new payment method (the portal offers one only then). */
export function canUpdatePaymentMethod(state: Pick<SubscriptionState, 'status' | 'collection_mode'>): boolean {
  return paymentMethodRefusal(state) === null;
}

/** Throws `subscription_not_automatic_collection` or `subscription_is_{canceled,inactive}_action_invalid`. */
export function assertCanUpdatePaymentMethod(state: Pick<SubscriptionState, 'status' | 'collection_mode'>): void {
  const refusal = paymentMethodRefusal(state);
  if (refusal) throw refusal;
}

// ---- the moves themselves ----------------------------------------------------------------------------------------

function cancelAt(state: SubscriptionState, at: Instant): Transition {
  return {
    state: {
      ...state,
      status: 'canceled',
      canceled_at: at,
      paused_at: null,
      next_billed_at: null,
      current_billing_period: null,
      scheduled_change: null,
      on_resume: null,
      past_due_when_paused: false,
      items: withItems(state, { next_billed_at: null }),
    },
    events: [UPDATED, 'subscription.canceled'],
    bill: null,
  };
}

function pauseAt(state: SubscriptionState, at: Instant, resumeAt: Instant | null, onResume: OnResume): Transition {
  return {
    state: {
      ...state,
      status: 'paused',
      paused_at: at,
      next_billed_at: resumeAt,
      scheduled_change: resumeAt ? { action: 'resume', effective_at: resumeAt, resume_at: null } : null,
      on_resume: onResume,
      past_due_when_paused: state.status === 'past_due',
      items: withItems(state, { status: 'inactive', next_billed_at: resumeAt }),
    },
    events: [UPDATED, 'subscription.paused'],
    bill: null,
  };
}

function resumeAt(state: SubscriptionState, at: Instant, onResume: OnResume): Transition {
  const resumed = {
    ...state,
    status: 'active' as const,
    paused_at: null,
    scheduled_change: null,
    on_resume: null,
    past_due_when_paused: false,
  };
  if (onResume === 'continue_existing_billing_period') {
    assertCanContinue(state, at);
    const ends = state.current_billing_period!.ends_at;
    return {
      state: { ...resumed, next_billed_at: ends, items: withItems(state, { status: 'active', next_billed_at: ends }) },
      events: [UPDATED, 'subscription.resumed'],
      bill: null,
    };
  }
  const period = firstPeriod(at, state.billing_cycle);
  return {
    state: {
      ...resumed,
      billing_anchor: at,
      first_billed_at: state.first_billed_at ?? at,
      current_billing_period: period,
      next_billed_at: period.ends_at,
      items: withItems(state, { status: 'active', previously_billed_at: at, next_billed_at: period.ends_at }),
    },
    events: [UPDATED, 'subscription.resumed'],
    bill: period,
  };
}

function schedule(
  state: SubscriptionState,
  change: ScheduledChange | null,
  nextBilled: Instant | null,
  onResume: OnResume | null,
): Transition {
  return {
    state: {
      ...state,
      scheduled_change: change,
      next_billed_at: nextBilled,
      on_resume: onResume,
      items: withItems(state, { next_billed_at: nextBilled }),
    },
    events: [UPDATED],
    bill: null,
  };
}

function requireNextBilledAt(state: SubscriptionState): Instant {
  if (!state.next_billed_at)
    throw new RangeError(`a ${state.status} subscription without next_billed_at has no period end`);
  return state.next_billed_at;
}

// ---- operations a caller asks for --------------------------------------------------------------------------------

/**
 * `POST /subscriptions/{id}/cancel`. Active and trialing subscriptions default to the period end, paused and
 * past-due ones to now (a past-due period was never paid for). A scheduled change (cancel, pause or resume)
 * refuses both timings with `subscription_locked_pending_changes` until `PATCH {"scheduled_change": null}` removes
 * it: Paddle never drops a scheduled change silently (developer.paddle.com/errors/subscriptions/subscription_locked_pending_changes).
 */
export function cancel(
  state: SubscriptionState,
  input: { effective_from?: EffectiveFrom | null },
  now: Instant,
): Transition {
  if (state.status === 'canceled') throw canceledAction();
  const from =
    input.effective_from ??
    (state.status === 'paused' || state.status === 'past_due' ? 'immediately' : 'next_billing_period');
  assertNotLocked(state, now);
  if (state.scheduled_change) throw pendingChangeRefusal(state.scheduled_change);
  if (from === 'immediately') return cancelAt(state, now);
  if (state.awaiting_payment_method)
    throw new DomainError('subscription_scheduled_change_not_allowed_for_cardless_trial');
  if (state.status === 'paused') {
    throw new DomainError(
      'subscription_is_inactive_action_invalid',
      'a paused subscription has no billing period to cancel at; cancel it immediately',
    );
  }
  return schedule(state, { action: 'cancel', effective_at: requireNextBilledAt(state), resume_at: null }, null, null);
}

export interface PauseInput {
  effective_from?: EffectiveFrom | null;
  resume_at?: Instant | null;
  on_resume?: OnResume | null;
}

/** `POST /subscriptions/{id}/pause`: active (and past-due) subscriptions now or at the period end, trialing ones at the trial end. */
export function pause(state: SubscriptionState, input: PauseInput, now: Instant): Transition {
  if (state.status === 'canceled') throw canceledAction();
  if (state.status === 'paused') throw new DomainError('subscription_cannot_be_paused');
  if (state.awaiting_payment_method) throw new DomainError('subscription_pausing_not_allowed_for_cardless_trial');
  if (state.scheduled_change) throw pendingChangeRefusal(state.scheduled_change);
  const from = input.effective_from ?? (state.status === 'past_due' ? 'immediately' : 'next_billing_period');
  if (state.status === 'trialing' && from === 'immediately') {
    throw new DomainError('subscription_update_when_trialing');
  }
  assertNotLocked(state, now);
  const effectiveAt = from === 'immediately' ? now : requireNextBilledAt(state);
  const resume = input.resume_at ?? null;
  const onResume = input.on_resume ?? 'start_new_billing_period';
  if (resume && notAfter(resume, effectiveAt))
    throw invalidFieldError('resume_at', 'must be after the time the pause takes effect');
  if (onResume === 'continue_existing_billing_period' && resume) assertCanContinue(state, resume);
  if (from === 'immediately') return pauseAt(state, now, resume, onResume);
  return schedule(state, { action: 'pause', effective_at: effectiveAt, resume_at: resume }, resume, onResume);
}

export interface ResumeInput {
  /** `immediately` (the default) or when to resume. */
  effective_from?: 'immediately' | Instant | null;
  on_resume?: OnResume | null;
}

/**
 * `POST /subscriptions/{id}/resume`: a paused subscription now or at a time (a time not in the future means now);
 * an active one with a scheduled pause gets its resume date set or moved.
 */
export function resume(state: SubscriptionState, input: ResumeInput, now: Instant): Transition {
  if (state.status === 'canceled') throw canceledAction();
  const when = input.effective_from ?? 'immediately';
  const onResume = input.on_resume ?? 'start_new_billing_period';
  const pending = state.scheduled_change;
  if (state.status !== 'paused') {
    if (pending?.action !== 'pause' || when === 'immediately') {
      throw new DomainError('subscription_must_be_paused');
    }
    assertNotLocked(state, now);
    if (notAfter(when, pending.effective_at))
      throw invalidFieldError('effective_from', 'must be after the time the pause takes effect');
    if (onResume === 'continue_existing_billing_period') assertCanContinue(state, when);
    return schedule(state, { ...pending, resume_at: when }, when, onResume);
  }
  assertNotLocked(state, now);
  if (when === 'immediately' || notAfter(when, now)) return resumeAt(state, now, onResume);
  if (onResume === 'continue_existing_billing_period') assertCanContinue(state, when);
  return schedule(state, { action: 'resume', effective_at: when, resume_at: null }, when, onResume);
}

/** `POST /subscriptions/{id}/activate`: ends the trial now and starts the first paid period from now. */
export function activate(state: SubscriptionState, now: Instant): Transition {
  if (state.status !== 'trialing') {
    throw new DomainError(
      'subscription_cannot_activate',
      `Only subscriptions which have status 'trialing' can be activated. Subscription status is '${state.status}'`,
    );
  }
  if (state.collection_mode !== 'automatic') {
    throw new DomainError('subscription_manual_collection_mode_activation_not_allowed');
  }
  if (state.awaiting_payment_method) throw new DomainError('subscription_missing_payment_method_cannot_activate');
  if (state.scheduled_change) throw pendingChangeRefusal(state.scheduled_change);
  assertNotLocked(state, now);
  const period = firstPeriod(now, state.billing_cycle);
  return {
    state: {
      ...state,
      status: 'active',
      billing_anchor: now,
      first_billed_at: now,
      current_billing_period: period,
      next_billed_at: period.ends_at,
      items: state.items.map((item) => ({
        ...item,
        status: 'active',
        previously_billed_at: now,
        next_billed_at: period.ends_at,
        trial_dates: item.trial_dates ? { starts_at: item.trial_dates.starts_at, ends_at: now } : null,
      })),
    },
    events: [UPDATED, 'subscription.activated'],
    bill: period,
  };
}

/** `PATCH /subscriptions/{id}` with `scheduled_change: null`. Without a scheduled change nothing happens. */
export function removeScheduledChange(state: SubscriptionState, now: Instant): Transition {
  assertNotCanceled(state);
  const pending = state.scheduled_change;
  if (!pending) return noChange(state);
  assertNotLocked(state, now);
  // A pending cancel or pause had hidden the renewal; a paused subscription goes back to an open-ended pause.
  const nextBilled = pending.action === 'resume' ? null : pending.effective_at;
  return schedule(state, null, nextBilled, null);
}

/** The billing dates an item change or a new `next_billed_at` sets. */
export interface BillingChange {
  billing_cycle: Duration;
  billing_anchor: Instant;
  current_billing_period: TimePeriod;
  next_billed_at: Instant;
}

/** The subscription's billing dates as they are (a subscription without a period gets its first from `now`). */
export function billingDates(state: SubscriptionState, now: Instant): BillingChange {
  const period = state.current_billing_period ?? firstPeriod(now, state.billing_cycle);
  return {
    billing_cycle: state.billing_cycle,
    billing_anchor: state.billing_anchor,
    current_billing_period: period,
    next_billed_at: state.next_billed_at ?? period.ends_at,
  };
}

/**
 * A new `next_billed_at`: the current period now ends there and periods are counted from it (Paddle: the
 * billing date moves, and the next renewal bills a whole period from it).
 */
export function moveNextBilledAt(dates: BillingChange, to: Instant): BillingChange {
  return {
    ...dates,
    billing_anchor: to,
    current_billing_period: { starts_at: dates.current_billing_period.starts_at, ends_at: to },
    next_billed_at: to,
  };
}

function itemStatusOf(status: SubscriptionStatus): SubscriptionItemStatus {
  if (status === 'trialing') return 'trialing';
  if (status === 'paused') return 'inactive';
  return 'active';
}

/**
 * The items after an item change, `price_ids` being the new list in order: kept items keep their dates; new ones
 * take the subscription's item status, renewal date and trial. `billedAt` (the change was billed now) becomes
 * the `previously_billed_at` of the new items, or of every item when `wholeSubscriptionBilled` (a new billing
 * cycle starts now).
 */
export function applyItemChange(
  state: SubscriptionState,
  change: { price_ids: string[]; billedAt: Instant | null; wholeSubscriptionBilled: boolean },
): Transition {
  const kept = new Map(state.items.map((item) => [item.price_id, item]));
  const trial = state.items.find((item) => item.trial_dates)?.trial_dates ?? null;
  const items = change.price_ids.map((price_id): SubscriptionItemState => {
    const item = kept.get(price_id) ?? {
      price_id,
      status: itemStatusOf(state.status),
      previously_billed_at: change.billedAt,
      next_billed_at: state.next_billed_at,
      trial_dates: state.status === 'trialing' ? trial : null,
    };
    return change.wholeSubscriptionBilled && change.billedAt
      ? { ...item, previously_billed_at: change.billedAt }
      : item;
  });
  return { state: { ...state, items }, events: [UPDATED], bill: null };
}

/** Sets new billing dates after an item change or a new `next_billed_at` (proration.ts computes them). */
export function applyBillingChange(state: SubscriptionState, change: BillingChange): Transition {
  const trial = state.status === 'trialing';
  return {
    state: {
      ...state,
      ...change,
      items: state.items.map((item) => ({
        ...item,
        next_billed_at: change.next_billed_at,
        trial_dates:
          trial && item.trial_dates
            ? { starts_at: item.trial_dates.starts_at, ends_at: change.next_billed_at }
            : item.trial_dates,
      })),
    },
    events: [UPDATED],
    bill: null,
  };
}

/**
 * A new subscription (from a paid automatic, or billed manual, transaction with recurring items) at `now`:
 * trialing until the trial ends when an item has a trial and collection is automatic, else active and billed now
 * for its first period. Items are given as their price ids, in order.
 */
export function start(input: {
  now: Instant;
  billing_cycle: Duration;
  trial_period: Duration | null;
  collection_mode: SubscriptionState['collection_mode'];
  price_ids: string[];
}): SubscriptionState {
  const { now } = input;
  const trialing = input.trial_period !== null && input.collection_mode === 'automatic';
  const period = trialing ? trialDates(now, input.trial_period!) : firstPeriod(now, input.billing_cycle);
  return {
    status: trialing ? 'trialing' : 'active',
    collection_mode: input.collection_mode,
    billing_cycle: input.billing_cycle,
    billing_anchor: now,
    started_at: now,
    first_billed_at: trialing ? null : now,
    next_billed_at: period.ends_at,
    current_billing_period: period,
    scheduled_change: null,
    paused_at: null,
    canceled_at: null,
    on_resume: null,
    past_due_when_paused: false,
    items: input.price_ids.map((price_id) => ({
      price_id,
      status: trialing ? 'trialing' : 'active',
      previously_billed_at: trialing ? null : now,
      next_billed_at: period.ends_at,
      trial_dates: trialing ? period : null,
    })),
  };
}

// ---- what the clock and payments do ------------------------------------------------------------------------------

/** What falls due at `now`: a scheduled change first, then a renewal. */
export function dueAction(state: SubscriptionState, now: Instant): 'apply_scheduled_change' | 'renew' | null {
  if (state.scheduled_change && notAfter(state.scheduled_change.effective_at, now)) return 'apply_scheduled_change';
  const renewable = state.status === 'active' || state.status === 'trialing' || state.status === 'past_due';
  if (renewable && state.next_billed_at && notAfter(state.next_billed_at, now)) return 'renew';
  return null;
}

/** Applies the scheduled change once its `effective_at` has come; it takes effect at that instant. */
export function applyScheduledChange(state: SubscriptionState, now: Instant): Transition {
  const change = state.scheduled_change;
  if (!change || before(now, change.effective_at)) throw new RangeError('no scheduled change is due');
  const at = change.effective_at;
  const onResume = state.on_resume ?? 'start_new_billing_period';
  if (change.action === 'cancel') return cancelAt(state, at);
  if (change.action === 'pause') return pauseAt({ ...state, scheduled_change: null }, at, change.resume_at, onResume);
  try {
    return resumeAt(state, at, onResume);
  } catch (error) {
    // A scheduled resume cannot answer with an error; if the old period can no longer continue, start a new one.
    if (error instanceof DomainError && onResume === 'continue_existing_billing_period')
      return resumeAt(state, at, 'start_new_billing_period');
    throw error;
  }
}

/**
 * Moves a subscription into its next period at `next_billed_at` (a trial into its first paid period) and says
 * which period to bill. The status follows from the payment: renewalPaid / renewalFailed.
 */
export function renew(state: SubscriptionState, now: Instant): Transition {
  if (dueAction(state, now) !== 'renew') throw new RangeError(`a ${state.status} subscription has no renewal due`);
  const from = requireNextBilledAt(state);
  // Paddle: a cardless trial that ends without a payment method is canceled, at the trial's end.
  if (state.awaiting_payment_method) return cancelAt(state, from);
  const trialEnd = state.status === 'trialing';
  const anchor = trialEnd ? from : state.billing_anchor;
  const period = { starts_at: from, ends_at: nextBilledAt(anchor, state.billing_cycle, from) };
  return {
    state: {
      ...state,
      billing_anchor: anchor,
      first_billed_at: state.first_billed_at ?? from,
      current_billing_period: period,
      next_billed_at: period.ends_at,
      items: withItems(state, { previously_billed_at: from, next_billed_at: period.ends_at }),
    },
    events: [UPDATED],
    bill: period,
  };
}

/** The renewal (or trial-end) charge was paid, or for manual collection the invoice was issued. */
export function renewalPaid(state: SubscriptionState): Transition {
  if (state.status !== 'trialing' && state.status !== 'past_due') return noChange(state);
  return {
    state: { ...state, status: 'active', items: withItems(state, { status: 'active' }) },
    events: state.status === 'trialing' ? [UPDATED, 'subscription.activated'] : [UPDATED],
    bill: null,
  };
}

/** The renewal charge failed (automatic) or the invoice's payment terms elapsed (manual). */
export function renewalFailed(state: SubscriptionState): Transition {
  if (state.status !== 'active' && state.status !== 'trialing') return noChange(state);
  return {
    state: { ...state, status: 'past_due', items: withItems(state, { status: 'active' }) },
    events: [UPDATED, 'subscription.past_due'],
    bill: null,
  };
}

/** Payment recovery ran out: cancel (Paddle's default, after 30 days) or pause (Retain's other choice). */
export function dunningExhausted(
  state: SubscriptionState,
  now: Instant,
  action: 'subscription_canceled' | 'subscription_paused' = 'subscription_canceled',
): Transition {
  if (state.status !== 'past_due') return noChange(state);
  const cleared = { ...state, scheduled_change: null };
  return action === 'subscription_canceled'
    ? cancelAt(cleared, now)
    : pauseAt(cleared, now, null, 'start_new_billing_period');
}
