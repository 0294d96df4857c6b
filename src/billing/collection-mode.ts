// What manual collection (an invoice the customer pays by its terms) asks of a transaction or subscription, as
// Paddle's error pages state it: a named customer, an address complete enough to print on an invoice, billing
// details, and a currency Paddle invoices in. One rule for transactions and subscriptions: only the code's prefix
// differs (`transaction_…`, `subscription_…`).
import { DomainError } from './errors.js';

export type CollectionMode = 'automatic' | 'manual';
export type CollectionSubject = 'transaction' | 'subscription';

/** Currencies Paddle accepts for manually-collected transactions and subscriptions (invoices). */
export const MANUAL_CURRENCIES: readonly string[] = Object.freeze(['USD', 'EUR', 'GBP']);

/**
 * The address fields an invoice needs (developer.paddle.com/errors/transactions/
 * transaction_address_not_suitable_for_collection_mode: "Ensure the address has the following: country,
 * postal_code, region, city, first_line").
 */
export const MANUAL_ADDRESS_FIELDS = ['country_code', 'postal_code', 'region', 'city', 'first_line'] as const;

export type InvoiceAddress = Record<(typeof MANUAL_ADDRESS_FIELDS)[number], string | null>;

/** The fields of `address` an invoice needs and lacks (null or blank), in Paddle's order. */
export function missingInvoiceAddressFields(address: InvoiceAddress): string[] {
  return MANUAL_ADDRESS_FIELDS.filter((field) => !address[field]?.trim());
}

export interface CollectionParties {
  collection_mode: CollectionMode;
  currency_code: string;
  /** The customer attached, if any (`name` null when it has none). */
  customer: { name: string | null } | null;
  address: InvoiceAddress | null;
}

/**
 * Throws `<subject>_currency_code_not_valid_for_manual`, `<subject>_customer_not_suitable_for_collection_mode`
 * (a customer without a name) or `<subject>_address_not_suitable_for_collection_mode` (an address missing what an
 * invoice needs), each detail naming the cause, when `parties` are manually collected. Automatic collection asks
 * nothing of them.
 */
export function assertSuitableForCollection(subject: CollectionSubject, parties: CollectionParties): void {
  if (parties.collection_mode !== 'manual') return;
  if (!MANUAL_CURRENCIES.includes(parties.currency_code)) {
    throw new DomainError(
      `${subject}_currency_code_not_valid_for_manual`,
      `currency_code ${parties.currency_code} is not valid for manually-collected ${subject}s; use USD, EUR or GBP.`,
    );
  }
  if (parties.customer && !parties.customer.name?.trim()) {
    throw new DomainError(
      `${subject}_customer_not_suitable_for_collection_mode`,
      `Customer entity must be suitable for the ${subject}s current collection mode: collection_mode manual needs a customer with a name`,
    );
  }
  const missing = parties.address ? missingInvoiceAddressFields(parties.address) : [];
  if (missing.length > 0) {
    throw new DomainError(
      `${subject}_address_not_suitable_for_collection_mode`,
      `Address entity must be suitable for the ${subject}s current collection mode: collection_mode manual needs an address with ${missing.join(', ')}`,
    );
  }
}
