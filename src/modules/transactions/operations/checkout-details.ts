// What the hosted checkout collects before it can take a payment: the buyer's email (customer) and country
// and postal code (address). Paddle's order of events follows: customer.created, address.created,
// transaction.updated, transaction.ready.
import type { Ctx } from '../../../context.js';
import { invalidField } from '../../../kernel/errors.js';
import { createAddress } from '../../addresses/service.js';
import { createCustomer } from '../../customers/service.js';
import { findCustomerByEmail } from '../../customers/repository.js';
import { getTransaction, updateTransaction, type PortalRef } from '../service.js';
import type { TransactionEntity } from '../serialize.js';

export interface CheckoutDetailsInput {
  email?: string;
  country_code?: string;
  postal_code?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function attachCheckoutDetails(ctx: Ctx, portal: PortalRef, transactionId: string, input: CheckoutDetailsInput): Promise<TransactionEntity> {
  let transaction = await getTransaction(ctx, portal, transactionId);
  const changes: { customer_id?: string; address_id?: string } = {};
  let customerId = transaction.customer_id;
  if (!customerId) {
    const email = (input.email ?? '').trim();
    if (!EMAIL.test(email)) throw invalidField([{ field: 'email', message: 'Enter a valid email address.' }]);
    // @NOTE a returning buyer's email finds their customer, as Paddle's checkout matches existing customers by email.
    const existing = await findCustomerByEmail(ctx.db, ctx.tenant, email);
    customerId = existing?.id ?? (await createCustomer(ctx, { email })).id;
    changes.customer_id = customerId;
  }
  if (!transaction.address_id) {
    const country = (input.country_code ?? '').trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw invalidField([{ field: 'country_code', message: 'Choose your country.' }]);
    const postal = (input.postal_code ?? '').trim();
    const address = await createAddress(ctx, customerId, { country_code: country, ...(postal ? { postal_code: postal } : {}) });
    changes.address_id = address.id;
  }
  if (changes.customer_id || changes.address_id) transaction = await updateTransaction(ctx, portal, transactionId, changes);
  return transaction;
}
