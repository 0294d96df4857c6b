// Paddle's documented refusals of subscriptions (issue 9, item 6) that no other file's story covers, one test per
// code, each with the smallest request that triggers it: the answer has Paddle's status and code, and nothing
// changed (the subscription reads the same, no event). docs/errors.md names these tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aCustomer, aPrice, aTransaction, MONTHLY } from '../../../test/support/builders.js';
import { assertRefusedWithoutChange } from '../../../test/support/refusals.js';

const MANUAL = { enable_checkout: false, payment_terms: { interval: 'day', frequency: 14 } };

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  /** A subscription paid at checkout by a customer (`customer` body) with an address of only country and ZIP. */
  async function subscribed(customer: Record<string, unknown> = {}) {
    const price = await aPrice(t(), { billing_cycle: MONTHLY });
    const buyer = await aCustomer(t(), customer);
    const address = await t().request('POST', `/customers/${buyer.id}/addresses`, {
      body: { country_code: 'US', postal_code: '10001' },
    });
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: buyer.id,
      address_id: address.body.data.id,
    });
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
    assert.equal(paid.status, 200, paid.text);
    return { id: paid.body.data.subscription_id as string, customer: buyer };
  }

  describe('manual collection', () => {
    it('subscription_address_not_suitable_for_collection_mode', async () => {
      const sub = await subscribed();
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('PATCH', `/subscriptions/${sub.id}`, {
            body: { collection_mode: 'manual', billing_details: MANUAL },
          }),
        status: 400,
        code: 'subscription_address_not_suitable_for_collection_mode',
        detail: /needs an address with region, city, first_line/,
        reads: [`/subscriptions/${sub.id}`],
      });
    });

    it('subscription_customer_not_suitable_for_collection_mode', async () => {
      const sub = await subscribed({ name: null });
      const complete = await t().request('POST', `/customers/${sub.customer.id}/addresses`, {
        body: { country_code: 'US', postal_code: '10001', region: 'NY', city: 'New York', first_line: '1 Main St' },
      });
      await assertRefusedWithoutChange(t(), {
        send: () =>
          t().request('PATCH', `/subscriptions/${sub.id}`, {
            body: { collection_mode: 'manual', billing_details: MANUAL, address_id: complete.body.data.id },
          }),
        status: 400,
        code: 'subscription_customer_not_suitable_for_collection_mode',
        detail: /needs a customer with a name/,
        reads: [`/subscriptions/${sub.id}`],
      });
    });
  });

  describe('billing details', () => {
    it('subscription_billing_details_required', async () => {
      const sub = await subscribed();
      await assertRefusedWithoutChange(t(), {
        send: () => t().request('PATCH', `/subscriptions/${sub.id}`, { body: { collection_mode: 'manual' } }),
        status: 400,
        code: 'subscription_billing_details_required',
        reads: [`/subscriptions/${sub.id}`],
      });
    });
  });
});
