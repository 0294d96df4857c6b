// Paddle's documented refusals of transactions (issue 9, item 6), one test per code, each with the smallest request
// that triggers it: the answer has Paddle's status and code, and nothing changed (no transaction, no event).
// docs/errors.md names these tests.
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aCustomer, anAddress, aPrice, aTransaction } from '../../../test/support/builders.js';
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
});
