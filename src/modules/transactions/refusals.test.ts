// Paddle's documented refusals of transactions (issue 9, item 6), one test per code, each with the smallest request
// that triggers it: the answer has Paddle's status and code, and nothing changed (no transaction, no event).
// docs/errors.md names these tests.
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import {
  aBuyer,
  aBusiness,
  aCustomer,
  anAddress,
  aPrice,
  aTransaction,
  MONTHLY,
} from '../../../test/support/builders.js';
import { assertRefusedWithoutChange } from '../../../test/support/refusals.js';

const MANUAL = { enable_checkout: false, payment_terms: { interval: 'day', frequency: 14 } };

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  /** The customer's transactions, read before and after a refusal. */
  const listOf = (customerId: string) => `/transactions?customer_id=${customerId}`;

  describe('manual collection', () => {
    it('transaction_address_not_suitable_for_collection_mode', async () => {
      const price = await aPrice(t());
      const customer = await aCustomer(t());
      const address = await t().request('POST', `/customers/${customer.id}/addresses`, {
        body: { country_code: 'US', postal_code: '10001' },
      });
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [{ price_id: price.id, quantity: 1 }],
              customer_id: customer.id,
              address_id: address.body.data.id,
              collection_mode: 'manual',
              billing_details: MANUAL,
            },
          }),
        status: 400,
        code: 'transaction_address_not_suitable_for_collection_mode',
        detail: /needs an address with region, city, first_line/,
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_address_not_suitable_for_collection_mode on an update to manual collection', async () => {
      const price = await aPrice(t());
      const customer = await aCustomer(t());
      const address = await anAddress(t(), customer.id, { region: null, first_line: null, city: null });
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('PATCH', `/transactions/${txn.id}`, {
            body: { collection_mode: 'manual', billing_details: MANUAL },
          }),
        status: 400,
        code: 'transaction_address_not_suitable_for_collection_mode',
        reads: [`/transactions/${txn.id}`],
      });
    });

    it('transaction_customer_not_suitable_for_collection_mode', async () => {
      const price = await aPrice(t());
      const customer = await aCustomer(t(), { name: null });
      const address = await anAddress(t(), customer.id);
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [{ price_id: price.id, quantity: 1 }],
              customer_id: customer.id,
              address_id: address.id,
              collection_mode: 'manual',
              billing_details: MANUAL,
            },
          }),
        status: 400,
        code: 'transaction_customer_not_suitable_for_collection_mode',
        detail: /needs a customer with a name/,
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_currency_code_not_valid_for_manual', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'JPY' } });
      const { customer, address } = await aBuyer(t(), 'US');
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [{ price_id: price.id, quantity: 1 }],
              customer_id: customer.id,
              address_id: address.id,
              currency_code: 'JPY',
              collection_mode: 'manual',
              billing_details: MANUAL,
            },
          }),
        status: 400,
        code: 'transaction_currency_code_not_valid_for_manual',
        detail: /JPY is not valid/,
        reads: [listOf(customer.id)],
      });
    });
  });

  describe('parties, billing details and items', () => {
    it('transaction_customer_is_required_with_address', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: { items: [{ price_id: price.id, quantity: 1 }], address_id: address.id },
          }),
        status: 400,
        code: 'transaction_customer_is_required_with_address',
        detail: /customer_id is required when address_id is given/,
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_customer_is_required_for_business_validation', async () => {
      const price = await aPrice(t());
      const customer = await aCustomer(t());
      const business = await aBusiness(t(), customer.id);
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: { items: [{ price_id: price.id, quantity: 1 }], business_id: business.id },
          }),
        status: 400,
        code: 'transaction_customer_is_required_for_business_validation',
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_billing_details_object_required', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [{ price_id: price.id, quantity: 1 }],
              customer_id: customer.id,
              address_id: address.id,
              collection_mode: 'manual',
            },
          }),
        status: 400,
        code: 'transaction_billing_details_object_required',
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_payment_terms_object_required', async () => {
      const price = await aPrice(t());
      const txn = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('PATCH', `/transactions/${txn.id}`, {
            body: { billing_details: { purchase_order_number: 'PO' } },
          }),
        status: 400,
        code: 'transaction_payment_terms_object_required',
        reads: [`/transactions/${txn.id}`],
      });
    });

    it('transaction_duplicate_price_ids', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [
                { price_id: price.id, quantity: 1 },
                { price_id: price.id, quantity: 2 },
              ],
              customer_id: customer.id,
              address_id: address.id,
            },
          }),
        status: 400,
        code: 'transaction_duplicate_price_ids',
        detail: new RegExp(`price ${price.id} appears more than once`),
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_cannot_be_modified_and_canceled', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'canceled', custom_data: { a: 1 } } }),
        status: 400,
        code: 'transaction_cannot_be_modified_and_canceled',
        reads: [`/transactions/${txn.id}`],
      });
    });
  });

  describe('minimum charge', () => {
    it('transaction_balance_less_than_charge_limit', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '50', currency_code: 'USD' } });
      const { customer, address } = await aBuyer(t(), 'US');
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id, address_id: address.id },
          }),
        status: 400,
        code: 'transaction_balance_less_than_charge_limit',
        detail: /Transaction balance: 50, Minimum payment amount: 70, Currency code: USD/,
        reads: [listOf(customer.id)],
      });
    });

    it('transaction_recurring_balance_less_than_charge_limit', async () => {
      const setup = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' } });
      const monthly = await aPrice(t(), { billing_cycle: MONTHLY, unit_price: { amount: '50', currency_code: 'USD' } });
      const { customer, address } = await aBuyer(t(), 'US');
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('POST', '/transactions', {
            body: {
              items: [
                { price_id: setup.id, quantity: 1 },
                { price_id: monthly.id, quantity: 1 },
              ],
              customer_id: customer.id,
              address_id: address.id,
            },
          }),
        status: 400,
        code: 'transaction_recurring_balance_less_than_charge_limit',
        detail: /Recurring balance: 50, Minimum payment amount: 70/,
        reads: [listOf(customer.id)],
      });
    });
  });
});
