// Proration of item changes on a subscription (paddle-behaviour.md 4.6). The rate is remaining time / whole period
// on exact timestamps, shown with at most five decimals, and amounts are computed from that shown rate so anyone can
// recompute a line from what the transaction displays: Paddle's own preview example (period 2024-05-10T12:01:46Z →
// 2024-06-10T12:01:46Z, change 2024-05-13T10:36:57Z, rate "0.90513") reproduces to the minor unit this way.
import { applyRate, formatRate, multiply, roundHalfUp, type Money, type Ratio } from '../kernel/money.js';
import type { Instant } from '../kernel/time.js';
import { DomainError, invalidFieldError } from './errors.js';
import { addInterval, sameDuration, type Duration, type TimePeriod } from './periods.js';

export type { Money };

export type ProrationBillingMode =
  | 'prorated_immediately'
  | 'prorated_next_billing_period'
  | 'full_immediately'
  | 'full_next_billing_period'
  | 'do_not_bill';

/** Paddle's `transaction_item_proration`. */
export interface Proration {
  rate: string;
  billing_period: TimePeriod;
}

/** One recurring item as the change sees it: what is charged per unit and how often. */
export interface PlanItem {
  price_id: string;
  quantity: number;
  unit_price: Money;
  billing_cycle: Duration;
}

/** A line to bill: negative quantity and subtotal for credits (removed items, lower quantities). */
export interface ChangeLine {
  price_id: string;
  quantity: number;
  /** The item's full unit price. */
  unit_price: Money;
  /** Unit price × rate, rounded; what Paddle shows as `unit_totals.subtotal` (never negative). */
  unit_subtotal: Money;
  /** Unit price × quantity × rate, rounded half away from zero; negative for a credit. */
  subtotal: Money;
  proration: Proration | null;
}

export interface ItemChangeInput {
  current_items: PlanItem[];
  new_items: PlanItem[];
  /** The subscription's `billing_cycle` before the change. */
  billing_cycle: Duration;
  current_billing_period: TimePeriod;
  /** The instant billing periods are counted from before the change (see periods.ts). */
  billing_anchor: Instant;
  change_at: Instant;
  proration_billing_mode: ProrationBillingMode;
}

export interface ItemChangePlan {
  /** Lines for a transaction created now (origin `subscription_update`). */
  bill_now: ChangeLine[];
  /** Lines to add to the next renewal transaction (origin `subscription_recurring`). */
  bill_next_renewal: ChangeLine[];
  /** Whether any line is a credit (it ends up on the customer's credit balance when the total is negative). */
  credit: boolean;
  billing_cycle_changed: boolean;
  /** The subscription's billing state after the change. */
  billing_cycle: Duration;
  billing_anchor: Instant;
  current_billing_period: TimePeriod;
  next_billed_at: Instant;
}

/** Modes Paddle accepts when the new items bill on a different cycle (monthly ↔ annual). */
export const FREQUENCY_CHANGE_MODES: readonly ProrationBillingMode[] = [
  'prorated_immediately',
  'full_immediately',
  'do_not_bill',
];

/** Paddle shows proration rates with at most five decimals; amounts are computed from the rate as shown. */
const RATE_SCALE = 100_000n;

/** `span` nanoseconds as a share of `period`'s length, half-up to five decimals: the one proration arithmetic. */
function shareOfPeriod(span: bigint, period: TimePeriod): Ratio {
  const length = period.ends_at.epochNanoseconds - period.starts_at.epochNanoseconds;
  if (length <= 0n) throw new RangeError('a billing period must end after it starts');
  return { numerator: roundHalfUp(span * RATE_SCALE, length), denominator: RATE_SCALE };
}

function remainingShare(period: TimePeriod, changeAt: Instant): Ratio {
  const length = period.ends_at.epochNanoseconds - period.starts_at.epochNanoseconds;
  const remaining = period.ends_at.epochNanoseconds - changeAt.epochNanoseconds;
  return shareOfPeriod(remaining < 0n ? 0n : remaining > length ? length : remaining, period);
}

const WHOLE: Ratio = { numerator: 1n, denominator: 1n };

/**
 * Share of `period` left at `changeAt`, as Paddle's rate string: at most five decimals (half-up), no trailing
 * zeros, "1" for a change at or before the start, "0" at or after the end.
 */
export function prorationRate(period: TimePeriod, changeAt: Instant): string {
  return formatRate(remainingShare(period, changeAt));
}

/**
 * Share of `period` that the time from `from` to `to` covers, as a rate string (half-up, five decimals). A moved
 * billing date can cover more than one period, so this may exceed "1".
 */
export function periodShare(from: Instant, to: Instant, period: TimePeriod): string {
  return formatRate(shareOfPeriod(to.epochNanoseconds - from.epochNanoseconds, period));
}

/** The proration an unaffected item shows on a preview or renewal: the whole period at rate "1". */
export function fullPeriodProration(period: TimePeriod): Proration {
  return { rate: '1', billing_period: period };
}

function line(item: PlanItem, quantity: number, rate: Ratio, proration: Proration | null): ChangeLine {
  return {
    price_id: item.price_id,
    quantity,
    unit_price: item.unit_price,
    unit_subtotal: applyRate(item.unit_price, rate, roundHalfUp),
    subtotal: applyRate(multiply(item.unit_price, quantity), rate, roundHalfUp),
    proration,
  };
}

function validateItems(input: ItemChangeInput): Duration {
  const { new_items: items } = input;
  if (items.length === 0) throw new DomainError('subscription_all_items_removed');
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.price_id)) {
      throw new DomainError(
        'subscription_duplicate_price_ids',
        `Duplicate price_id ${item.price_id} in the items list.`,
      );
    }
    seen.add(item.price_id);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
      throw new DomainError(
        'subscription_quantity_not_valid',
        `Quantity ${item.quantity} of ${item.price_id} is not valid.`,
      );
    }
  }
  const currencies = new Set([...input.current_items, ...items].map((item) => item.unit_price.currency));
  if (currencies.size > 1) throw new RangeError(`items mix currencies: ${[...currencies].join(', ')}`);
  const cycle = items[0]!.billing_cycle;
  if (!items.every((item) => sameDuration(item.billing_cycle, cycle))) {
    throw new DomainError(
      'subscription_new_items_not_valid',
      'Recurring items on a subscription must share one billing cycle.',
    );
  }
  return cycle;
}

/** Credit and charge lines for a change within the same billing cycle, before choosing when to bill them. */
function sameCycleLines(input: ItemChangeInput, prorated: boolean): ChangeLine[] {
  const rate = prorated ? remainingShare(input.current_billing_period, input.change_at) : WHOLE;
  const proration = prorated
    ? {
        rate: formatRate(rate),
        billing_period: { starts_at: input.change_at, ends_at: input.current_billing_period.ends_at },
      }
    : null;
  const current = new Map(input.current_items.map((item) => [item.price_id, item]));
  const charges: ChangeLine[] = [];
  const credits: ChangeLine[] = [];
  for (const item of input.new_items) {
    const before = current.get(item.price_id);
    if (!before) {
      charges.push(line(item, item.quantity, rate, proration));
    } else if (before.unit_price.amount !== item.unit_price.amount) {
      credits.push(line(before, -before.quantity, rate, proration));
      charges.push(line(item, item.quantity, rate, proration));
    } else if (item.quantity !== before.quantity) {
      const delta = item.quantity - before.quantity;
      (delta > 0 ? charges : credits).push(line(item, delta, rate, proration));
    }
  }
  const kept = new Set(input.new_items.map((item) => item.price_id));
  for (const item of input.current_items) {
    if (!kept.has(item.price_id)) credits.push(line(item, -item.quantity, rate, proration));
  }
  // Without proration nothing is credited: the "full" modes only bill what was added (our reading of Paddle's docs).
  return prorated ? [...charges, ...credits] : charges;
}

/** Lines for a billing-cycle change: the old items stop now, the new ones start a fresh period now. */
function frequencyChangeLines(input: ItemChangeInput, newPeriod: TimePeriod): ChangeLine[] {
  const mode = input.proration_billing_mode;
  if (mode === 'do_not_bill') return [];
  const charges = input.new_items.map((item) =>
    line(item, item.quantity, WHOLE, mode === 'prorated_immediately' ? fullPeriodProration(newPeriod) : null),
  );
  if (mode !== 'prorated_immediately') return charges;
  const rate = remainingShare(input.current_billing_period, input.change_at);
  const proration = {
    rate: formatRate(rate),
    billing_period: { starts_at: input.change_at, ends_at: input.current_billing_period.ends_at },
  };
  return [...charges, ...input.current_items.map((item) => line(item, -item.quantity, rate, proration))];
}

/** Refuses a billing-cycle change in a mode Paddle does not accept for one. */
export function assertFrequencyChangeMode(mode: ProrationBillingMode): void {
  if (!FREQUENCY_CHANGE_MODES.includes(mode)) {
    throw invalidFieldError(
      'proration_billing_mode',
      `changing the billing frequency needs one of ${FREQUENCY_CHANGE_MODES.join(', ')}; got ${mode}`,
    );
  }
}

/**
 * What an item change bills and when, and the billing dates afterwards. Pure: tax, discounts and credit balances
 * are applied by whoever turns the lines into a transaction.
 */
export function planItemChange(input: ItemChangeInput): ItemChangePlan {
  const newCycle = validateItems(input);
  const mode = input.proration_billing_mode;
  const cycleChanged = !sameDuration(newCycle, input.billing_cycle);
  let lines: ChangeLine[];
  let anchor = input.billing_anchor;
  let period = input.current_billing_period;
  if (cycleChanged) {
    assertFrequencyChangeMode(mode);
    if (mode === 'do_not_bill') {
      // The paid-for period runs out as it is; the new cycle counts from its end.
      anchor = period.ends_at;
    } else {
      anchor = input.change_at;
      period = { starts_at: input.change_at, ends_at: addInterval(input.change_at, newCycle, 1) };
    }
    lines = frequencyChangeLines(input, period);
  } else {
    lines = mode === 'do_not_bill' ? [] : sameCycleLines(input, mode.startsWith('prorated_'));
  }
  const now = mode === 'prorated_immediately' || mode === 'full_immediately';
  return {
    bill_now: now ? lines : [],
    bill_next_renewal: now ? [] : lines,
    credit: lines.some((entry) => entry.subtotal.amount < 0n),
    billing_cycle_changed: cycleChanged,
    billing_cycle: newCycle,
    billing_anchor: anchor,
    current_billing_period: period,
    next_billed_at: period.ends_at,
  };
}

export interface UpdateSummary {
  /** Sum of the negative line totals (zero or negative, as Paddle's previews show it, e.g. "-4927"). */
  credit: Money;
  /** Sum of the positive line totals. */
  charge: Money;
  /** `credit` when the credits outweigh the charges, otherwise `charge` (also for a zero result). */
  result: { action: 'credit' | 'charge'; amount: Money };
}

/** Paddle's preview `update_summary` from the totals (tax included) of the lines the change bills. */
export function updateSummary(lineTotals: Money[], currency: string): UpdateSummary {
  let credit = 0n;
  let charge = 0n;
  for (const total of lineTotals) {
    if (total.currency !== currency) throw new RangeError(`line total in ${total.currency}, summary in ${currency}`);
    if (total.amount < 0n) credit += total.amount;
    else charge += total.amount;
  }
  const net = charge + credit;
  return {
    credit: { amount: credit, currency },
    charge: { amount: charge, currency },
    result: { action: net < 0n ? 'credit' : 'charge', amount: { amount: net < 0n ? -net : net, currency } },
  };
}

/** The summary in Paddle's wire shape (`money` objects with string amounts). */
export function toWireUpdateSummary(summary: UpdateSummary) {
  const money = (value: Money) => ({ amount: value.amount.toString(), currency_code: value.currency });
  return {
    credit: money(summary.credit),
    charge: money(summary.charge),
    result: { action: summary.result.action, ...money(summary.result.amount) },
  };
}
