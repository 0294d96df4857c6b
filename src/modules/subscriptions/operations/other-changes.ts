// The fields of `PATCH /subscriptions/{id}` that need no billing (parties, currency, collection settings, custom
// data): checked and applied to a row by the plain update (operations/update.ts) and by item changes
// (operations/plan-update.ts), which store it. @NOTE its own file so that neither imports the other's module.
import type { Ctx } from '../../../context.js';
import type { AddressRow, CustomerRow, SubscriptionRow } from '../../../db/tables.js';
import { assertSuitableForCollection, type CollectionMode } from '../../../billing/collection-mode.js';
import { PaddleError, invalidField } from '../../../kernel/errors.js';
import { toStoredTime, type Instant } from '../../../kernel/time.js';
import type { OperationBody } from '../../../spec/operations.js';
import { getAddressRow } from '../../addresses/service.js';
import { getBusinessRow } from '../../businesses/service.js';
import { getCustomerRow } from '../../customers/service.js';
import { unitPriceFor } from '../../transactions/items.js';
import { subscriptionColumns } from '../columns.js';
import { storedItems } from '../state.js';

/**
 * The body of Paddle's update-subscription (and preview-subscription-update): every field optional; `items` is the
 * complete new list, each a catalog price (quantity optional for items already on the subscription) or a
 * non-catalog price.
 */
export type SubscriptionUpdateInput = OperationBody<'update-subscription'>;

/** Whether the request changes fields that need no billing (parties, currency, collection, custom data). */
export function hasOtherChanges(input: SubscriptionUpdateInput): boolean {
  return Object.keys(otherChanges(input)).length > 0;
}

/** `row` with the fields that need no billing applied and checked (the caller stores it). */
export async function applyOtherChanges(
  ctx: Ctx,
  row: SubscriptionRow,
  input: SubscriptionUpdateInput,
  now: Instant,
): Promise<SubscriptionRow> {
  const changes = otherChanges(input);
  if (Object.keys(changes).length === 0) return row;
  if (input.billing_details) changes.billing_details = billingDetailsWithTerms(row, input.billing_details);
  const next: SubscriptionRow = { ...row, ...changes, updated_at: toStoredTime(now) };
  const parties = await checkParties(ctx, next);
  if (next.collection_mode === 'manual' && !next.billing_details) {
    throw new PaddleError('subscription_billing_details_required');
  }
  if (
    changes.currency_code !== undefined ||
    changes.address_id !== undefined ||
    changes.customer_id !== undefined ||
    changes.collection_mode !== undefined
  ) {
    assertSuitableForCollection('subscription', {
      collection_mode: next.collection_mode as CollectionMode,
      currency_code: next.currency_code,
      ...parties,
    });
    checkCurrency(next, parties.address.country_code);
  }
  if (next.collection_mode === 'automatic')
    next.billing_details = input.billing_details === undefined ? null : next.billing_details;
  return next;
}

/**
 * The stored form of the billing details an update gave: the spec's `billing_details-update` may leave out
 * `payment_terms`, which the entity always carries, so the stored terms are kept (as for transactions). Throws 400
 * `invalid_field` when there are none to keep (found by the fuzz test: a 200 whose billing_details broke the spec).
 */
function billingDetailsWithTerms(
  row: SubscriptionRow,
  given: NonNullable<SubscriptionUpdateInput['billing_details']>,
): string | null {
  const stored = subscriptionColumns.billing_details.decode(row.billing_details);
  const payment_terms = ('payment_terms' in given && given.payment_terms) || stored?.payment_terms;
  if (!payment_terms)
    throw invalidField([
      { field: 'billing_details.payment_terms', message: 'required: the subscription has no payment terms to keep' },
    ]);
  return subscriptionColumns.billing_details.encode({ ...given, payment_terms });
}

function otherChanges(input: SubscriptionUpdateInput): Partial<SubscriptionRow> {
  const changes: Partial<SubscriptionRow> = {};
  if (input.customer_id !== undefined) changes.customer_id = input.customer_id;
  if (input.address_id !== undefined) changes.address_id = input.address_id;
  if (input.business_id !== undefined) changes.business_id = input.business_id;
  if (input.currency_code !== undefined) changes.currency_code = input.currency_code;
  if (input.collection_mode !== undefined) changes.collection_mode = input.collection_mode;
  if (input.billing_details !== undefined)
    changes.billing_details = subscriptionColumns.billing_details.encode(input.billing_details);
  if (input.custom_data !== undefined) changes.custom_data = subscriptionColumns.custom_data.encode(input.custom_data);
  return changes;
}

/** Checks the customer, address and business belong together; answers the customer and address. */
async function checkParties(ctx: Ctx, row: SubscriptionRow): Promise<{ customer: CustomerRow; address: AddressRow }> {
  const customer = await getCustomerRow(ctx, row.customer_id);
  const address = await getAddressRow(ctx, row.customer_id, row.address_id);
  if (row.business_id) await getBusinessRow(ctx, row.customer_id, row.business_id);
  return { customer, address };
}

/**
 * The renewals must stay billable: every item's price needs an amount in the subscription's currency (its
 * country override for the address, or its base price), as transaction pricing asks.
 */
function checkCurrency(row: SubscriptionRow, country: string | null): void {
  const currency = row.currency_code;
  const missing = storedItems(row).filter(
    (item) =>
      unitPriceFor(item.price, country).currency_code !== currency && item.price.unit_price.currency_code !== currency,
  );
  if (missing.length > 0) {
    throw invalidField([
      {
        field: 'currency_code',
        message: `price ${missing.map((item) => item.price.id).join(', ')} has no unit price in ${currency}`,
      },
    ]);
  }
}
