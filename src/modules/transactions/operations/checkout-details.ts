// What the hosted checkout collects before it can take a payment: the buyer's email (customer) and country
// and postal code (address). Paddle's order of events follows: customer.created, address.created,
// transaction.updated, transaction.ready. The form is checked first (`checkoutDetailsErrors`), so a form with
// mistakes creates nothing.
import type { Ctx } from '../../../context.js';
import { invalidField, PaddleError } from '../../../kernel/errors.js';
import { createAddress, POSTAL_CODE_COUNTRIES } from '../../addresses/service.js';
import { createCustomer, listCustomers } from '../../customers/service.js';
import type { PortalRef } from '../entity.js';
import { getTransaction, updateTransaction } from '../service.js';
import type { TransactionEntity } from '../serialize.js';
import type { Schema } from '../../../spec/operations.js';

/** A country Paddle sells to (the spec's `country_code_supported`). */
export type CountryCode = Schema<'country_code_supported'>;

export interface CheckoutDetailsInput {
  email?: string;
  country_code?: string;
  postal_code?: string;
}

export type CheckoutDetailsField = 'email' | 'country_code' | 'postal_code';

export interface CheckoutDetailsError {
  field: CheckoutDetailsField;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const CHECKOUT_DETAIL_MESSAGES = {
  email: 'Enter a valid email address.',
  country_code: 'Choose your country.',
  postal_code: 'Enter your postal code.',
} as const satisfies Record<CheckoutDetailsField, string>;

/**
 * What is wrong with the details the form sent, for what the transaction still lacks (nothing is asked for
 * twice). `countries` are the codes the checkout offers.
 */
export function checkoutDetailsErrors(
  transaction: Pick<TransactionEntity, 'customer_id' | 'address_id'>,
  input: CheckoutDetailsInput,
  countries: readonly CountryCode[],
): CheckoutDetailsError[] {
  const errors: CheckoutDetailsError[] = [];
  if (!transaction.customer_id && !EMAIL.test((input.email ?? '').trim()))
    errors.push({ field: 'email', message: CHECKOUT_DETAIL_MESSAGES.email });
  if (!transaction.address_id) {
    const country = (input.country_code ?? '').trim().toUpperCase();
    if (!countryIn(countries, country))
      errors.push({ field: 'country_code', message: CHECKOUT_DETAIL_MESSAGES.country_code });
    else if (POSTAL_CODE_COUNTRIES.has(country) && (input.postal_code ?? '').trim() === '') {
      errors.push({ field: 'postal_code', message: CHECKOUT_DETAIL_MESSAGES.postal_code });
    }
  }
  return errors;
}

/** The code as the list spells it, or undefined when the list does not have it. */
function countryIn(countries: readonly CountryCode[], code: string): CountryCode | undefined {
  return countries.find((country) => country === code);
}

/** The tenant's customer with this email (case-insensitive), if any. */
async function customerWithEmail(ctx: Ctx, email: string): Promise<string | undefined> {
  const page = await listCustomers(ctx, { email: [email] }, { perPage: 1, orderBy: { field: 'id', direction: 'ASC' } });
  return page.rows[0]?.id;
}

/**
 * Gives the transaction the customer and address the form describes (call after `checkoutDetailsErrors`, with the
 * same `countries`). Throws 400 `invalid_field` on `country_code` when the country is not in `countries`.
 */
export async function attachCheckoutDetails(
  ctx: Ctx,
  portal: PortalRef,
  transactionId: string,
  input: CheckoutDetailsInput,
  countries: readonly CountryCode[],
): Promise<TransactionEntity> {
  const transaction = await getTransaction(ctx, portal, transactionId);
  const changes: { customer_id?: string; address_id?: string } = {};
  let customerId = transaction.customer_id;
  if (!customerId) {
    const email = (input.email ?? '').trim();
    // @NOTE a returning buyer's email finds their customer, as Paddle's checkout matches existing customers by email.
    customerId = (await customerWithEmail(ctx, email)) ?? (await createOrFind(ctx, email));
    changes.customer_id = customerId;
  }
  if (!transaction.address_id) {
    const country = countryIn(countries, (input.country_code ?? '').trim().toUpperCase());
    if (!country) throw invalidField([{ field: 'country_code', message: CHECKOUT_DETAIL_MESSAGES.country_code }]);
    const postal = (input.postal_code ?? '').trim();
    const address = await createAddress(ctx, customerId, {
      country_code: country,
      ...(postal ? { postal_code: postal } : {}),
    });
    changes.address_id = address.id;
  }
  if (!changes.customer_id && !changes.address_id) return transaction;
  return updateTransaction(ctx, portal, transactionId, changes);
}

/** Two checkouts with the same new email at once: the second finds the customer the first created. */
async function createOrFind(ctx: Ctx, email: string): Promise<string> {
  try {
    return (await createCustomer(ctx, { email })).id;
  } catch (error) {
    const existing =
      error instanceof PaddleError && error.code === 'customer_already_exists'
        ? await customerWithEmail(ctx, email)
        : undefined;
    if (!existing) throw error;
    return existing;
  }
}
