// What a subscription will bill, as previews show it (nothing stored, no `txnitm_` ids): the next transaction
// (`include=next_transaction`: the renewal plus the lines waiting for it) and the plain recurring transaction
// (`include=recurring_transaction_details`). Previews of updates and one-time charges price their lines here too.
import type { Ctx } from '../../context.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { firstPeriod, type TimePeriod } from '../../billing/periods.js';
import { applyScheduledChange, renew, type SubscriptionState } from '../../billing/subscription-lifecycle.js';
import type { TaxCategory } from '../../billing/tax-rates.js';
import { computeTotals, type TotalsDetails, type TotalsDiscount, type TotalsLine } from '../../billing/totals.js';
import { invalidField } from '../../kernel/errors.js';
import { serializedOnce, withFields, type JsonText } from '../../kernel/json-text.js';
import { money, moneyFromWire, type Money } from '../../kernel/money.js';
import { toStoredTime, toWireTime, type Instant } from '../../kernel/time.js';
import { getAddressRow } from '../addresses/service.js';
import { availableCredit } from '../credit-balances/service.js';
import type { PriceEntity } from '../prices/serialize.js';
import { unitPriceFor, type Proration, type ResolvedItem } from '../transactions/items.js';
import { nextPeriodLines, subscriptionItems } from './billing.js';
import { periodDiscount } from './discount.js';
import { serializeSubscriptionForEvent, subscriptionManagementUrls } from './serialize.js';
import { getSubscriptionRow, linkContext, type Viewer } from './service.js';
import { stateOf } from './state.js';

export type PreviewDetails = TotalsDetails<ResolvedItem['product']>;

/** Paddle's `subscription_next_transaction`. */
export interface NextTransactionPreview {
  billing_period: { starts_at: string; ends_at: string };
  details: PreviewDetails;
  adjustments: never[];
}

export const wireTime = (instant: Instant): string => toWireTime(toStoredTime(instant));

export function wirePeriod(period: TimePeriod): { starts_at: string; ends_at: string } {
  return { starts_at: wireTime(period.starts_at), ends_at: wireTime(period.ends_at) };
}

/** A line's proration as transactions show it: the rate and the slice of time it pays for. */
export function wireProration(rate: string, period: TimePeriod): Proration {
  return { rate, billing_period: wirePeriod(period) };
}

/**
 * The unit price of `price` in the subscription's currency for a buyer in `country`: the country's override when it
 * is in that currency, else the base price when it is; undefined when the price has no amount in that currency.
 */
export function unitPriceIn(
  price: Pick<PriceEntity, 'unit_price' | 'unit_price_overrides'>,
  currency: string,
  country: string | null,
): Money | undefined {
  const local = unitPriceFor(price, country);
  if (local.currency_code === currency) return moneyFromWire(local);
  if (price.unit_price.currency_code === currency) return moneyFromWire(price.unit_price);
  return undefined;
}

/** The country the subscription's address is in (tax and price overrides follow it). */
export async function countryOf(
  ctx: Ctx,
  row: Pick<SubscriptionRow, 'customer_id' | 'address_id'>,
): Promise<string | null> {
  return (await getAddressRow(ctx, row.customer_id, row.address_id)).country_code;
}

/**
 * `details` of a transaction the subscription would make with `lines`: tax for the address's country and the
 * customer's available credit (plus `creditAdjust`, e.g. what an immediate credit would add first; `null` applies
 * no credit at all).
 */
export async function previewDetails(
  ctx: Ctx,
  row: SubscriptionRow,
  lines: ResolvedItem[],
  creditAdjust: bigint | null = 0n,
  discount: TotalsDiscount | null = null,
): Promise<PreviewDetails> {
  const currency = row.currency_code;
  const country = await countryOf(ctx, row);
  const totalsLines: TotalsLine<ResolvedItem['product']>[] = lines.map((line, index) => {
    const unit = unitPriceIn(line.price, currency, country);
    if (!unit)
      throw invalidField([
        { field: `items[${index}].price_id`, message: `price ${line.price_id} has no unit price in ${currency}` },
      ]);
    return {
      price_id: line.price_id,
      quantity: line.quantity,
      unit_price: unit,
      tax_mode: line.price.tax_mode as TotalsLine['tax_mode'],
      proration: line.proration,
      product: line.product,
      product_id: line.product.id,
      tax_category: line.product.tax_category as TaxCategory,
    };
  });
  let credit = 0n;
  if (creditAdjust !== null) {
    credit = (await availableCredit(ctx, row.customer_id, currency)) + creditAdjust;
    if (credit < 0n) credit = 0n;
  }
  return computeTotals({
    currency_code: currency,
    country_code: country,
    lines: totalsLines,
    discount,
    available_credit: money(credit, currency),
  });
}

/**
 * The period the next transaction pays for: the renewal at `next_billed_at` (a trial's first paid period), or a
 * scheduled resume's new period. Null when nothing will be billed: canceled, paused without a resume date, or a
 * cancel or pause is scheduled (Paddle: `next_transaction` is null then).
 */
export function nextBillingPeriod(state: SubscriptionState): TimePeriod | null {
  if (state.status === 'canceled') return null;
  const change = state.scheduled_change;
  if (change && change.action !== 'resume') return null;
  let upcoming = state;
  if (state.status === 'paused') {
    if (!change) return null;
    const resumed = applyScheduledChange(state, change.effective_at);
    if (resumed.bill) return resumed.bill;
    upcoming = resumed.state;
  }
  if (!upcoming.next_billed_at) return null;
  return renew(upcoming, upcoming.next_billed_at).bill;
}

function recurringLines(row: SubscriptionRow, period: TimePeriod | null): ResolvedItem[] {
  return subscriptionItems(row).map((item) => ({ ...item, proration: period ? wireProration('1', period) : null }));
}

/** `next_transaction`: the recurring items for the next period plus the lines waiting for the renewal. */
export async function nextTransaction(
  ctx: Ctx,
  row: SubscriptionRow,
  creditAdjust = 0n,
): Promise<NextTransactionPreview | null> {
  const period = nextBillingPeriod(stateOf(row));
  if (!period) return null;
  const lines = [...recurringLines(row, period), ...nextPeriodLines(row)];
  // The renewal applies the subscription's discount when its window covers the period (subscriptions/discount.ts).
  const discount = await periodDiscount(ctx, row, period.starts_at);
  return {
    billing_period: wirePeriod(period),
    details: await previewDetails(ctx, row, lines, creditAdjust, discount?.totals ?? null),
    adjustments: [],
  };
}

/**
 * `recurring_transaction_details`: what the items cost each period, without proration, one-time charges or the
 * customer's credit balance, each line over the current billing period (Paddle's example shows rate "1" there).
 * The subscription's discount applies as the renewal will get it: when its window covers the next billing period
 * (or, with no renewal ahead, the period shown), so a discount's last discounted renewal is the last discounted
 * recurring transaction too.
 */
export async function recurringTransactionDetails(
  ctx: Ctx,
  row: SubscriptionRow,
  now: Instant,
): Promise<PreviewDetails> {
  const state = stateOf(row);
  const renewal = nextBillingPeriod(state);
  const period = state.current_billing_period ?? renewal ?? firstPeriod(now, state.billing_cycle);
  const discount = await periodDiscount(ctx, row, (renewal ?? period).starts_at);
  return previewDetails(ctx, row, recurringLines(row, period), null, discount?.totals ?? null);
}

/** `GET /subscriptions/{id}` with `include`: the entity plus the asked-for transaction previews. */
export async function getSubscriptionWithIncludes(
  ctx: Ctx,
  viewer: Viewer,
  id: string,
  include: Set<string>,
): Promise<JsonText> {
  const row = await getSubscriptionRow(ctx, id);
  // @NOTE the event form depends on the row alone, so a kept row's is serialized once (kernel/json-text.ts); the
  // links (a fresh token) and the includes (computed at the tenant's now) are added on every request.
  return withFields(serializedOnce(row, serializeSubscriptionForEvent), {
    management_urls: await subscriptionManagementUrls(row, await linkContext(ctx, viewer)),
    ...(include.has('next_transaction') ? { next_transaction: await nextTransaction(ctx, row) } : {}),
    ...(include.has('recurring_transaction_details')
      ? { recurring_transaction_details: await recurringTransactionDetails(ctx, row, ctx.clock.now()) }
      : {}),
  });
}
