// Paddle's rules for discounts that need no database: which terms are valid, whether a discount may still be
// redeemed, and for how many subscription billing periods it applies. Pure: the caller passes the clock's instant.
// Paddle's pages: api-reference/discounts/overview, the discount entity, errors/discounts/*.
import type { FieldError } from '../kernel/errors.js';
import { percent } from '../kernel/money.js';
import { Temporal, type Instant } from '../kernel/time.js';
import type { TimePeriod } from './periods.js';

/** The fields of a discount that must agree with each other (as they would be after a create or an update). */
export interface DiscountTerms {
  type: string;
  amount: string;
  currency_code: string | null;
  recur: boolean;
  maximum_recurring_intervals: number | null;
}

const PERCENTAGE = /^(0|[1-9]\d{0,2})(\.\d{1,2})?$/;
const MINOR_UNITS = /^[1-9]\d{0,17}$/;

/**
 * Field errors for terms that do not fit together, empty when they do: a percentage is 0.01 to 100 (at most two
 * decimals); a flat amount is a positive whole number of minor units and needs `currency_code`;
 * `maximum_recurring_intervals` needs `recur`.
 */
export function discountTermsErrors(terms: DiscountTerms): FieldError[] {
  const errors: FieldError[] = [];
  if (terms.type === 'percentage') {
    const share = PERCENTAGE.test(terms.amount) ? percent(terms.amount) : undefined;
    if (!share || share.numerator === 0n || share.numerator > share.denominator)
      errors.push({ field: 'amount', message: 'must be a percentage between 0.01 and 100' });
  } else {
    if (!MINOR_UNITS.test(terms.amount))
      errors.push({ field: 'amount', message: 'must be a positive amount in the lowest denomination of the currency' });
    if (terms.currency_code === null)
      errors.push({ field: 'currency_code', message: `is required for ${terms.type} discounts` });
  }
  if (terms.maximum_recurring_intervals !== null && !terms.recur)
    errors.push({ field: 'maximum_recurring_intervals', message: 'requires recur to be true' });
  return errors;
}

/** What redemption needs to know of a discount. */
export interface RedemptionState {
  status: string;
  /** Null: never expires. */
  expires_at: Instant | null;
  /** Null: no limit. */
  usage_limit: number | null;
  times_used: number;
}

/** Why a discount cannot be redeemed now: Paddle's reasons, in the order it checks them. */
export type RedemptionRefusal = 'archived' | 'expired' | 'used_up';

/**
 * Whether the discount may be redeemed at `now` (on a transaction, a preview or a checkout). An archived discount
 * cannot; one whose `expires_at` has passed is expired (`discount_expired`); one redeemed `usage_limit` times is used
 * up (`discount_usage_limit_exceeded`). Paddle: expired and used-up discounts "can be applied when updating
 * subscriptions", so subscription updates check only `archived`.
 */
export function redemptionRefusal(state: RedemptionState, now: Instant): RedemptionRefusal | undefined {
  if (state.status !== 'active') return 'archived';
  if (state.expires_at !== null && Temporal.Instant.compare(now, state.expires_at) >= 0) return 'expired';
  if (state.usage_limit !== null && state.times_used >= state.usage_limit) return 'used_up';
  return undefined;
}

/** What recurrence needs to know of a discount. */
export interface Recurrence {
  recur: boolean;
  /** Null with `recur`: every period, forever. */
  maximum_recurring_intervals: number | null;
}

/**
 * How many billing periods a discount applies to, counting the one it is first applied to: 1 without `recur`,
 * `maximum_recurring_intervals` with it, or null (no end) for a discount that recurs forever. Paddle: "Number of
 * subscription billing periods that this discount recurs for … `null` if this discount recurs forever."
 */
export function discountedPeriods(discount: Recurrence): number | null {
  if (!discount.recur) return 1;
  return discount.maximum_recurring_intervals;
}

/** Where a subscription's discount applies: from `starts_at` to `ends_at` (null: no end). */
export interface DiscountWindow {
  starts_at: Instant;
  ends_at: Instant | null;
}

/**
 * The window of a discount first applied to the billing period `first`: it covers `discountedPeriods` periods
 * (`next` gives the period after one), so `ends_at` is the end of the last discounted period, as Paddle's
 * subscription `discount.ends_at` is ("the date of the last billing period where this discount applies"), or null
 * for a discount that recurs forever.
 */
export function discountWindow(
  discount: Recurrence,
  first: TimePeriod,
  next: (period: TimePeriod) => TimePeriod,
): DiscountWindow {
  const periods = discountedPeriods(discount);
  if (periods === null) return { starts_at: first.starts_at, ends_at: null };
  let last = first;
  for (let index = 1; index < periods; index += 1) last = next(last);
  return { starts_at: first.starts_at, ends_at: last.ends_at };
}

/** Whether a charge for a period starting at `periodStart` is discounted: inside the window, end excluded. */
export function windowCovers(window: DiscountWindow, periodStart: Instant): boolean {
  if (Temporal.Instant.compare(periodStart, window.starts_at) < 0) return false;
  return window.ends_at === null || Temporal.Instant.compare(periodStart, window.ends_at) < 0;
}
