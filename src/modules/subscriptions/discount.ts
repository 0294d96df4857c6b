// A subscription's discount (Paddle's `discount`: id, starts_at, ends_at): set by the checkout transaction that
// created the subscription when its discount recurs, or by `PATCH /subscriptions/{id}` with
// `discount: { id, effective_from }` (`null` removes it). Renewals and other charges for a period starting inside
// the window [starts_at, ends_at) are discounted (billing/discounts.ts). The discount itself is checked by the
// discounts module (discounts/redemption.ts).
import { discountWindow, windowCovers, type DiscountWindow } from '../../billing/discounts.js';
import { periodAfter, type TimePeriod } from '../../billing/periods.js';
import type { TotalsDiscount } from '../../billing/totals.js';
import type { Ctx, TxCtx } from '../../context.js';
import type { SubscriptionRow, TransactionRow } from '../../db/tables.js';
import { PaddleError } from '../../kernel/errors.js';
import { Temporal, toStoredTime, toWireTime, type Instant } from '../../kernel/time.js';
import {
  discountById,
  discountForSubscription,
  redeemDiscount,
  type AppliedDiscount,
} from '../discounts/redemption.js';
import { subscriptionColumns } from './columns.js';
import type { SubscriptionUpdateInput } from './operations/other-changes.js';
import { stateOf, storedItems } from './state.js';

/** The stored form of Paddle's `subscription.discount`: RFC 3339 times as the wire shows them. */
interface StoredDiscount {
  id: string;
  starts_at: string | null;
  ends_at: string | null;
}

const wireTime = (instant: Instant): string => toWireTime(toStoredTime(instant));

function storedDiscount(row: Pick<SubscriptionRow, 'discount'>): StoredDiscount | null {
  const stored = subscriptionColumns.discount.decode(row.discount);
  if (!stored || typeof stored.id !== 'string') return null;
  return {
    id: stored.id,
    starts_at: typeof stored.starts_at === 'string' ? stored.starts_at : null,
    ends_at: typeof stored.ends_at === 'string' ? stored.ends_at : null,
  };
}

function encoded(id: string, window: DiscountWindow): string | null {
  return subscriptionColumns.discount.encode({
    id,
    starts_at: wireTime(window.starts_at),
    ends_at: window.ends_at === null ? null : wireTime(window.ends_at),
  });
}

/** The window of `discount` first applied to `first`, on the subscription's anchor and billing cycle. */
function windowFrom(state: ReturnType<typeof stateOf>, discount: AppliedDiscount, first: TimePeriod): DiscountWindow {
  return discountWindow(discount.recurrence, first, (period) =>
    periodAfter(state.billing_anchor, state.billing_cycle, period),
  );
}

/**
 * The row with the update's `discount` applied: `undefined` leaves it, `null` removes it, `{ id, effective_from }`
 * checks the discount (discounts/redemption.ts: `not_found`, `subscription_archived_discount_application_attempt`,
 * `subscription_one_off_discount_not_valid`, `subscription_invalid_discount_currency`,
 * `subscription_discount_not_valid_for_items`) and starts its window at the current billing period (`immediately`)
 * or the next one. A trialing subscription takes a discount only from the next period
 * (`subscription_trialing_discount_update_invalid_options`). A discount newly applied is one redemption.
 */
export async function withDiscountChange(
  ctx: TxCtx,
  row: SubscriptionRow,
  change: SubscriptionUpdateInput['discount'],
): Promise<SubscriptionRow> {
  if (change === undefined) return row;
  if (change === null) return { ...row, discount: null };
  const state = stateOf(row);
  if (state.status === 'trialing' && change.effective_from === 'immediately')
    throw new PaddleError('subscription_trialing_discount_update_invalid_options');
  const discount = await discountForSubscription(ctx, change.id, {
    currency: row.currency_code,
    lines: storedItems(row).map((item) => ({ price_id: item.price.id, product_id: item.product.id })),
  });
  const current = state.current_billing_period;
  const first =
    current === null
      ? null
      : change.effective_from === 'immediately'
        ? current
        : periodAfter(state.billing_anchor, state.billing_cycle, current);
  if (storedDiscount(row)?.id !== discount.id) await redeemDiscount(ctx, discount.id);
  if (first === null)
    return {
      ...row,
      discount: subscriptionColumns.discount.encode({ id: discount.id, starts_at: null, ends_at: null }),
    };
  return { ...row, discount: encoded(discount.id, windowFrom(state, discount, first)) };
}

/**
 * The `discount` of a subscription created by `transaction` with its first period `first`: the transaction's
 * discount when it recurs (a one-time discount was used up by the transaction itself), else null.
 */
export async function checkoutDiscount(
  ctx: Ctx,
  transaction: Pick<TransactionRow, 'discount_id'>,
  row: SubscriptionRow,
): Promise<string | null> {
  if (!transaction.discount_id) return null;
  const discount = await discountById(ctx, transaction.discount_id);
  const state = stateOf(row);
  if (!discount || !discount.recurrence.recur || !state.current_billing_period) return null;
  return encoded(discount.id, windowFrom(state, discount, state.current_billing_period));
}

/**
 * The discount for a charge of the subscription over a period starting at `periodStart` (a renewal, a change, a
 * one-time charge), or undefined when it has none covering that instant. A flat discount in another currency than
 * the subscription's (its currency changed since) no longer applies.
 */
export async function periodDiscount(
  ctx: Ctx,
  row: SubscriptionRow,
  periodStart: Instant,
): Promise<{ id: string; totals: TotalsDiscount } | undefined> {
  const stored = storedDiscount(row);
  if (!stored?.starts_at) return undefined;
  const window = {
    starts_at: Temporal.Instant.from(stored.starts_at),
    ends_at: stored.ends_at === null ? null : Temporal.Instant.from(stored.ends_at),
  };
  if (!windowCovers(window, periodStart)) return undefined;
  const discount = await discountById(ctx, stored.id);
  if (!discount) return undefined;
  if (discount.totals.type !== 'percentage' && discount.totals.currency_code !== row.currency_code) return undefined;
  return { id: discount.id, totals: discount.totals };
}
