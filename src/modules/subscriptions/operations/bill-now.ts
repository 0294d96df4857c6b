// Applying a planned change or one-time charge (applyPlan): the subscription is stored, and what the plan bills now
// becomes a billed transaction (origin `subscription_update` or `subscription_charge`) charged with the saved
// payment method, inside the caller's database transaction.
// `on_payment_failure: prevent_change` (Paddle's default) answers `subscription_payment_declined` and the whole
// request rolls back; `apply_change` keeps the change and leaves the transaction past due.
import type { Ctx, TxCtx } from '../../../context.js';
import type { SubscriptionRow, TransactionRow } from '../../../db/tables.js';
import type { TimePeriod } from '../../../billing/periods.js';
import { DomainError } from '../../../billing/errors.js';
import { assertChargeable } from '../../../billing/minimum-charge.js';
import { PaddleError } from '../../../kernel/errors.js';
import { toStoredTime } from '../../../kernel/time.js';
import { moveCredit } from '../../credit-balances/service.js';
import type { ResolvedItem } from '../../transactions/items.js';
import { chargeSavedMethod, completeWithoutCharge, markPastDue } from '../../transactions/operations/pay.js';
import { countSubscriptionTransactions } from '../../transactions/operations/subscription-billing.js';
import { recordEvent } from '../../../events/record.js';
import { createTransactionFor, creditToBalance, savedMethod } from '../billing.js';
import { updateSubscription } from '../repository.js';
import { serializeSubscriptionForEvent } from '../serialize.js';

export type OnPaymentFailure = 'prevent_change' | 'apply_change';

/** Paddle's limits on immediately-charged changes, per subscription (changelog 2024-12-09). */
export const IMMEDIATE_CHARGES_PER_HOUR = 20;
export const IMMEDIATE_CHARGES_PER_DAY = 100;

/** Transactions that count as immediate charges: updates billed now and one-time charges billed now. */
const IMMEDIATE_ORIGINS: Array<'subscription_update' | 'subscription_charge'> = [
  'subscription_update',
  'subscription_charge',
];

/** Refuses a 21st immediate charge within an hour or a 101st within 24 hours, counted from stored transactions. */
export async function assertImmediateChargeLimits(ctx: Ctx, subscriptionId: string): Promise<void> {
  const now = ctx.clock.now();
  const lastHour = await countSubscriptionTransactions(
    ctx,
    subscriptionId,
    IMMEDIATE_ORIGINS,
    toStoredTime(now.subtract({ hours: 1 })),
  );
  if (lastHour >= IMMEDIATE_CHARGES_PER_HOUR) {
    throw new PaddleError(
      'subscription_immediate_charge_hour_limit_exceeded',
      `You've exceeded the limit for the number of immediate charges that can be made to this subscription in an hour. Limit: ${IMMEDIATE_CHARGES_PER_HOUR} per hour`,
    );
  }
  const lastDay = await countSubscriptionTransactions(
    ctx,
    subscriptionId,
    IMMEDIATE_ORIGINS,
    toStoredTime(now.subtract({ hours: 24 })),
  );
  if (lastDay >= IMMEDIATE_CHARGES_PER_DAY) {
    throw new PaddleError(
      'subscription_immediate_charge_24_hour_limit_exceeded',
      `You've exceeded the limit for the number of immediate charges that can be made to this subscription in 24 hours. Limit: ${IMMEDIATE_CHARGES_PER_DAY} per 24 hours`,
    );
  }
}

export interface BillNowInput {
  origin: 'subscription_update' | 'subscription_charge';
  lines: ResolvedItem[];
  billingPeriod: TimePeriod;
  onPaymentFailure: OnPaymentFailure;
}

/**
 * Creates the immediate transaction for `row` (the subscription as changed) and collects it: a zero grand total
 * (credits, or credit balance covering it) completes without a payment and a negative total goes to the credit
 * balance; manual collection leaves the invoice billed; automatic collection charges the saved method.
 */
async function billNow(ctx: TxCtx, row: SubscriptionRow, input: BillNowInput): Promise<TransactionRow> {
  await assertImmediateChargeLimits(ctx, row.id);
  const { transaction, portalId } = await createTransactionFor(
    ctx,
    row,
    input.lines,
    input.billingPeriod,
    input.origin,
  );
  // @NOTE a charge Paddle cannot collect refuses the whole request (the caller's database transaction rolls back).
  assertChargeable(
    transaction.grand_total,
    transaction.currency_code,
    'subscription_update_transaction_balance_less_than_charge_limit',
  );
  const portal = { portalId };
  if (transaction.credit_used > 0n) {
    await moveCredit(ctx, row.customer_id, row.currency_code, {
      kind: 'reserve',
      amount: transaction.credit_used,
    });
  }
  if (transaction.grand_total === 0n) {
    await completeWithoutCharge(ctx, portal, transaction);
    await creditToBalance(ctx, transaction);
    return transaction;
  }
  // @NOTE manual collection issues the invoice; the customer pays it like any other.
  if (row.collection_mode === 'manual') return transaction;
  const method = await savedMethod(ctx, row);
  const outcome = method ? await chargeSavedMethod(ctx, portal, transaction, method) : undefined;
  if (outcome?.kind === 'paid') return transaction;
  if (input.onPaymentFailure === 'prevent_change') throw new DomainError('subscription_payment_declined');
  await markPastDue(ctx, portal, transaction.id);
  return transaction;
}

/** A planned change or one-time charge: the subscription after it, and the lines billed now over `immediatePeriod`. */
export interface ImmediatePlan {
  after: SubscriptionRow;
  billNow: ResolvedItem[];
  immediatePeriod: TimePeriod;
}

/**
 * Stores the subscription as planned (recording subscription.updated) and bills what the plan bills now, all in
 * the caller's database transaction, so a declined `prevent_change` payment undoes the change too.
 */
export async function applyPlan(
  ctx: TxCtx,
  plan: ImmediatePlan,
  origin: BillNowInput['origin'],
  onPaymentFailure: OnPaymentFailure,
): Promise<SubscriptionRow> {
  await updateSubscription(ctx.db, plan.after);
  await recordEvent(ctx, 'subscription.updated', serializeSubscriptionForEvent(plan.after));
  if (plan.billNow.length > 0) {
    await billNow(ctx, plan.after, {
      origin,
      lines: plan.billNow,
      billingPeriod: plan.immediatePeriod,
      onPaymentFailure,
    });
  }
  return plan.after;
}
