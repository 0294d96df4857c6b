// Billing a subscription period: make the renewal transaction, take the payment with the saved method
// (automatic collection), and move the subscription on from the outcome (paid → active; declined → past_due
// with dunning). Runs inside the caller's database transaction.
import type { TxCtx } from '../../context.js';
import type { PaymentMethodRow, SubscriptionRow, TransactionRow } from '../../db/tables.js';
import { renewalFailed, renewalPaid, type Transition } from '../../billing/subscription-lifecycle.js';
import type { TimePeriod } from '../../billing/periods.js';
import { recordEvent } from '../../events/record.js';
import { instantFromStored, Temporal, toStoredTime, type Instant } from '../../kernel/time.js';
import { getAddressRow } from '../addresses/service.js';
import { moveCredit } from '../credit-balances/service.js';
import { findPaymentMethodRow } from '../payment-methods/service.js';
import { portalOfContext } from '../sellers/service.js';
import type { ResolvedItem } from '../transactions/items.js';
import {
  chargeSavedMethod,
  completeWithoutCharge,
  lockTransactionForBilling,
  markPastDue,
  type PaymentOutcome,
} from '../transactions/operations/pay.js';
import {
  cancelPastDueRenewals,
  createSubscriptionTransaction,
  type SubscriptionBillInput,
} from '../transactions/operations/subscription-billing.js';
import { writeSubscriptionRow } from './pending.js';
import { serializeSubscriptionForEvent } from './serialize.js';
import { stateOf, storedItems, withState } from './state.js';
import { transactionColumns } from '../transactions/columns.js';
import { subscriptionColumns } from './columns.js';
import { periodDiscount } from './discount.js';
import { sameColumns } from '../../kernel/same-columns.js';

/**
 * Paddock's dunning (Paddle does not publish its sandbox schedule): the saved method is retried 1, 3, 5 and 7
 * days after the renewal first failed; 30 days after it, the subscription is canceled (Paddle's default).
 */
export const RETRY_AFTER_DAYS = [1, 3, 5, 7] as const;
export const DUNNING_DAYS = 30;

/**
 * When to look at a past-due subscription next: the first of its retries (1, 3, 5 and 7 days after its past-due
 * spell began, `since`) or the end of dunning (30 days) that is later than `now`; the end itself once `now` is
 * past it. @NOTE by the spell, not by the failures counted on one transaction: a renewal that fails during dunning
 * (its own transaction, one failure) would otherwise schedule "day 1" again, an instant already past, and its
 * retries would run at instants before it existed.
 */
export function nextRetryAt(since: Instant, now: Instant): Instant {
  for (const days of [...RETRY_AFTER_DAYS, DUNNING_DAYS]) {
    const at = since.add({ hours: days * 24 });
    if (Temporal.Instant.compare(at, now) > 0) return at;
  }
  return since.add({ hours: DUNNING_DAYS * 24 });
}

export function subscriptionItems(row: SubscriptionRow): ResolvedItem[] {
  return storedItems(row).map((item) => ({
    price_id: item.price.id,
    price: item.price,
    product: item.product,
    quantity: item.quantity,
    proration: null,
  }));
}

/**
 * Lines waiting for the next renewal: prorated or full charges and credits of item changes made with a
 * `*_next_billing_period` mode, and one-time charges with `effective_from: next_billing_period`. Stored with
 * their price and product snapshots and proration (times in wire form, as the transaction shows them).
 */
export function nextPeriodLines(row: Pick<SubscriptionRow, 'next_period_lines'>): ResolvedItem[] {
  return subscriptionColumns.next_period_lines.decode(row.next_period_lines);
}

/** The row with `lines` added to what the next renewal bills. */
export function withNextPeriodLines(row: SubscriptionRow, lines: ResolvedItem[]): SubscriptionRow {
  if (lines.length === 0) return row;
  return {
    ...row,
    next_period_lines: subscriptionColumns.next_period_lines.encode([...nextPeriodLines(row), ...lines]),
  };
}

/** A negative total (credits outweigh charges) goes to the customer's credit balance, as Paddle's `credit_to_balance`. */
export async function creditToBalance(ctx: TxCtx, transaction: TransactionRow): Promise<void> {
  const toBalance = BigInt(transactionColumns.details.decode(transaction.details).totals.credit_to_balance);
  if (toBalance > 0n && transaction.customer_id) {
    await moveCredit(ctx, transaction.customer_id, transaction.currency_code, { kind: 'add', amount: toBalance });
  }
}

/** Stores a transition's state and records its events (payment outcomes: nothing more to bill). */
export async function storeTransition(
  ctx: TxCtx,
  row: SubscriptionRow,
  transition: Transition,
  extra: Partial<SubscriptionRow> = {},
): Promise<SubscriptionRow> {
  const next = { ...row, ...extra };
  const stored = withState(next, transition.state, ctx.clock.now());
  // A transition that announces nothing and changes nothing (a renewal paid while active) writes nothing (#10).
  if (transition.events.length === 0 && sameColumns(row, stored, 'updated_at')) return row;
  await writeSubscriptionRow(ctx, stored);
  const entity = serializeSubscriptionForEvent(stored);
  for (const event of transition.events) await recordEvent(ctx, event, entity);
  if (row.status === 'past_due' && (stored.status === 'canceled' || stored.status === 'paused')) {
    await cancelPastDueRenewals(ctx, row.id, (await portalOfContext(ctx)).portalId);
  }
  return stored;
}

/** A billed transaction of the subscription for `lines` over `period`, taxed for its address. */
export async function createTransactionFor(
  ctx: TxCtx,
  row: SubscriptionRow,
  lines: ResolvedItem[],
  period: TimePeriod,
  origin: SubscriptionBillInput['origin'],
): Promise<{ transaction: TransactionRow; portalId: string }> {
  const portal = await portalOfContext(ctx);
  const address = await getAddressRow(ctx, row.customer_id, row.address_id);
  const discount = await periodDiscount(ctx, row, period.starts_at);
  const transaction = await createSubscriptionTransaction(ctx, {
    subscriptionId: row.id,
    customerId: row.customer_id,
    addressId: row.address_id,
    businessId: row.business_id,
    currencyCode: row.currency_code,
    collectionMode: row.collection_mode as 'automatic' | 'manual',
    billingDetails: row.billing_details,
    countryCode: address.country_code,
    items: lines,
    billingPeriod: { starts_at: toStoredTime(period.starts_at), ends_at: toStoredTime(period.ends_at) },
    origin,
    portalId: portal.portalId,
    ...(discount ? { discount } : {}),
  });
  return { transaction, portalId: portal.portalId };
}

export async function billSubscriptionPeriod(
  ctx: TxCtx,
  current: SubscriptionRow,
  period: TimePeriod,
): Promise<SubscriptionRow> {
  // The renewal takes the lines waiting for it (next-period proration, one-time charges) and clears them.
  const waiting = nextPeriodLines(current);
  const row =
    waiting.length > 0 ? { ...current, next_period_lines: subscriptionColumns.next_period_lines.encode([]) } : current;
  if (waiting.length > 0) await writeSubscriptionRow(ctx, row);
  const { transaction, portalId } = await createTransactionFor(
    ctx,
    row,
    [...subscriptionItems(row), ...waiting],
    period,
    'subscription_recurring',
  );
  if (transaction.credit_used > 0n) {
    await moveCredit(ctx, row.customer_id, row.currency_code, {
      kind: 'reserve',
      amount: transaction.credit_used,
    });
  }
  await creditToBalance(ctx, transaction);
  // @NOTE manual collection issues the invoice and waits: no charge is attempted.
  if (row.collection_mode === 'manual') return storeTransition(ctx, row, renewalPaid(stateOf(row)));
  return collect(ctx, row, transaction, portalId);
}

/**
 * The subscription's saved payment method, or undefined when it has none (never saved, or deleted since): then
 * the charge fails as a decline would. Any other failure (the database's) propagates and rolls the caller's
 * transaction back, so the renewal or change stays due instead of turning into a past-due subscription.
 */
export async function savedMethod(ctx: TxCtx, row: SubscriptionRow): Promise<PaymentMethodRow | undefined> {
  if (!row.payment_method_id) return undefined;
  return findPaymentMethodRow(ctx, row.customer_id, row.payment_method_id);
}

/**
 * Takes the payment of a subscription's billed or past-due transaction with its saved method. Paid → the
 * subscription is active again; declined → past due, with the next retry scheduled. `billed`: the transaction's
 * id (it is read and locked), or the row itself when this database transaction just made it.
 */
export async function collect(
  ctx: TxCtx,
  row: SubscriptionRow,
  billed: string | TransactionRow,
  portalId: string,
): Promise<SubscriptionRow> {
  const portal = { portalId };
  const transaction = typeof billed === 'string' ? await lockTransactionForBilling(ctx, billed) : billed;
  const transactionId = transaction.id;
  let outcome: PaymentOutcome | undefined;
  if (transaction.grand_total === 0n) {
    outcome = await completeWithoutCharge(ctx, portal, transaction);
  } else {
    const method = await savedMethod(ctx, row);
    // A transaction this database transaction just made has no attempts yet; a past-due one's are read.
    const earlierAttempts = typeof billed === 'string' ? undefined : [];
    if (method) outcome = await chargeSavedMethod(ctx, portal, transaction, method, earlierAttempts);
  }
  if (outcome?.kind === 'paid')
    return storeTransition(ctx, row, renewalPaid(stateOf(row)), { past_due_since: null, retry_at: null });
  await markPastDue(ctx, portal, transactionId);
  const since = row.past_due_since ?? toStoredTime(ctx.clock.now());
  const retryAt = toStoredTime(nextRetryAt(instantFromStored(since), ctx.clock.now()));
  return storeTransition(ctx, row, renewalFailed(stateOf(row)), { past_due_since: since, retry_at: retryAt });
}
