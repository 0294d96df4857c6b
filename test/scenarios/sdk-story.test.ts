// The subscription story told through the official Node SDK, as an integrator would write it: catalog,
// customer, a checkout paid (by the pay test helper, the one step the SDK cannot do), then the subscription
// read, updated, canceled at the period end, the cancel taken back, paused, resumed and canceled now.
// Assertions are on the SDK's parsed (camelCase) objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../support/app.js';
import { Temporal } from '../../src/kernel/time.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('official Node SDK', () => {
    it('buys a subscription and manages it from start to cancellation', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });

      const product = await paddle.products.create({ name: 'ChatApp Team', taxCategory: 'standard' });
      const price = await paddle.prices.create({
        productId: product.id,
        description: 'Monthly seat',
        unitPrice: { amount: '1500', currencyCode: 'EUR' },
        billingCycle: { interval: 'month', frequency: 1 },
        taxMode: 'account_setting',
      });
      const customer = await paddle.customers.create({ email: 'sdk-story@example.com', name: 'Ada' });
      const address = await paddle.addresses.create(customer.id, { countryCode: 'DE', postalCode: '10115' });
      const txn = await paddle.transactions.create({
        items: [{ priceId: price.id, quantity: 3 }],
        customerId: customer.id,
        addressId: address.id,
        customData: { team: 'blue' },
      });
      assert.equal(txn.status, 'ready');

      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
        body: { card_number: '4000 0566 5566 5556' },
      });
      assert.equal(paid.status, 200, paid.text);
      const completed = await paddle.transactions.get(txn.id);
      assert.equal(completed.status, 'completed');
      const subscriptionId = completed.subscriptionId!;
      assert.match(subscriptionId, /^sub_[a-z\d]{26}$/);

      const sub = await paddle.subscriptions.get(subscriptionId);
      assert.equal(sub.status, 'active');
      assert.equal(sub.customerId, customer.id);
      assert.equal(sub.addressId, address.id);
      assert.equal(sub.currencyCode, 'EUR');
      assert.equal(sub.collectionMode, 'automatic');
      assert.deepEqual({ ...sub.billingCycle }, { interval: 'month', frequency: 1 });
      assert.equal(sub.firstBilledAt, sub.startedAt);
      assert.equal(sub.currentBillingPeriod?.startsAt, sub.startedAt);
      assert.equal(sub.currentBillingPeriod?.endsAt, sub.nextBilledAt);
      assert.deepEqual(sub.customData, { team: 'blue' });
      assert.equal(sub.scheduledChange, null);
      assert.equal(sub.items.length, 1);
      assert.equal(sub.items[0]!.quantity, 3);
      assert.equal(sub.items[0]!.status, 'active');
      assert.equal(sub.items[0]!.price?.id, price.id);
      assert.equal(sub.items[0]!.price?.unitPrice.amount, '1500');
      assert.equal(sub.items[0]!.product?.name, 'ChatApp Team');
      assert.match(
        sub.managementUrls?.cancel ?? '',
        new RegExp(
          `/sandbox-customer-portal/cpl_[a-z\\d]{26}\\?action=cancel_subscription&subscription_id=${subscriptionId}&token=pga_`,
        ),
      );
      assert.match(sub.managementUrls?.updatePaymentMethod ?? '', /action=update_subscription_payment_method/);

      const listed = await paddle.subscriptions.list({ customerId: [customer.id] }).next();
      assert.deepEqual(
        listed.map((s) => s.id),
        [subscriptionId],
      );

      const updated = await paddle.subscriptions.update(subscriptionId, { customData: { team: 'green', seats: 3 } });
      assert.deepEqual(updated.customData, { team: 'green', seats: 3 });
      assert.equal(updated.status, 'active');

      const scheduled = await paddle.subscriptions.cancel(subscriptionId, { effectiveFrom: 'next_billing_period' });
      assert.equal(scheduled.status, 'active');
      assert.equal(scheduled.scheduledChange?.action, 'cancel');
      assert.equal(scheduled.scheduledChange?.effectiveAt, sub.nextBilledAt);
      assert.equal(scheduled.scheduledChange?.resumeAt, null);
      assert.equal(scheduled.nextBilledAt, null);

      const kept = await paddle.subscriptions.update(subscriptionId, { scheduledChange: null });
      assert.equal(kept.scheduledChange, null);
      assert.equal(kept.nextBilledAt, sub.nextBilledAt);
      assert.deepEqual(kept.customData, { team: 'green', seats: 3 });

      const paused = await paddle.subscriptions.pause(subscriptionId, { effectiveFrom: 'immediately' });
      assert.equal(paused.status, 'paused');
      assert.ok(paused.pausedAt);
      assert.equal(paused.nextBilledAt, null);
      assert.equal(paused.items[0]!.status, 'inactive');

      const resumed = await paddle.subscriptions.resume(subscriptionId, { effectiveFrom: 'immediately' });
      assert.equal(resumed.status, 'active');
      assert.equal(resumed.pausedAt, null);
      assert.ok(resumed.nextBilledAt);
      assert.equal(resumed.currentBillingPeriod?.endsAt, resumed.nextBilledAt);
      assert.equal(resumed.items[0]!.status, 'active');
      // Resuming into a new period charged the saved card.
      const renewals = await paddle.transactions
        .list({ subscriptionId: [subscriptionId], origin: ['subscription_recurring'] })
        .next();
      assert.equal(renewals.length, 1);
      assert.equal(renewals[0]!.status, 'completed');
      // @NOTE compared as instants: transactions send billing_period untrimmed (see the report).
      assert.equal(
        Temporal.Instant.compare(renewals[0]!.billingPeriod!.startsAt, resumed.currentBillingPeriod!.startsAt),
        0,
      );

      const canceled = await paddle.subscriptions.cancel(subscriptionId, { effectiveFrom: 'immediately' });
      assert.equal(canceled.status, 'canceled');
      assert.ok(canceled.canceledAt);
      assert.equal(canceled.nextBilledAt, null);
      assert.equal(canceled.currentBillingPeriod, null);

      // A canceled subscription answers Paddle's error through the SDK.
      await assert.rejects(
        () => paddle.subscriptions.pause(subscriptionId, { effectiveFrom: 'immediately' }),
        (error: { code?: string; type?: string }) =>
          error.code === 'subscription_is_canceled_action_invalid' && error.type === 'request_error',
      );
      await assert.rejects(
        () => paddle.subscriptions.get('sub_01h8441jn5pcwrfhwh78jqt8hk'),
        (error: { code?: string }) => error.code === 'not_found',
      );
    });
  });
});
