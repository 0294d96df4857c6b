import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aPrice, aProduct, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  const customPrice = (extra: Record<string, unknown>) => ({
    description: 'Custom setup fee',
    unit_price: { amount: '5000', currency_code: 'USD' },
    ...extra,
  });

  async function eventTypes(): Promise<string[]> {
    return (await recordedEvents(t())).map((event) => event.type);
  }

  async function customRows() {
    const products = await t().db.selectFrom('products').select('id').where('type', '=', 'custom').execute();
    const prices = await t().db.selectFrom('prices').select('id').where('type', '=', 'custom').execute();
    return { products: products.length, prices: prices.length };
  }

  describe('non-catalog items on create and update', () => {
    it('creates a custom price for an existing product, with its event before the transaction', async () => {
      const product = await aProduct(t());
      const { customer, address } = await aBuyer(t(), 'GB');
      const before = (await eventTypes()).length;
      const res = await t().request('POST', '/transactions', {
        body: {
          items: [{ price: customPrice({ product_id: product.id, name: 'Setup' }), quantity: 2 }],
          customer_id: customer.id,
          address_id: address.id,
        },
      });
      assertMatchesSpec('create-transaction', res);
      const txn = res.body.data;
      const [item] = txn.items;
      assert.match(item.price_id, /^pri_[a-z\d]{26}$/);
      assert.deepEqual(
        [item.price.id, item.price.type, item.price.product_id, item.price.name, item.price.tax_mode],
        [item.price_id, 'custom', product.id, 'Setup', 'account_setting'],
      );
      assert.equal(txn.details.line_items[0].product.id, product.id);
      assert.deepEqual(txn.details.line_items[0].totals, {
        subtotal: '10000',
        discount: '0',
        tax: '2000',
        total: '12000',
      });
      assert.deepEqual((await eventTypes()).slice(before), [
        'price.created',
        'transaction.created',
        'transaction.ready',
      ]);
      const price = await t().request('GET', `/prices/${item.price_id}`);
      assertMatchesSpec('get-price', price);
      assert.equal(price.body.data.type, 'custom');
      const listed = await t().request('GET', `/prices?product_id=${product.id}`);
      assert.deepEqual(listed.body.data, [], 'custom prices are not listed by default');
      const custom = await t().request('GET', `/prices?product_id=${product.id}&type=custom`);
      assert.deepEqual(
        custom.body.data.map((p: any) => p.id),
        [item.price_id],
      );
    });

    it('creates a custom product and price from an inline product', async () => {
      const before = (await eventTypes()).length;
      const res = await t().request('POST', '/transactions', {
        body: {
          items: [
            {
              price: customPrice({
                billing_cycle: { interval: 'month', frequency: 1 },
                unit_price_overrides: [{ country_codes: ['DE'], unit_price: { amount: '4500', currency_code: 'EUR' } }],
                quantity: { minimum: 1, maximum: 5 },
                product: {
                  name: 'Bespoke plan',
                  tax_category: 'saas',
                  description: 'Made for one customer',
                  custom_data: { deal: 'D-1' },
                },
              }),
              quantity: 1,
            },
          ],
        },
      });
      assertMatchesSpec('create-transaction', res);
      const item = res.body.data.items[0];
      const productId = item.price.product_id;
      assert.match(productId, /^pro_[a-z\d]{26}$/);
      assert.deepEqual(item.price.billing_cycle, { interval: 'month', frequency: 1 });
      assert.deepEqual(item.price.quantity, { minimum: 1, maximum: 5 });
      const product = res.body.data.details.line_items[0].product;
      assert.deepEqual(
        [product.id, product.name, product.type, product.tax_category, product.custom_data],
        [productId, 'Bespoke plan', 'custom', 'saas', { deal: 'D-1' }],
      );
      assert.deepEqual((await eventTypes()).slice(before), ['product.created', 'price.created', 'transaction.created']);
      const got = await t().request('GET', `/products/${productId}`);
      assertMatchesSpec('get-product', got);
      assert.equal(got.body.data.type, 'custom');
      const defaultList = await t().request('GET', `/products?id=${productId}`);
      assert.deepEqual(defaultList.body.data, [], 'custom products are not listed by default');
    });

    it('rolls the custom entities back when the transaction fails', async () => {
      const before = { rows: await customRows(), events: (await eventTypes()).length };
      const unknownPrice = await t().request('POST', '/transactions', {
        body: {
          items: [
            { price: customPrice({ product: { name: 'Gone', tax_category: 'standard' } }), quantity: 1 },
            { price_id: 'pri_01h8441jn5pcwrfhwh78jqt8hk', quantity: 1 },
          ],
        },
      });
      assertPaddleError(unknownPrice, 404, 'not_found');
      const badQuantity = await t().request('POST', '/transactions', {
        body: {
          items: [{ price: customPrice({ product: { name: 'Gone too', tax_category: 'standard' } }), quantity: 101 }],
        },
      });
      assertPaddleError(badQuantity, 400, 'invalid_field');
      assert.equal(badQuantity.body.error.errors[0].field, 'items[0].quantity');
      const { customer } = await aBuyer(t());
      const afterBuyer = (await eventTypes()).length;
      const manual = await t().request('POST', '/transactions', {
        body: {
          items: [{ price: customPrice({ product: { name: 'Gone three', tax_category: 'standard' } }), quantity: 1 }],
          customer_id: customer.id,
          collection_mode: 'manual',
        },
      });
      assertPaddleError(manual, 400, 'transaction_billing_details_object_required');
      assert.deepEqual(await customRows(), before.rows, 'no custom product or price survives a failed request');
      assert.equal((await eventTypes()).length, afterBuyer, 'and no event');
      assert.equal(afterBuyer - before.events, 2, 'only the buyer builder wrote events');
    });

    it('reports field errors of a non-catalog price under its item', async () => {
      const product = await aProduct(t());
      const amount = await t().request('POST', '/transactions', {
        body: {
          items: [
            {
              price: customPrice({ product_id: product.id, unit_price: { amount: '12.50', currency_code: 'USD' } }),
              quantity: 1,
            },
          ],
        },
      });
      assertPaddleError(amount, 400, 'invalid_field');
      assert.ok(
        amount.body.error.errors.some((e: any) => e.field.startsWith('items[0].price.unit_price')),
        amount.text,
      );
      const trial = await t().request('POST', '/transactions', {
        body: {
          items: [
            {
              price: customPrice({ product_id: product.id, trial_period: { interval: 'day', frequency: 7 } }),
              quantity: 1,
            },
          ],
        },
      });
      assertPaddleError(trial, 400, 'price_trial_period_requires_billing_cycle');
      assertPaddleError(
        await t().request('POST', '/transactions', {
          body: { items: [{ price: customPrice({ product_id: 'pro_01h8441jn5pcwrfhwh78jqt8hk' }), quantity: 1 }] },
        }),
        404,
        'not_found',
      );
      const archived = await aProduct(t());
      await t().request('PATCH', `/products/${archived.id}`, { body: { status: 'archived' } });
      assertPaddleError(
        await t().request('POST', '/transactions', {
          body: { items: [{ price: customPrice({ product_id: archived.id }), quantity: 1 }] },
        }),
        400,
        'entity_archived',
      );
      const currency = await t().request('POST', '/transactions', {
        body: { items: [{ price: customPrice({ product_id: product.id }), quantity: 1 }], currency_code: 'EUR' },
      });
      assertPaddleError(currency, 400, 'invalid_field');
      assert.equal(currency.body.error.errors[0].field, 'items[0].price');
      const both = await t().request('POST', '/transactions', {
        body: {
          items: [
            {
              price: customPrice({ product_id: product.id, product: { name: 'X', tax_category: 'standard' } }),
              quantity: 1,
            },
          ],
        },
      });
      assertPaddleError(both, 400, 'invalid_field');
    });

    it('updates a draft with non-catalog items in the same database transaction', async () => {
      const catalog = await aPrice(t());
      const draft = await aTransaction(t(), { items: [{ price_id: catalog.id, quantity: 1 }] });
      const before = (await eventTypes()).length;
      const res = await t().request('PATCH', `/transactions/${draft.id}`, {
        body: {
          items: [
            { price_id: catalog.id, quantity: 1 },
            { price: customPrice({ product: { name: 'Add-on', tax_category: 'standard' } }), quantity: 1 },
          ],
        },
      });
      assertMatchesSpec('update-transaction', res);
      assert.equal(res.body.data.items.length, 2);
      assert.equal(res.body.data.items[1].price.type, 'custom');
      assert.equal(res.body.data.details.totals.subtotal, '6000');
      assert.deepEqual((await eventTypes()).slice(before), ['product.created', 'price.created', 'transaction.updated']);
      const rows = await customRows();
      const billed = await t().request('PATCH', `/transactions/${draft.id}`, { body: { status: 'billed' } });
      assertPaddleError(billed, 400, 'transaction_status_must_be_ready');
      const refused = await t().request('PATCH', `/transactions/${draft.id}`, {
        body: {
          items: [{ price: customPrice({ product: { name: 'Never', tax_category: 'standard' } }), quantity: 1 }],
          customer_id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk',
        },
      });
      assertPaddleError(refused, 404, 'not_found');
      assert.deepEqual(await customRows(), rows, 'a refused update leaves no custom entity');
    });
  });

  describe('official Node SDK', () => {
    it('creates a transaction with a non-catalog price and product', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const txn = await paddle.transactions.create({
        items: [
          {
            quantity: 1,
            price: {
              description: 'One-off',
              unitPrice: { amount: '2500', currencyCode: 'USD' },
              product: { name: 'Custom work', taxCategory: 'standard' },
            },
          },
        ],
      });
      assert.equal(txn.items[0]?.price?.type, 'custom');
      assert.equal(txn.details?.lineItems[0]?.product?.type, 'custom');
      assert.equal(txn.details?.totals?.subtotal, '2500');
    });
  });
});
