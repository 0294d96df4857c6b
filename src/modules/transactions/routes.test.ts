import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import {
  aBuyer,
  aBusiness,
  aCustomer,
  aPrice,
  aProduct,
  aTransaction,
  MONTHLY,
} from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);
const MANUAL = {
  enable_checkout: false,
  purchase_order_number: 'PO-1',
  payment_terms: { interval: 'day', frequency: 14 },
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function eventTypesFor(id: string): Promise<string[]> {
    return (await recordedEvents(t(), { entityId: id })).map((event) => event.type);
  }

  describe('create and get', () => {
    it('creates a draft without a customer, with totals and a hosted checkout link', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' } });
      const res = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 2 }] },
      });
      assertMatchesSpec('create-transaction', res);
      const txn = res.body.data;
      assert.match(txn.id, /^txn_[a-z\d]{26}$/);
      assert.equal(txn.status, 'draft');
      assert.equal(txn.origin, 'api');
      assert.equal(txn.collection_mode, 'automatic');
      assert.equal(txn.currency_code, 'USD');
      assert.deepEqual(
        txn.items.map((i: any) => [i.price_id, i.quantity, i.price.id]),
        [[price.id, 2, price.id]],
      );
      assert.equal(txn.details.totals.subtotal, '2000');
      assert.deepEqual(txn.payments, []);
      assert.equal(txn.checkout.url, `${t().baseUrl}/checkout/${await portalId()}?_ptxn=${txn.id}`);
      assert.deepEqual(await eventTypesFor(txn.id), ['transaction.created']);
      const got = await t().request('GET', `/transactions/${txn.id}`);
      assertMatchesSpec('get-transaction', got);
      assert.deepEqual(got.body.data, txn);
    });

    it('is ready with a customer and address, taxed for the address country', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' }, tax_mode: 'external' });
      const { customer, address } = await aBuyer(t(), 'GB');
      const res = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 2 }], customer_id: customer.id, address_id: address.id },
      });
      assertMatchesSpec('create-transaction', res);
      const txn = res.body.data;
      assert.equal(txn.status, 'ready');
      const line = txn.details.line_items[0];
      assert.match(line.id, /^txnitm_[a-z\d]{26}$/);
      assert.equal(line.tax_rate, '0.2');
      assert.deepEqual(line.unit_totals, { subtotal: '1000', discount: '0', tax: '200', total: '1200' });
      assert.deepEqual(line.totals, { subtotal: '2000', discount: '0', tax: '400', total: '2400' });
      assert.equal(line.product.id, price.product_id);
      const totals = txn.details.totals;
      assert.deepEqual(
        [totals.subtotal, totals.discount, totals.tax, totals.total, totals.credit, totals.balance, totals.grand_total],
        ['2000', '0', '400', '2400', '0', '2400', '2400'],
      );
      assert.deepEqual(txn.details.tax_rates_used, [
        { tax_rate: '0.2', totals: { subtotal: '2000', discount: '0', tax: '400', total: '2400' } },
      ]);
      assert.deepEqual(await eventTypesFor(txn.id), ['transaction.created', 'transaction.ready']);
    });

    it('takes tax out of tax-inclusive prices', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1200', currency_code: 'EUR' }, tax_mode: 'internal' });
      const { customer, address } = await aBuyer(t(), 'DE');
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      assert.equal(txn.details.line_items[0].tax_rate, '0.19');
      assert.deepEqual(txn.details.line_items[0].totals, {
        subtotal: '1008',
        discount: '0',
        tax: '192',
        total: '1200',
      });
    });

    it('answers includes with the permission they need', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const business = await aBusiness(t(), customer.id);
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        business_id: business.id,
      });
      const res = await t().request(
        'GET',
        `/transactions/${txn.id}?include=customer,address,business,available_payment_methods,adjustments,adjustments_totals`,
      );
      assertMatchesSpec('get-transaction', res);
      assert.equal(res.body.data.customer.id, customer.id);
      assert.equal(res.body.data.address.id, address.id);
      assert.equal(res.body.data.business.id, business.id);
      assert.deepEqual(res.body.data.available_payment_methods, ['card']);
      assert.deepEqual(res.body.data.adjustments, []);
      const narrow = await t().createKey('sandbox', ['transaction.read']);
      assertPaddleError(
        await t().request('GET', `/transactions/${txn.id}?include=customer`, { key: narrow }),
        403,
        'forbidden',
      );
    });

    it('answers include=adjustment, the spelling the official SDKs send, as include=adjustments', async () => {
      const price = await aPrice(t());
      const txn = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const plural = await t().request('GET', `/transactions/${txn.id}?include=adjustments`);
      const singular = await t().request('GET', `/transactions/${txn.id}?include=adjustment,adjustments`);
      assertMatchesSpec('get-transaction', singular);
      assert.deepEqual(singular.body.data, plural.body.data);
      assert.deepEqual(singular.body.data.adjustments, []);
      const listed = await t().request('GET', `/transactions?id=${txn.id}&include=adjustment`);
      assertMatchesSpec('list-transactions', listed);
      assert.deepEqual(listed.body.data[0].adjustments, []);
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const viaSdk = await paddle.transactions.get(txn.id, { include: ['adjustment'] });
      assert.deepEqual(viaSdk.adjustments, []);
      assertPaddleError(await t().request('GET', `/transactions/${txn.id}?include=adjustmentz`), 400, 'invalid_field');
    });

    it('refuses unknown prices, foreign addresses, bad quantities and manual invoices without billing details', async () => {
      const price = await aPrice(t());
      const a = await aBuyer(t());
      const b = await aBuyer(t());
      assertPaddleError(
        await t().request('POST', '/transactions', {
          body: { items: [{ price_id: 'pri_01h8441jn5pcwrfhwh78jqt8hk', quantity: 1 }] },
        }),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('POST', '/transactions', {
          body: { items: [{ price_id: price.id, quantity: 1 }], customer_id: a.customer.id, address_id: b.address.id },
        }),
        404,
        'not_found',
      );
      const quantity = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 101 }] },
      });
      assertPaddleError(quantity, 400, 'invalid_field');
      assert.equal(quantity.body.error.errors[0].field, 'items[0].quantity');
      assertPaddleError(await t().request('POST', '/transactions', { body: { items: [] } }), 400, 'invalid_field');
      const unknown = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 1 }], colour: 'red' },
      });
      assertPaddleError(unknown, 400, 'invalid_field');
      assert.deepEqual(unknown.body.error.errors, [{ field: 'colour', message: 'property is not allowed' }]);
      const manual = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 1 }], collection_mode: 'manual' },
      });
      assertPaddleError(manual, 400, 'transaction_billing_details_object_required');
      const count = await t()
        .db.selectFrom('transactions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const events = await recordedEvents(t(), { type: 'transaction.created' });
      assert.equal(
        Number(count.n),
        events.length,
        'no half-written transaction: every row has its event, every refusal wrote neither',
      );
    });

    it('answers billing details whole: enable_checkout false and additional_information null when not given', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' } });
      const buyer = await aBuyer(t(), 'US');
      const created = await t().request('POST', '/transactions', {
        body: {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: buyer.customer.id,
          address_id: buyer.address.id,
          collection_mode: 'manual',
          billing_details: { payment_terms: { interval: 'day', frequency: 30 } },
        },
      });
      assertMatchesSpec('create-transaction', created);
      assert.deepEqual(created.body.data.billing_details, {
        enable_checkout: false,
        additional_information: null,
        payment_terms: { interval: 'day', frequency: 30 },
      });
    });
  });

  describe('status changes', () => {
    async function readyManual() {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      return aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        collection_mode: 'manual',
        billing_details: MANUAL,
      });
    }

    it('keeps the stored payment terms when an update gives billing details without them', async () => {
      const txn = await readyManual();
      const updated = await t().request('PATCH', `/transactions/${txn.id}`, {
        body: { billing_details: { purchase_order_number: 'PO-2' } },
      });
      assertMatchesSpec('update-transaction', updated);
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.data.billing_details.purchase_order_number, 'PO-2');
      assert.deepEqual(updated.body.data.billing_details.payment_terms, MANUAL.payment_terms);
      const automatic = await aTransaction(t(), {
        items: txn.items.map((i: { price_id: string }) => ({ price_id: i.price_id, quantity: 1 })),
      });
      const refused = await t().request('PATCH', `/transactions/${automatic.id}`, {
        body: { billing_details: { purchase_order_number: 'PO-3' } },
      });
      assertPaddleError(refused, 400, 'transaction_payment_terms_object_required');
    });

    it('bills a ready transaction: invoice number, billed_at, then it is immutable', async () => {
      const txn = await readyManual();
      assert.equal(txn.status, 'ready');
      assert.equal(txn.checkout, null);
      const billed = await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'billed' } });
      assertMatchesSpec('update-transaction', billed);
      assert.equal(billed.body.data.status, 'billed');
      assert.match(billed.body.data.invoice_number, /^\d{4}-\d{5}$/);
      assert.ok(billed.body.data.billed_at);
      assert.deepEqual(await eventTypesFor(txn.id), [
        'transaction.created',
        'transaction.ready',
        'transaction.updated',
        'transaction.billed',
      ]);
      assertPaddleError(
        await t().request('PATCH', `/transactions/${txn.id}`, { body: { custom_data: { a: 1 } } }),
        400,
        'transaction_immutable',
      );
      const canceled = await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'canceled' } });
      assert.equal(canceled.body.data.status, 'canceled');
      assert.deepEqual((await eventTypesFor(txn.id)).slice(-2), ['transaction.updated', 'transaction.canceled']);
      assertPaddleError(
        await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'billed' } }),
        400,
        'transaction_invalid_status_change',
      );
    });

    it('gives invoice numbers in sequence and creates billed transactions directly', async () => {
      const first = await readyManual();
      const billedFirst = await t().request('PATCH', `/transactions/${first.id}`, { body: { status: 'billed' } });
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const direct = await t().request('POST', '/transactions', {
        body: {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: address.id,
          collection_mode: 'manual',
          billing_details: MANUAL,
          status: 'billed',
        },
      });
      assertMatchesSpec('create-transaction', direct);
      assert.equal(direct.body.data.status, 'billed');
      const [, a] = billedFirst.body.data.invoice_number.split('-');
      const [, b] = direct.body.data.invoice_number.split('-');
      assert.equal(Number(b), Number(a) + 1);
      assert.deepEqual(await eventTypesFor(direct.body.data.id), [
        'transaction.created',
        'transaction.ready',
        'transaction.billed',
      ]);
    });

    it('refuses what Paddle refuses', async () => {
      const price = await aPrice(t());
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      assertPaddleError(
        await t().request('PATCH', `/transactions/${draft.id}`, { body: { status: 'billed' } }),
        400,
        'transaction_status_must_be_ready',
      );
      assertPaddleError(
        await t().request('PATCH', `/transactions/${draft.id}`, { body: { status: 'canceled' } }),
        400,
        'transaction_invalid_status_change',
      );
      assertPaddleError(
        await t().request('PATCH', `/transactions/${draft.id}`, { body: { status: 'completed' } }),
        400,
        'transaction_invalid_status_change',
      );
      assertPaddleError(
        await t().request('PATCH', `/transactions/${draft.id}`, { body: { status: 'paid' } }),
        400,
        'transaction_invalid_status_change',
      );
      const ready = await readyManual();
      assertPaddleError(
        await t().request('PATCH', `/transactions/${ready.id}`, { body: { status: 'past_due' } }),
        400,
        'transaction_invalid_status_change',
      );
    });

    it('updates a draft into ready and reprices it', async () => {
      const price = await aPrice(t());
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const { customer, address } = await aBuyer(t(), 'FR');
      const res = await t().request('PATCH', `/transactions/${draft.id}`, {
        body: { customer_id: customer.id, address_id: address.id, items: [{ price_id: price.id, quantity: 3 }] },
      });
      assertMatchesSpec('update-transaction', res);
      assert.equal(res.body.data.status, 'ready');
      assert.equal(res.body.data.details.totals.subtotal, '3000');
      assert.equal(res.body.data.details.totals.tax, '600');
      assert.deepEqual(await eventTypesFor(draft.id), [
        'transaction.created',
        'transaction.updated',
        'transaction.ready',
      ]);
    });
  });

  describe('list', () => {
    it('filters by status, customer, subscription_id=null, dates and pages 30 at most', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const ready = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id });
      const list = await t().request('GET', `/transactions?customer_id=${customer.id}`);
      assertMatchesSpec('list-transactions', list);
      assert.deepEqual(ids(list), [draft.id, ready.id]);
      assert.deepEqual(ids(await t().request('GET', `/transactions?customer_id=${customer.id}&status=ready`)), [
        ready.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/transactions?customer_id=${customer.id}&subscription_id=null`)), [
        draft.id,
        ready.id,
      ]);
      const after = encodeURIComponent(ready.created_at);
      assert.deepEqual(
        ids(await t().request('GET', `/transactions?customer_id=${customer.id}&created_at[GT]=${after}`)),
        [draft.id],
      );
      assert.deepEqual(
        ids(await t().request('GET', `/transactions?customer_id=${customer.id}&created_at[LTE]=${after}`)),
        [ready.id],
      );
      assertPaddleError(await t().request('GET', '/transactions?created_at[GT]=yesterday'), 400, 'invalid_field');
      const clamped = await t().request('GET', '/transactions?per_page=500');
      assert.equal(clamped.body.meta.pagination.per_page, 30);
      const withInclude = await t().request('GET', `/transactions?customer_id=${customer.id}&include=customer`);
      assertMatchesSpec('list-transactions', withInclude);
      assert.equal(withInclude.body.data[0].customer.id, customer.id);
    });
  });

  describe('auth and isolation', () => {
    it('needs transaction permissions and keeps tenants apart', async () => {
      const price = await aPrice(t());
      const txn = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const readOnly = await t().createKey('sandbox', ['transaction.read']);
      assertPaddleError(
        await t().request('POST', '/transactions', {
          key: readOnly,
          body: { items: [{ price_id: price.id, quantity: 1 }] },
        }),
        403,
        'forbidden',
      );
      assertPaddleError(await t().request('GET', `/transactions/${txn.id}`, { key: t().keys.live }), 404, 'not_found');
      assertPaddleError(
        await t().request('POST', '/transactions', {
          key: t().keys.live,
          body: { items: [{ price_id: price.id, quantity: 1 }] },
        }),
        404,
        'not_found',
      );
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates and lists transactions', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const product = await aProduct(t());
      const price = await aPrice(t(), { product_id: product.id, billing_cycle: MONTHLY });
      const customer = await aCustomer(t());
      const created = await paddle.transactions.create({
        items: [{ priceId: price.id, quantity: 1 }],
        customerId: customer.id,
      });
      assert.equal(created.status, 'draft');
      const got = await paddle.transactions.get(created.id, { include: ['customer'] });
      assert.equal(got.customer?.id, customer.id);
      const updated = await paddle.transactions.update(created.id, { customData: { order: 42 } });
      assert.deepEqual(updated.customData, { order: 42 });
      const seen: string[] = [];
      for await (const txn of paddle.transactions.list({ customerId: [customer.id] })) seen.push(txn.id);
      assert.deepEqual(seen, [created.id]);
    });
  });

  async function portalId(): Promise<string> {
    const row = await t()
      .db.selectFrom('seller_environments')
      .select('portal_id')
      .where('environment', '=', 'sandbox')
      .where('seller_id', '=', 'sel_default')
      .executeTakeFirstOrThrow();
    return row.portal_id;
  }
});
