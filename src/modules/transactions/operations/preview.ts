// Previews: what a transaction would cost (`POST /transactions/preview`) and what prices cost where the buyer is
// (`POST /pricing-preview`, for pricing pages). Both read the catalog and the customer's data and write nothing:
// no entity, no event. Location comes from an address of the customer (`address_id`), else an `address` object
// ({country_code, postal_code}); Paddock has no geo-IP database, so `customer_ip_address` is accepted and echoed
// but locates nobody: with only an IP address, no tax is applied and no country's price override is used.
import { isIP } from 'node:net';
import type { Ctx } from '../../../context.js';
import { formatMoney } from '../../../billing/currencies.js';
import { formattedLineTotals } from '../../../billing/totals.js';
import { invalidField, type FieldError } from '../../../kernel/errors.js';
import { isId } from '../../../kernel/ids.js';
import { getAddressRow } from '../../addresses/service.js';
import { getBusinessRow } from '../../businesses/service.js';
import { getCustomerRow } from '../../customers/service.js';
import { discountForTransaction, type AppliedDiscount } from '../../discounts/redemption.js';
import type { PriceEntity } from '../../prices/serialize.js';
import type { ProductEntity } from '../../products/serialize.js';
import { AVAILABLE_PAYMENT_METHODS } from '../includes.js';
import { previewItems } from '../items.js';
import { defaultCurrency, pricePreview } from '../pricing.js';
import type { OperationBody, Schema } from '../../../spec/operations.js';

/**
 * Where and for whom a preview is priced (Paddle's `transaction_pricing_preview_base`); every field optional
 * (Paddle: send one way of locating the buyer).
 */
export type PreviewLocationInput = Schema<'transaction_pricing_preview_base'>;

/**
 * The body of preview-transaction-create (one of its ways of locating the buyer, with `items`), plus `discount`:
 * the official SDK sends a non-catalog discount, which the v1 spec does not list (its anyOf leaves the body open).
 */
export type TransactionPreviewInput = OperationBody<'preview-transaction-create'> & { discount?: unknown };

/** The body of preview-prices: catalog prices by `price_id` (the spec leaves it optional; it is required here). */
export type PricePreviewInput = OperationBody<'preview-prices'>;

/** Paddle's `transaction-preview` and `transaction_pricing_preview_base`: the request's location fields as used. */
interface Located {
  customer_id: string | null;
  address_id: string | null;
  business_id: string | null;
  customer_ip_address: string | null;
  /** The address the totals were computed for: the customer's address, or the `address` object sent. */
  address: { postal_code: string | null; country_code: string } | null;
  countryCode: string | null;
}

const MAX_ITEMS = 100;

function checkShapes(input: PreviewLocationInput): void {
  const errors: FieldError[] = [];
  if (input.address_id != null && !isId('address', input.address_id))
    errors.push({ field: 'address_id', message: 'must be a Paddle address id (add_…)' });
  if (input.business_id != null && !isId('business', input.business_id))
    errors.push({ field: 'business_id', message: 'must be a Paddle business id (biz_…)' });
  for (const field of ['address_id', 'business_id'] as const) {
    if (input[field] != null && input.customer_id == null) errors.push({ field, message: 'requires customer_id' });
  }
  if (input.customer_ip_address != null && isIP(input.customer_ip_address) === 0) {
    errors.push({ field: 'customer_ip_address', message: 'must be an IPv4 or IPv6 address' });
  }
  if (errors.length > 0) throw invalidField(errors);
}

/**
 * Resolves who and where the preview is for. `address_id` wins over an `address` object when both are sent;
 * `customer_ip_address` is kept as given and locates nothing (no geo-IP here).
 */
async function locate(ctx: Ctx, input: PreviewLocationInput): Promise<Located> {
  checkShapes(input);
  const customerId = input.customer_id ?? null;
  let address: Located['address'] = input.address
    ? { postal_code: input.address.postal_code ?? null, country_code: input.address.country_code }
    : null;
  if (customerId) {
    await getCustomerRow(ctx, customerId);
    if (input.address_id) {
      const row = await getAddressRow(ctx, customerId, input.address_id);
      address = { postal_code: row.postal_code, country_code: row.country_code };
    }
    if (input.business_id) await getBusinessRow(ctx, customerId, input.business_id);
  }
  return {
    customer_id: customerId,
    address_id: input.address_id ?? null,
    business_id: input.business_id ?? null,
    customer_ip_address: input.customer_ip_address ?? null,
    address,
    countryCode: address?.country_code ?? null,
  };
}

/**
 * The discount a preview names, checked as a newly applied one (Paddle's codes: `transaction_discount_not_found`,
 * `discount_expired`, …), or undefined without `discount_id`.
 */
async function previewDiscount(
  ctx: Ctx,
  id: string | null | undefined,
  currency: string,
  items: Awaited<ReturnType<typeof previewItems>>,
): Promise<AppliedDiscount | undefined> {
  if (id === null || id === undefined) return undefined;
  return discountForTransaction(ctx, id, {
    currency,
    lines: items.map((item) => ({ price_id: item.price_id, product_id: item.product.id })),
    newlyApplied: true,
  });
}

function wireLocation(located: Located) {
  const { countryCode: _country, ...wire } = located;
  return wire;
}

/** `POST /transactions/preview`: a transaction's items, totals and payment methods, without creating anything. */
export async function previewTransaction(ctx: Ctx, input: TransactionPreviewInput) {
  if (input.items.length === 0 || input.items.length > MAX_ITEMS) {
    throw invalidField([{ field: 'items', message: `must list between 1 and ${MAX_ITEMS} items` }]);
  }
  if (input.discount != null)
    throw invalidField([{ field: 'discount', message: 'non-catalog discounts are not supported' }]);
  const located = await locate(ctx, input);
  const items = await previewItems(ctx, input.items);
  const currency = input.currency_code ?? defaultCurrency(items, located.countryCode);
  const ignoreTrials = input.ignore_trials ?? false;
  const discount = await previewDiscount(ctx, input.discount_id, currency, items);
  const details = await pricePreview(ctx, {
    items,
    currencyCode: currency,
    countryCode: located.countryCode,
    customerId: located.customer_id,
    trialPricing: !ignoreTrials,
    discount: discount?.totals ?? null,
  });
  return {
    ...wireLocation(located),
    currency_code: currency,
    discount_id: discount?.id ?? null,
    ignore_trials: ignoreTrials,
    items: items.map((item) => ({
      price: item.price,
      quantity: item.quantity,
      include_in_totals: item.include_in_totals,
      proration: item.proration,
    })),
    details,
    available_payment_methods: [...AVAILABLE_PAYMENT_METHODS],
  };
}

/**
 * The locale previews format money in: English with the buyer's region (`en-GB` → "£10.00", "US$10.00"), plain
 * English when no country is known. @NOTE Paddle says only "formatted for the country or region".
 */
function displayLocale(countryCode: string | null): string {
  if (!countryCode) return 'en';
  try {
    return Intl.getCanonicalLocales(`en-${countryCode}`)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** `POST /pricing-preview`: each price's unit and line totals, raw and formatted, where the buyer is. */
export async function previewPrices(ctx: Ctx, input: PricePreviewInput) {
  const missing = input.items.flatMap((item, index) =>
    item.price_id === undefined ? [{ field: `items[${index}].price_id`, message: 'field is required' }] : [],
  );
  if (missing.length > 0) throw invalidField(missing);
  const catalogItems = input.items.flatMap(({ price_id, quantity }) =>
    price_id === undefined ? [] : [{ price_id, quantity }],
  );
  const located = await locate(ctx, input);
  const items = await previewItems(ctx, catalogItems);
  const currency = input.currency_code ?? defaultCurrency(items, located.countryCode);
  const discount = await previewDiscount(ctx, input.discount_id, currency, items);
  const details = await pricePreview(ctx, {
    items,
    currencyCode: currency,
    countryCode: located.countryCode,
    customerId: located.customer_id,
    trialPricing: false,
    discount: discount?.totals ?? null,
  });
  const locale = displayLocale(located.countryCode);
  const lineItems = details.line_items.map((line, index) => {
    const item = items[index] as (typeof items)[number];
    return {
      price: item.price as PriceEntity,
      quantity: line.quantity,
      tax_rate: line.tax_rate,
      unit_totals: line.unit_totals,
      totals: line.totals,
      ...formattedLineTotals(line, currency, locale),
      product: line.product as ProductEntity,
      discounts:
        discount && line.totals.discount !== '0'
          ? [
              {
                discount: discount.entity,
                total: line.totals.discount,
                formatted_total: formatMoney(line.totals.discount, currency, locale),
              },
            ]
          : [],
    };
  });
  return {
    ...wireLocation(located),
    currency_code: currency,
    discount_id: discount?.id ?? null,
    // @NOTE Paddle's example answer has no `items`, but the official Node SDK types the field as always present
    // (IPricingPreviewResponse.items): echoing what was priced costs nothing and keeps SDK users safe.
    items: catalogItems,
    details: { line_items: lineItems },
    available_payment_methods: [...AVAILABLE_PAYMENT_METHODS],
  };
}
