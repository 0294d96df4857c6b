// Applying a discount where Paddle applies one: transactions, their previews and pricing previews, hosted
// checkout codes, subscription updates and renewals. Each use checks what Paddle checks for it and answers with
// its codes (docs/errors.md, "Discounts"); the arithmetic itself is billing/totals.ts's. `times_used` counts
// completed redemptions: a paid transaction that is not a subscription's own (renewals, mid-cycle changes and
// one-time charges are not redemptions, Paddle says).
import { redemptionRefusal, type Recurrence } from '../../billing/discounts.js';
import { discountApplies, type TotalsDiscount } from '../../billing/totals.js';
import type { Ctx, TxCtx } from '../../context.js';
import type { DiscountRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, notFound, PaddleError } from '../../kernel/errors.js';
import { instantFromStored, toStoredTime } from '../../kernel/time.js';
import type { TransactionReaction } from '../module.js';
import { findDiscount, incrementTimesUsed } from './repository.js';
import { restrictToColumn, serializeDiscount, type DiscountEntity } from './serialize.js';
import { findDiscountRowByCode } from './service.js';

/** The lines a discount may cover: a price id and its product's id (either may be null for non-catalog items). */
export interface DiscountableLine {
  price_id: string | null;
  product_id?: string | null;
}

/** What a discount on a transaction, preview or subscription needs to be applied. */
export interface AppliedDiscount {
  id: string;
  /** The terms billing/totals.ts uses. */
  totals: TotalsDiscount;
  recurrence: Recurrence;
  entity: DiscountEntity;
}

function applied(row: DiscountRow): AppliedDiscount {
  return {
    id: row.id,
    totals: {
      type: row.type as TotalsDiscount['type'],
      amount: row.amount,
      currency_code: row.currency_code,
      restrict_to: restrictToColumn.decode(row.restrict_to),
    },
    recurrence: {
      recur: Number(row.recur) === 1,
      maximum_recurring_intervals:
        row.maximum_recurring_intervals === null ? null : Number(row.maximum_recurring_intervals),
    },
    entity: serializeDiscount(row),
  };
}

function isFlat(row: DiscountRow): boolean {
  return row.type !== 'percentage';
}

function coversAny(row: DiscountRow, lines: readonly DiscountableLine[]): boolean {
  const terms = applied(row).totals;
  return lines.some((line) => discountApplies(terms, line));
}

/** Archived, expired and used-up discounts cannot be redeemed on transactions, previews or checkouts. */
function assertRedeemable(ctx: Ctx, row: DiscountRow): void {
  const refusal = redemptionRefusal(
    {
      status: row.status,
      expires_at: row.expires_at === null ? null : instantFromStored(row.expires_at),
      usage_limit: row.usage_limit === null ? null : Number(row.usage_limit),
      times_used: Number(row.times_used),
    },
    ctx.clock.now(),
  );
  if (refusal === 'archived') throw entityArchived('Discount', row.id);
  if (refusal === 'expired') throw new PaddleError('discount_expired');
  if (refusal === 'used_up') throw new PaddleError('discount_usage_limit_exceeded');
}

export interface TransactionDiscountUse {
  currency: string;
  lines: readonly DiscountableLine[];
  /**
   * True when the discount is being applied now (given on this request, or a code typed at checkout): then an
   * archived, expired or used-up discount is refused. A discount already on a transaction whose items change is
   * checked only against the new items and currency.
   */
  newlyApplied: boolean;
}

function checkForTransaction(ctx: Ctx, row: DiscountRow, use: TransactionDiscountUse): AppliedDiscount {
  if (use.newlyApplied) assertRedeemable(ctx, row);
  if (isFlat(row) && row.currency_code !== use.currency) {
    throw new PaddleError(
      'transaction_invalid_discount_currency',
      `Flat discounts must be in the same currency as the transaction. Discount currency: ${row.currency_code}, Transaction currency: ${use.currency}`,
    );
  }
  if (!coversAny(row, use.lines)) throw new PaddleError('transaction_discount_not_eligible');
  return applied(row);
}

/**
 * The discount `id` for a transaction or a preview, or Paddle's refusal: `transaction_discount_not_found`,
 * `entity_archived`, `discount_expired`, `discount_usage_limit_exceeded` (when newly applied),
 * `transaction_invalid_discount_currency`, `transaction_discount_not_eligible`.
 */
export async function discountForTransaction(
  ctx: Ctx,
  id: string,
  use: TransactionDiscountUse,
): Promise<AppliedDiscount> {
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  if (!row) throw new PaddleError('transaction_discount_not_found');
  return checkForTransaction(ctx, row, use);
}

/**
 * The discount a buyer's code names at hosted checkout, with the same checks as a newly applied `discount_id`. A
 * code that names no discount, or one not enabled for checkout, is `transaction_discount_not_found`.
 */
export async function discountForCheckoutCode(
  ctx: Ctx,
  code: string,
  use: Omit<TransactionDiscountUse, 'newlyApplied'>,
): Promise<AppliedDiscount> {
  const row = await findDiscountRowByCode(ctx, code);
  if (!row || Number(row.enabled_for_checkout) !== 1) throw new PaddleError('transaction_discount_not_found');
  return checkForTransaction(ctx, row, { ...use, newlyApplied: true });
}

/**
 * The discount `id` for a subscription update, or Paddle's refusal: `not_found`,
 * `subscription_archived_discount_application_attempt`, `subscription_one_off_discount_not_valid` (it must recur),
 * `subscription_invalid_discount_currency`, `subscription_discount_not_valid_for_items`. Expired and used-up
 * discounts are accepted: Paddle lets them "be applied when updating subscriptions".
 */
export async function discountForSubscription(
  ctx: Ctx,
  id: string,
  use: { currency: string; lines: readonly DiscountableLine[] },
): Promise<AppliedDiscount> {
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  if (row.status !== 'active') throw new PaddleError('subscription_archived_discount_application_attempt');
  if (Number(row.recur) !== 1) throw new PaddleError('subscription_one_off_discount_not_valid');
  if (isFlat(row) && row.currency_code !== use.currency) {
    throw new PaddleError(
      'subscription_invalid_discount_currency',
      `Flat discounts must be in the same currency as the subscription. Discount currency: ${row.currency_code}, Subscription currency: ${use.currency}`,
    );
  }
  if (!coversAny(row, use.lines)) throw new PaddleError('subscription_discount_not_valid_for_items');
  return applied(row);
}

/**
 * The discount's terms whatever its status since (a discount already on a subscription keeps applying), or
 * undefined when the tenant has no discount with this id.
 */
export async function discountById(ctx: Ctx, id: string): Promise<AppliedDiscount | undefined> {
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  return row ? applied(row) : undefined;
}

/** The discount entity for `include=discount`, or undefined when there is none with this id. */
export async function discountEntity(ctx: Ctx, id: string): Promise<DiscountEntity | undefined> {
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  return row ? serializeDiscount(row) : undefined;
}

/**
 * One more completed redemption of the discount, with its `discount.updated` event. With `withinLimit`, a discount
 * already redeemed `usage_limit` times is refused instead (`400 discount_usage_limit_exceeded`), which rolls back
 * the caller's database transaction: the payment that would have redeemed it.
 */
export async function redeemDiscount(ctx: TxCtx, id: string, withinLimit = false): Promise<void> {
  const counted = await incrementTimesUsed(ctx.db, ctx.tenant, id, toStoredTime(ctx.clock.now()), withinLimit);
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  if (!row) return;
  if (!counted) throw new PaddleError('discount_usage_limit_exceeded');
  await recordEvent(ctx, 'discount.updated', serializeDiscount(row));
}

/** Origins of transactions a subscription makes for itself: Paddle does not count them as redemptions. */
const SUBSCRIPTION_ORIGINS = new Set([
  'subscription_recurring',
  'subscription_update',
  'subscription_charge',
  'subscription_payment_method_change',
]);

/**
 * The `transactionPaid` reaction: a completed transaction with a discount is one redemption, unless a subscription
 * made it for itself. Runs once per transaction, in its payment's database transaction (a payment is captured
 * once: the row is locked and must be payable).
 *
 * `usage_limit` is enforced here too, not only when the discount is applied: a transaction that took the discount
 * while uses were left may be paid after others used them up. Paddle's `usage_limit` is the "maximum number of
 * times this discount can be redeemed" and a redemption is the completed transaction, so its payment is refused
 * with `discount_usage_limit_exceeded` (the whole payment rolls back: nothing is charged or written) and
 * `times_used` never passes the limit. An issued invoice (`billed_at` set before payment: billed manual or API
 * transactions, whose amounts can no longer change) is counted without the check: it is paid as issued.
 */
export const countRedemption: TransactionReaction = async (ctx, row) => {
  if (row.discount_id && !SUBSCRIPTION_ORIGINS.has(row.origin))
    await redeemDiscount(ctx, row.discount_id, row.billed_at === null);
  return row;
};
