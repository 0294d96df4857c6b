import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, anAddress, aPrice, aTransaction, MONTHLY } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  /** Pays a transaction for the customer at `addressId` through the pay helper; answers the saved method's id. */
  async function savedMethod(
    customerId: string,
    addressId: string,
    card = '4242424242424242',
    key?: string,
    priceBody: Record<string, unknown> = {},
  ): Promise<string> {
    const price = await aPrice(t(), priceBody, key);
    const txn = await aTransaction(
      t(),
      { items: [{ price_id: price.id, quantity: 1 }], customer_id: customerId, address_id: addressId },
      key,
    );
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
      body: { card_number: card },
      ...(key ? { key } : {}),
    });
    assert.equal(paid.body?.data?.status, 'completed', paid.text);
    return paid.body.data.payments[0].payment_method_id;
  }

  async function eventsFor(id: string) {
    return recordedEvents(t(), { entityId: id });
  }

  describe('GET /customers/{id}/payment-methods', () => {
    it('lists the methods a customer saved, newest first, with filters', async () => {
      const { customer, address } = await aBuyer(t(), 'US');
      const empty = await t().request('GET', `/customers/${customer.id}/payment-methods`);
      assertMatchesSpec('list-customer-payment-methods', empty);
      assert.deepEqual(empty.body.data, []);

      const first = await savedMethod(customer.id, address.id);
      const second = await anAddress(t(), customer.id, { country_code: 'DE', postal_code: '10115' });
      const mastercard = await savedMethod(customer.id, second.id, '4000002760003184');
      const list = await t().request('GET', `/customers/${customer.id}/payment-methods`);
      assertMatchesSpec('list-customer-payment-methods', list);
      assert.deepEqual(ids(list), [mastercard, first]);
      const entity = list.body.data[1];
      assert.deepEqual(entity, {
        id: first,
        customer_id: customer.id,
        address_id: address.id,
        type: 'card',
        card: {
          type: 'visa',
          last4: '4242',
          expiry_month: 12,
          expiry_year: entity.card.expiry_year,
          cardholder_name: 'Sandbox Tester',
        },
        paypal: null,
        south_korea_local_card: null,
        underlying_details: null,
        origin: 'saved_during_purchase',
        saved_at: entity.saved_at,
        updated_at: entity.saved_at,
      });
      assert.ok(entity.card.expiry_year > 2000);
      assert.equal(list.body.meta.pagination.has_more, false);
      assert.equal(list.body.meta.pagination.estimated_total, 2);

      const byAddress = await t().request('GET', `/customers/${customer.id}/payment-methods?address_id=${second.id}`);
      assertMatchesSpec('list-customer-payment-methods', byAddress);
      assert.deepEqual(ids(byAddress), [mastercard]);
      assert.deepEqual(
        ids(
          await t().request('GET', `/customers/${customer.id}/payment-methods?address_id=${second.id},${address.id}`),
        ),
        [mastercard, first],
      );
      const checkout = await t().request('GET', `/customers/${customer.id}/payment-methods?supports_checkout=true`);
      assertMatchesSpec('list-customer-payment-methods', checkout);
      assert.deepEqual(ids(checkout), [mastercard, first]);
      const notCheckout = await t().request('GET', `/customers/${customer.id}/payment-methods?supports_checkout=false`);
      assertMatchesSpec('list-customer-payment-methods', notCheckout);
      assert.deepEqual(notCheckout.body.data, []);
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods?supports_checkout=maybe`),
        400,
        'invalid_field',
      );

      const page = await t().request('GET', `/customers/${customer.id}/payment-methods?per_page=1`);
      assertMatchesSpec('list-customer-payment-methods', page);
      assert.deepEqual(ids(page), [mastercard]);
      assert.equal(page.body.meta.pagination.has_more, true);
      const next = new URL(page.body.meta.pagination.next);
      const rest = await t().request('GET', `${next.pathname}${next.search}`);
      assert.deepEqual(ids(rest), [first]);
      const oldest = await t().request('GET', `/customers/${customer.id}/payment-methods?order_by=id[ASC]`);
      assert.deepEqual(ids(oldest), [first, mastercard]);
    });

    it('saves methods paid for subscriptions with origin subscription', async () => {
      const { customer, address } = await aBuyer(t());
      const id = await savedMethod(customer.id, address.id, '4242424242424242', undefined, { billing_cycle: MONTHLY });
      const got = await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`);
      assertMatchesSpec('get-customer-payment-method', got);
      assert.equal(got.body.data.origin, 'subscription');
    });

    it('answers 404 for an unknown customer', async () => {
      assertPaddleError(
        await t().request('GET', '/customers/ctm_01h8441jn5pcwrfhwh78jqt8hk/payment-methods'),
        404,
        'not_found',
      );
    });
  });

  describe('GET and DELETE /customers/{id}/payment-methods/{paymtd}', () => {
    it('gets a method, deletes it (204, payment_method.deleted), then it is gone', async () => {
      const { customer, address } = await aBuyer(t());
      const id = await savedMethod(customer.id, address.id);
      const got = await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`);
      assertMatchesSpec('get-customer-payment-method', got);
      assert.equal(got.body.data.id, id);
      assert.equal(got.body.data.card.last4, '4242');
      assert.deepEqual(
        (await eventsFor(id)).map((e) => e.type),
        ['payment_method.saved'],
      );
      // The webhook carries the seven fields of Paddle's payment_method.saved schema, not the card.
      const {
        card: _card,
        paypal: _paypal,
        south_korea_local_card: _korea,
        underlying_details: _u,
        ...saved
      } = got.body.data;
      assert.deepEqual((await eventsFor(id))[0]!.data, saved);
      assert.deepEqual(Object.keys(saved).sort(), [
        'address_id',
        'customer_id',
        'id',
        'origin',
        'saved_at',
        'type',
        'updated_at',
      ]);

      const deleted = await t().request('DELETE', `/customers/${customer.id}/payment-methods/${id}`);
      assertMatchesSpec('delete-customer-payment-method', deleted);
      assert.equal(deleted.status, 204);
      const events = await eventsFor(id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['payment_method.saved', 'payment_method.deleted'],
      );
      const payload = events[1]!.data;
      assert.equal(payload.customer_id, customer.id);
      assert.equal(payload.deletion_reason, 'api');
      assert.equal('card' in payload, false);

      assertPaddleError(await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`), 404, 'not_found');
      assertPaddleError(
        await t().request('DELETE', `/customers/${customer.id}/payment-methods/${id}`),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', `/customers/${customer.id}/payment-methods`)).body.data, []);
      // The payment that saved it still names it (Paddle keeps payments as they were).
      const txns = await t().request('GET', `/transactions?customer_id=${customer.id}`);
      assert.equal(txns.body.data[0].payments[0].payment_method_id, id);
    });

    it("answers 404 for another customer's method and for unknown ids", async () => {
      const a = await aBuyer(t());
      const b = await aBuyer(t());
      const id = await savedMethod(a.customer.id, a.address.id);
      assertPaddleError(
        await t().request('GET', `/customers/${b.customer.id}/payment-methods/${id}`),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('DELETE', `/customers/${b.customer.id}/payment-methods/${id}`),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${a.customer.id}/payment-methods/paymtd_01h8441jn5pcwrfhwh78jqt8hk`),
        404,
        'not_found',
      );
      assert.equal(
        (await t().request('GET', `/customers/${a.customer.id}/payment-methods/${id}`)).status,
        200,
        'still there',
      );
    });
  });

  describe('auth and isolation', () => {
    it('needs payment_method.read / payment_method.write and keeps environments and sellers apart', async () => {
      const { customer, address } = await aBuyer(t());
      const id = await savedMethod(customer.id, address.id);
      const readOnly = await t().createKey('sandbox', ['payment_method.read']);
      const customersOnly = await t().createKey('sandbox', ['customer.read', 'customer.write']);
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods`, { key: customersOnly }),
        403,
        'forbidden',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`, { key: customersOnly }),
        403,
        'forbidden',
      );
      assertMatchesSpec(
        'list-customer-payment-methods',
        await t().request('GET', `/customers/${customer.id}/payment-methods`, { key: readOnly }),
      );
      assertMatchesSpec(
        'get-customer-payment-method',
        await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`, { key: readOnly }),
      );
      assertPaddleError(
        await t().request('DELETE', `/customers/${customer.id}/payment-methods/${id}`, { key: readOnly }),
        403,
        'forbidden',
      );

      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`, { key: t().keys.live }),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('DELETE', `/customers/${customer.id}/payment-methods/${id}`, { key: t().keys.live }),
        404,
        'not_found',
      );
      const other = await t().createSeller(`sel_pm_${dialect}`);
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods`, { key: other.sandbox }),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`, { key: other.sandbox }),
        404,
        'not_found',
      );
      assert.equal((await t().request('GET', `/customers/${customer.id}/payment-methods/${id}`)).status, 200);
    });
  });

  describe('official Node SDK', () => {
    it('lists, gets and deletes payment methods', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const { customer, address } = await aBuyer(t());
      const id = await savedMethod(customer.id, address.id, '4000003800000446');
      const seen = [];
      for await (const method of paddle.paymentMethods.list(customer.id, { supportsCheckout: true })) seen.push(method);
      assert.deepEqual(
        seen.map((m) => [m.id, m.type, m.card?.last4, m.card?.type, m.origin]),
        [[id, 'card', '0446', 'visa', 'saved_during_purchase']],
      );
      const got = await paddle.paymentMethods.get(customer.id, id);
      assert.equal(got.addressId, address.id);
      assert.equal(got.card?.cardholderName, 'Sandbox Tester');
      await paddle.paymentMethods.delete(customer.id, id);
      await assert.rejects(paddle.paymentMethods.get(customer.id, id), (error: any) => error.code === 'not_found');
    });
  });
});
