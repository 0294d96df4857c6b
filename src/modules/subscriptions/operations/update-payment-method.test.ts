// `GET /subscriptions/{id}/update-payment-method-transaction`: a zero-value `ready` transaction for an active
// subscription, the latest past-due one for a past-due subscription; paying either through checkout makes the new
// card the subscription's payment method, and paying the past-due one brings the subscription back. Clock-moving
// tests use a seller of their own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../../test/support/contract.js';
import {
  advanceClock,
  eventTypesFor,
  paymentMethodIdOf,
  portalRow,
  subscribe,
  subscribeManually,
} from '../../../../test/support/portal.js';

const DECLINES_LATER = '4000002760003184';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  const get = (subscriptionId: string, key?: string) =>
    t().request('GET', `/subscriptions/${subscriptionId}/update-payment-method-transaction`, key ? { key } : {});
  const pay = (transactionId: string, card: string, key?: string) =>
    t().request('POST', `/test-helpers/transactions/${transactionId}/pay`, {
      body: { card_number: card },
      ...(key ? { key } : {}),
    });

  describe('active subscription', () => {
    it('answers a new zero-value ready transaction for the subscription’s items, with a checkout link', async () => {
      const { sub, customer, address, price } = await subscribe(t());
      const res = await get(sub.id);
      assertMatchesSpec('get-subscription-update-payment-method-transaction', res);
      const txn = res.body.data;
      assert.match(txn.id, /^txn_[a-z\d]{26}$/);
      assert.equal(txn.status, 'ready');
      assert.equal(txn.origin, 'subscription_payment_method_change');
      assert.equal(txn.collection_mode, 'automatic');
      assert.equal(txn.subscription_id, sub.id);
      assert.equal(txn.customer_id, customer.id);
      assert.equal(txn.address_id, address.id);
      assert.equal(txn.currency_code, sub.currency_code);
      assert.equal(txn.invoice_id, null);
      assert.equal(txn.invoice_number, null);
      assert.equal(txn.billed_at, null);
      assert.deepEqual(txn.billing_period, {
        starts_at: sub.current_billing_period.starts_at,
        ends_at: sub.current_billing_period.starts_at,
      });
      assert.deepEqual(
        txn.items.map((item: any) => [item.price.id, item.quantity, item.proration]),
        [[price.id, 1, { rate: '0', billing_period: sub.current_billing_period }]],
      );
      assert.equal(txn.details.totals.total, '0');
      assert.equal(txn.details.totals.grand_total, '0');
      assert.equal(txn.details.line_items[0].totals.total, '0');
      assert.deepEqual(txn.payments, []);
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      assert.equal(txn.checkout.url, `${t().baseUrl}/checkout/${cpl}?_ptxn=${txn.id}`);
      // The key reads customers and addresses: Paddle adds them, and the payment methods checkout offers.
      assert.equal(txn.customer.id, customer.id);
      assert.equal(txn.address.id, address.id);
      assert.deepEqual(txn.available_payment_methods, ['card']);
      assert.deepEqual(await eventTypesFor(t(), txn.id), ['transaction.created', 'transaction.ready']);

      // Every call makes a new one, as Paddle does.
      const again = await get(sub.id);
      assertMatchesSpec('get-subscription-update-payment-method-transaction', again);
      assert.notEqual(again.body.data.id, txn.id);
    });

    it('leaves out what the key may not read', async () => {
      const { sub } = await subscribe(t());
      const key = await t().createKey('sandbox', ['transaction.write']);
      const res = await get(sub.id, key);
      assertMatchesSpec('get-subscription-update-payment-method-transaction', res);
      assert.equal('customer' in res.body.data, false);
      assert.equal('address' in res.body.data, false);
      assert.deepEqual(res.body.data.available_payment_methods, ['card']);
    });

    it('paying it in checkout saves the card and makes it the subscription’s payment method', async () => {
      const seller = await t().createSeller('sel_upm_active');
      const key = seller.sandbox;
      const { sub, customer } = await subscribe(t(), { key, card: DECLINES_LATER });
      const before = await paymentMethodIdOf(t(), sub.id);
      const txn = (await get(sub.id, key)).body.data;
      const paid = await pay(txn.id, '4242424242424242', key);
      assert.equal(paid.status, 200, paid.text);
      assert.equal(paid.body.data.status, 'completed');
      const after = await paymentMethodIdOf(t(), sub.id);
      assert.notEqual(after, before);
      const methods = await t().request('GET', `/customers/${customer.id}/payment-methods`, { key });
      const saved = methods.body.data.find((method: any) => method.id === after);
      assert.equal(saved.card.last4, '4242');
      // The renewal is charged to the new card: the old one would have declined it.
      await advanceClock(t(), { to: sub.next_billed_at }, key);
      const renewed = await t().request('GET', `/subscriptions/${sub.id}`, { key });
      assert.equal(renewed.body.data.status, 'active');
      assert.notEqual(renewed.body.data.next_billed_at, sub.next_billed_at);
    });
  });

  describe('past-due subscription', () => {
    it('answers the latest past-due transaction; paying it with a new card recovers the subscription', async () => {
      const seller = await t().createSeller('sel_upm_past_due');
      const key = seller.sandbox;
      const { sub } = await subscribe(t(), { key, card: DECLINES_LATER });
      await advanceClock(t(), { to: sub.next_billed_at }, key);
      const pastDue = (await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data;
      assert.equal(pastDue.status, 'past_due');
      const overdue = (await t().request('GET', `/transactions?subscription_id=${sub.id}&status=past_due`, { key }))
        .body.data;
      assert.equal(overdue.length, 1);

      const res = await get(sub.id, key);
      assertMatchesSpec('get-subscription-update-payment-method-transaction', res);
      assert.equal(res.body.data.id, overdue[0].id);
      assert.equal(res.body.data.status, 'past_due');
      assert.equal(res.body.data.origin, 'subscription_recurring');
      assert.notEqual(res.body.data.details.totals.grand_total, '0');

      const before = await paymentMethodIdOf(t(), sub.id);
      const paid = await pay(res.body.data.id, '4242424242424242', key);
      assert.equal(paid.body.data.status, 'completed', paid.text);
      const recovered = (await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data;
      assert.equal(recovered.status, 'active');
      assert.notEqual(await paymentMethodIdOf(t(), sub.id), before);
      const types = await eventTypesFor(t(), sub.id);
      assert.deepEqual(types.slice(-3), ['subscription.updated', 'subscription.past_due', 'subscription.updated']);
      // No more retries: the next renewal is charged to the new card.
      await advanceClock(t(), { to: recovered.next_billed_at }, key);
      assert.equal((await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data.status, 'active');
    });
  });

  describe('refusals', () => {
    it('refuses manually-collected, paused and canceled subscriptions with Paddle’s codes', async () => {
      const manual = await subscribeManually(t());
      assertPaddleError(await get(manual.sub.id), 400, 'subscription_not_automatic_collection');
      const paused = await subscribe(t());
      await t().request('POST', `/subscriptions/${paused.sub.id}/pause`, { body: { effective_from: 'immediately' } });
      assertPaddleError(await get(paused.sub.id), 400, 'subscription_is_inactive_action_invalid');
      const canceled = await subscribe(t());
      await t().request('POST', `/subscriptions/${canceled.sub.id}/cancel`, {
        body: { effective_from: 'immediately' },
      });
      assertPaddleError(await get(canceled.sub.id), 400, 'subscription_is_canceled_action_invalid');
    });

    it('answers 404 for unknown subscriptions and other tenants’, 403 without transaction.write', async () => {
      assertPaddleError(await get('sub_01h04vsc0qhwtsbsxh3422wjs4'), 404, 'not_found');
      const { sub } = await subscribe(t());
      assertPaddleError(await get(sub.id, t().keys.live), 404, 'not_found');
      const other = await t().createSeller('sel_upm_other');
      assertPaddleError(await get(sub.id, other.sandbox), 404, 'not_found');
      const readOnly = await t().createKey('sandbox', ['transaction.read', 'subscription.write', 'customer.write']);
      assertPaddleError(await get(sub.id, readOnly), 403, 'forbidden');
    });
  });
});
