// The bridge between stored items and billing/totals: which unit price applies (country overrides), in which
// currency, how much of the customer's credit balance is available, and the `details` object Paddle returns.
import type { Ctx } from '../../context.js';
import {
  computeTotals,
  unadjustedTotals,
  type TotalsDetails,
  type TotalsDiscount,
  type TotalsLine,
} from '../../billing/totals.js';
import type { TaxCategory } from '../../billing/tax-rates.js';
import { invalidField } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { money, moneyFromWire, zero, type Money } from '../../kernel/money.js';
import { availableCredit } from '../credit-balances/service.js';
import { hasTrial, unitPriceFor, type PreviewItem, type ProductPreview, type ResolvedItem } from './items.js';
import type { StoredTransactionDetails } from './columns.js';

export interface PricingInput {
  items: ResolvedItem[];
  /**
   * Checkout transactions (origin api/web): a recurring item whose price has a trial is charged the trial's price
   * now (nothing for a free trial), and the trial's end bills the full price (see `chargedUnitPrice`).
   */
  trialPricing?: boolean;
  currencyCode: string;
  countryCode: string | null;
  customerId: string | null;
  /** The discount's terms (the discounts module has checked it may be applied), or null for none. */
  discount?: TotalsDiscount | null;
}

export interface Priced {
  currency_code: string;
  details: StoredTransactionDetails;
  grand_total: bigint;
  credit_used: bigint;
}

/** A unit price with its country overrides: a price's own, or its paid trial's. */
type Localized = Parameters<typeof unitPriceFor>[0];

/**
 * The unit price of an item in the transaction's currency: the country's override when it is in that currency,
 * else the base price when it is. @NOTE Paddle converts other currencies with its exchange rates; Paddock
 * refuses a price with no amount in the transaction's currency rather than guess a rate.
 */
function unitPriceIn(
  item: Pick<ResolvedItem, 'price_id' | 'price' | 'inline'> | PreviewItem,
  localized: Localized,
  currency: string,
  country: string | null,
  index: number,
): Money {
  const local = unitPriceFor(localized, country);
  if (local.currency_code === currency) return moneyFromWire(local);
  if (localized.unit_price.currency_code === currency) return moneyFromWire(localized.unit_price);
  const inline = item.price_id === null || ('inline' in item && item.inline === true);
  const field = inline ? `items[${index}].price` : `items[${index}].price_id`;
  const what = localized === item.price ? 'unit price' : 'trial unit price';
  throw invalidField([
    { field, message: `${item.price_id ? `price ${item.price_id}` : 'this price'} has no ${what} in ${currency}` },
  ]);
}

/**
 * What one unit of an item costs on this transaction. With `trialPricing` (checkouts, and previews that do not
 * ignore trials), a recurring item whose price has a trial is charged the trial's price now and its full price
 * from the trial's end: nothing for a free or cardless trial, `trial_period.unit_price` (localized by its
 * overrides) for a paid one (Paddle: "recurring items with trials are considered to have a zero charge"; paid
 * trials "collect the trial price amount when the customer completes checkout").
 */
function chargedUnitPrice(
  item: Pick<ResolvedItem, 'price_id' | 'price' | 'inline'> | PreviewItem,
  currency: string,
  country: string | null,
  index: number,
  trialPricing: boolean,
): Money {
  const trial = trialPricing && hasTrial(item.price) ? item.price.trial_period : null;
  if (!trial) return unitPriceIn(item, item.price, currency, country, index);
  if (!trial.unit_price) return zero(currency);
  return unitPriceIn(
    item,
    { unit_price: trial.unit_price, unit_price_overrides: trial.unit_price_overrides },
    currency,
    country,
    index,
  );
}

/** The currency a new transaction takes when the caller names none: the first item's price in the buyer's country. */
export function defaultCurrency(
  items: Array<Pick<ResolvedItem | PreviewItem, 'price'>>,
  country: string | null,
): string {
  const first = items[0];
  return first ? unitPriceFor(first.price, country).currency_code : 'USD';
}

export async function priceTransaction(ctx: Ctx, input: PricingInput): Promise<Priced> {
  const currency = input.currencyCode;
  const lines: TotalsLine<ResolvedItem['product']>[] = input.items.map((item, index) => ({
    id: newId('transaction_item'),
    price_id: item.price_id,
    quantity: item.quantity,
    unit_price: chargedUnitPrice(item, currency, input.countryCode, index, input.trialPricing === true),
    tax_mode: item.price.tax_mode as TotalsLine['tax_mode'],
    ...(item.proration ? { proration: item.proration, proration_rate: item.proration.rate } : {}),
    product: item.product,
    product_id: item.product.id,
    tax_category: item.product.tax_category as TaxCategory,
  }));
  const credit = input.customerId ? await availableCredit(ctx, input.customerId, currency) : 0n;
  const computed = computeTotals({
    currency_code: currency,
    country_code: input.countryCode,
    lines,
    discount: input.discount ?? null,
    available_credit: money(credit, currency),
  });
  return {
    currency_code: currency,
    details: {
      tax_rates_used: computed.tax_rates_used,
      totals: computed.totals,
      adjusted_totals: unadjustedTotals(computed.totals),
      payout_totals: null,
      adjusted_payout_totals: null,
      line_items: computed.line_items,
    },
    grand_total: BigInt(computed.totals.grand_total),
    credit_used: BigInt(computed.totals.credit),
  };
}

export interface PreviewPricingInput {
  items: PreviewItem[];
  currencyCode: string;
  countryCode: string | null;
  customerId: string | null;
  /**
   * Transaction previews: items whose price has a trial are charged the trial's price (nothing for a free trial),
   * as the first transaction of a trialing subscription is (see `chargedUnitPrice`).
   */
  trialPricing: boolean;
  /** The discount's terms (checked by the discounts module), or null for none. */
  discount?: TotalsDiscount | null;
}

/**
 * `details` of a preview: every item has its line (no `txnitm_` id: nothing is stored), and the totals and
 * `tax_rates_used` count only the items with `include_in_totals` (Paddle's example shows an excluded item's line
 * priced as usual and left out of the totals).
 */
export async function pricePreview(ctx: Ctx, input: PreviewPricingInput): Promise<TotalsDetails<ProductPreview>> {
  const currency = input.currencyCode;
  const lines: TotalsLine<ProductPreview>[] = input.items.map((item, index) => ({
    price_id: item.price_id,
    quantity: item.quantity,
    unit_price: chargedUnitPrice(item, currency, input.countryCode, index, input.trialPricing === true),
    tax_mode: item.price.tax_mode as TotalsLine['tax_mode'],
    product: item.product,
    product_id: item.product.id,
    tax_category: item.product.tax_category as TaxCategory,
  }));
  const credit = input.customerId ? await availableCredit(ctx, input.customerId, currency) : 0n;
  const totalsOf = (chosen: TotalsLine<ProductPreview>[]) =>
    computeTotals({
      currency_code: currency,
      country_code: input.countryCode,
      lines: chosen,
      discount: input.discount ?? null,
      available_credit: money(credit, currency),
    });
  const all = totalsOf(lines);
  if (input.items.every((item) => item.include_in_totals)) return all;
  const counted = totalsOf(lines.filter((_, index) => input.items[index]?.include_in_totals));
  return { tax_rates_used: counted.tax_rates_used, totals: counted.totals, line_items: all.line_items };
}
