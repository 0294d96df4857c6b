// Bad input never reaches a 500 (issue #12 items 1-3): free-form custom_data within bounds, every computed amount
// within what the database stores, every computed date within the stored range; each refusal is Paddle's 400
// before anything is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../support/app.js';
import { MONTHLY, aBuyer, aPaidMonthlyTransaction, aPrice, aProduct } from '../support/builders.js';
import { assertPaddleError } from '../support/contract.js';

const MAX = '9223372036854775807';

function nested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 1; i < depth; i++) value = { next: value };
  return value;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('custom_data bounds', () => {
    it('refuses custom_data nested 4,200 levels deep with 400 invalid_field, not a stack overflow', async () => {
      // @NOTE written as text: JSON.stringify itself overflows the stack at this depth.
      const payload = `{"name":"Deep","tax_category":"standard","custom_data":${'{"a":'.repeat(4200)}1${'}'.repeat(4200)}}`;
      const response = await t().app.inject({
        method: 'POST',
        url: '/products',
        headers: { authorization: `Bearer ${t().keys.sandbox}`, 'content-type': 'application/json' },
        payload,
      });
      assertPaddleError(
        { status: response.statusCode, headers: response.headers, text: response.body, body: response.json() },
        400,
        'invalid_field',
      );
    });

    it('stores custom_data 32 levels deep, refuses 33, and the list stays readable', async () => {
      const kept = await aProduct(t(), { custom_data: nested(32) });
      assert.deepEqual(kept.custom_data, nested(32));
      const refused = await t().request('POST', '/products', {
        body: { name: 'Deeper', tax_category: 'standard', custom_data: nested(33) },
      });
      assertPaddleError(refused, 400, 'invalid_field');
      assert.equal(refused.body.error.errors[0].field, 'custom_data');
      const update = await t().request('PATCH', `/products/${kept.id}`, { body: { custom_data: { a: [nested(40)] } } });
      assertPaddleError(update, 400, 'invalid_field');
      const list = await t().request('GET', '/products');
      assert.equal(list.status, 200, list.text);
    });

    it('refuses custom_data over 64 KiB, wherever it is in the body', async () => {
      const big = { blob: 'x'.repeat(70_000) };
      assertPaddleError(
        await t().request('POST', '/customers', { body: { email: 'big@example.com', custom_data: big } }),
        400,
        'invalid_field',
      );
      const { customer, address } = await aBuyer(t());
      const product = await aProduct(t());
      const response = await t().request('POST', '/transactions', {
        body: {
          customer_id: customer.id,
          address_id: address.id,
          items: [
            {
              quantity: 1,
              price: {
                product_id: product.id,
                description: 'one-off',
                unit_price: { amount: '100', currency_code: 'USD' },
                custom_data: big,
              },
            },
          ],
        },
      });
      assertPaddleError(response, 400, 'invalid_field');
      assert.equal(response.body.error.errors[0].field, 'items[0].price.custom_data');
    });
  });

  describe('amounts within what the database stores', () => {
    it('a transaction whose total overflows is 400 amount_out_of_range and stores nothing', async () => {
      const price = await aPrice(t(), { unit_price: { amount: MAX, currency_code: 'USD' } });
      const { customer, address } = await aBuyer(t(), 'US');
      const before = await t().request('GET', `/transactions?customer_id=${customer.id}`);
      for (const quantity of [2, 1]) {
        const response = await t().request('POST', '/transactions', {
          body: { items: [{ price_id: price.id, quantity }], customer_id: customer.id, address_id: address.id },
        });
        if (quantity === 1) assert.equal(response.status, 201, response.text);
        else assertPaddleError(response, 400, 'amount_out_of_range');
      }
      const preview = await t().request('POST', '/transactions/preview', {
        body: { items: [{ price_id: price.id, quantity: 3 }], address: { country_code: 'US', postal_code: '10001' } },
      });
      assertPaddleError(preview, 400, 'amount_out_of_range');
      const after = await t().request('GET', `/transactions?customer_id=${customer.id}`);
      assert.equal(after.body.data.length, before.body.data.length + 1, 'only the transaction with quantity 1');
    });

    it('a tax on top of the largest amount is refused too (GB 20% VAT)', async () => {
      const price = await aPrice(t(), { unit_price: { amount: MAX, currency_code: 'USD' } });
      const { customer, address } = await aBuyer(t(), 'GB');
      const response = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id, address_id: address.id },
      });
      assertPaddleError(response, 400, 'amount_out_of_range');
    });

    it('an amount past 2^63 - 1 is refused when given', async () => {
      const product = await aProduct(t());
      const response = await t().request('POST', '/prices', {
        body: {
          product_id: product.id,
          description: 'Too much',
          unit_price: { amount: '9223372036854775808', currency_code: 'USD' },
        },
      });
      assert.equal(response.status, 400, response.text);
      assert.ok(['invalid_field', 'amount_out_of_range'].includes(response.body.error.code), response.text);
    });
  });

  describe('dates within the stored range', () => {
    it('refuses billing cycles and trials over 100 years', async () => {
      const product = await aProduct(t());
      for (const body of [
        { billing_cycle: { interval: 'year', frequency: 101 } },
        { billing_cycle: { interval: 'day', frequency: 2_000_000_000 } },
        { billing_cycle: MONTHLY, trial_period: { interval: 'week', frequency: 999_999 } },
      ]) {
        const response = await t().request('POST', '/prices', {
          body: {
            product_id: product.id,
            description: 'Long',
            unit_price: { amount: '100', currency_code: 'USD' },
            ...body,
          },
        });
        assertPaddleError(response, 400, 'invalid_field');
      }
      await aPrice(t(), { billing_cycle: { interval: 'year', frequency: 100 } });
    });

    it('refuses clock moves past the last storable century, and durations Temporal cannot add', async () => {
      for (const body of [{ by: 'P10000Y' }, { by: 'P99999999D' }, { to: '9999-12-31T00:00:00Z' }]) {
        const response = await t().request('POST', '/test-helpers/clock/advance', { body });
        assertPaddleError(response, 400, 'invalid_field');
      }
      const clock = await t().request('GET', '/test-helpers/clock');
      assert.match(clock.body.data.now, /^20\d\d-/, 'the clock did not move');
    });

    it('a next billing date late in year 9999 is kept and stays readable (the clock never gets there)', async () => {
      const txn = await aPaidMonthlyTransaction(t());
      const list = await t().request('GET', `/subscriptions?customer_id=${txn.customer_id}`);
      const subscription = list.body.data[0];
      const response = await t().request('PATCH', `/subscriptions/${subscription.id}`, {
        body: { next_billed_at: '9999-12-31T12:00:00Z', proration_billing_mode: 'do_not_bill' },
      });
      assert.equal(response.status, 200, response.text);
      const after = await t().request('GET', `/subscriptions/${subscription.id}`);
      assert.equal(after.body.data.next_billed_at, '9999-12-31T12:00:00Z');
      const advance = await t().request('POST', '/test-helpers/clock/advance', {
        body: { to: '9999-12-31T13:00:00Z' },
      });
      assertPaddleError(advance, 400, 'invalid_field');
    });
  });

  describe('found by the fuzz test', () => {
    it('billing details without payment_terms on a subscription that has none are refused, on update and preview', async () => {
      const txn = await aPaidMonthlyTransaction(t());
      const list = await t().request('GET', `/subscriptions?customer_id=${txn.customer_id}`);
      const subscription = list.body.data[0];
      const billing_details = { enable_checkout: false, purchase_order_number: 'PO-1' };
      for (const url of [`/subscriptions/${subscription.id}/preview`, `/subscriptions/${subscription.id}`]) {
        const response = await t().request('PATCH', url, { body: { billing_details } });
        assertPaddleError(response, 400, 'invalid_field');
        assert.equal(response.body.error.errors[0].field, 'billing_details.payment_terms');
      }
      const after = await t().request('GET', `/subscriptions/${subscription.id}`);
      assert.equal(after.body.data.billing_details, null);
    });
  });
});
