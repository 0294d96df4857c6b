// Recurring discounts on the sandbox clock: a discount added to a subscription from its next billing period with
// maximum_recurring_intervals 2 discounts two renewals and leaves the third at full price; a recurring discount
// redeemed at checkout discounts the checkout and the first renewal. Subscription updates refuse what Paddle
// refuses, each with the smallest request, changing nothing. Each story has a seller (and clock) of its own.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../support/app.js';
import { aDiscount } from '../support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../support/contract.js';
import { kit, sellerAt } from '../support/subscriptions.js';
import { Temporal, toStoredTime, toWireTime } from '../../src/kernel/time.js';

const START = '2027-01-15T10:00:00Z';
/** `wire` plus `n` calendar months, in the API's form (the sandbox clock keeps running: compare with what it said). */
const months = (wire: string, n: number) =>
  toWireTime(toStoredTime(Temporal.Instant.from(wire).toZonedDateTimeISO('UTC').add({ months: n }).toInstant()));

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function story() {
    const { key } = await sellerAt(t(), START);
    return { key, k: kit(t, key) };
  }

  /** [origin, discount_id, subtotal, discount, total] of each transaction, oldest first. */
  const summary = (
    transactions: Array<{ origin: string; discount_id: string | null; details: { totals: Record<string, string> } }>,
  ) =>
    transactions.map((txn) => [
      txn.origin,
      txn.discount_id,
      txn.details.totals.subtotal,
      txn.details.totals.discount,
      txn.details.totals.total,
    ]);

  describe('a recurring discount over three renewals', () => {
    it('from the next billing period, maximum_recurring_intervals 2: discounted twice, full price after', async () => {
      const { key, k } = await story();
      const price = await k.price(4900);
      const { sub } = await k.subscribe([{ price, quantity: 1 }]);
      const discount = await aDiscount(t(), { amount: '10', recur: true, maximum_recurring_intervals: 2 }, key);
      const previewed = await k.request('PATCH', `/subscriptions/${sub.id}/preview`, {
        discount: { id: discount.id, effective_from: 'next_billing_period' },
      });
      assertMatchesSpec('preview-subscription-update', previewed);
      assert.equal(previewed.body.data.recurring_transaction_details.totals.discount, '490', 'previews show it too');
      const updated = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        discount: { id: discount.id, effective_from: 'next_billing_period' },
      });
      assertMatchesSpec('update-subscription', updated);
      assert.deepEqual(updated.body.data.discount, {
        id: discount.id,
        starts_at: sub.current_billing_period.ends_at,
        ends_at: months(sub.current_billing_period.starts_at, 3),
      });
      assert.equal((await k.request('GET', `/discounts/${discount.id}`)).body.data.times_used, 1, 'applied once');
      const next = await k.get(sub.id, 'next_transaction,recurring_transaction_details');
      assert.deepEqual(
        [next.next_transaction.details.totals.discount, next.next_transaction.details.totals.total],
        ['490', '4410'],
        'the next renewal shows the discount',
      );
      assert.deepEqual(
        [next.recurring_transaction_details.totals.discount, next.recurring_transaction_details.totals.total],
        ['490', '4410'],
        'so does the recurring transaction, as the renewal will get it',
      );
      assert.equal(next.recurring_transaction_details.line_items[0].totals.discount, '490');

      await k.advance({ to: '2027-04-15T11:00:00Z' });
      const all = await k.transactions(sub.id);
      assert.deepEqual(
        summary(all),
        [
          ['web', null, '4900', '0', '4900'],
          ['subscription_recurring', discount.id, '4900', '490', '4410'],
          ['subscription_recurring', discount.id, '4900', '490', '4410'],
          ['subscription_recurring', null, '4900', '0', '4900'],
        ].map((row, index) => (index === 0 ? [all[0].origin, ...row.slice(1)] : row)),
      );
      assert.ok(all.every((txn) => txn.status === 'completed'));
      assert.equal(
        (await k.request('GET', `/discounts/${discount.id}`)).body.data.times_used,
        1,
        'renewals are not redemptions',
      );
      const after = await k.get(sub.id);
      assert.deepEqual(after.discount, updated.body.data.discount, 'the subscription keeps its discount window');
    });

    it('redeemed at checkout: the checkout and the first renewal are discounted, then full price', async () => {
      const { key, k } = await story();
      const price = await k.price(4900);
      const discount = await aDiscount(
        t(),
        { type: 'flat', amount: '900', currency_code: 'USD', recur: true, maximum_recurring_intervals: 2 },
        key,
      );
      const customer = (await k.request('POST', '/customers', { email: `d${randomUUID()}@example.com` })).body.data;
      const address = (
        await k.request('POST', `/customers/${customer.id}/addresses`, { country_code: 'US', postal_code: '10001' })
      ).body.data;
      const txn = (
        await k.request('POST', '/transactions', {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: address.id,
          discount_id: discount.id,
        })
      ).body.data;
      const paid = await k.request('POST', `/test-helpers/transactions/${txn.id}/pay`, {});
      assert.equal(paid.status, 200, paid.text);
      const sub = await k.get(paid.body.data.subscription_id);
      assert.deepEqual(sub.discount, {
        id: discount.id,
        starts_at: sub.current_billing_period.starts_at,
        ends_at: months(sub.current_billing_period.starts_at, 2),
      });
      const recurring = (subscription: { recurring_transaction_details: { totals: Record<string, string> } }) => [
        subscription.recurring_transaction_details.totals.discount,
        subscription.recurring_transaction_details.totals.total,
      ];
      const shown = await k.request('GET', `/subscriptions/${sub.id}?include=recurring_transaction_details`);
      assertMatchesSpec('get-subscription', shown);
      assert.deepEqual(recurring(shown.body.data), ['900', '4000'], 'the first renewal is discounted');
      await k.advance({ to: '2027-02-15T11:00:00Z' });
      assert.deepEqual(
        recurring(await k.get(sub.id, 'recurring_transaction_details')),
        ['0', '4900'],
        'after the last discounted renewal, the recurring transaction is at full price',
      );
      await k.advance({ to: '2027-04-15T11:00:00Z' });
      assert.deepEqual(summary(await k.transactions(sub.id)), [
        ['api', discount.id, '4900', '900', '4000'],
        ['subscription_recurring', discount.id, '4900', '900', '4000'],
        ['subscription_recurring', null, '4900', '0', '4900'],
        ['subscription_recurring', null, '4900', '0', '4900'],
      ]);
      assert.equal((await k.request('GET', `/discounts/${discount.id}`)).body.data.times_used, 1);
    });

    it('removes the discount with null, and takes an expired discount (Paddle allows it on subscriptions)', async () => {
      const { key, k } = await story();
      const price = await k.price(4900);
      const { sub } = await k.subscribe([{ price, quantity: 1 }]);
      const expired = await aDiscount(t(), { recur: true, expires_at: '2026-01-01T00:00:00Z' }, key);
      const added = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        discount: { id: expired.id, effective_from: 'immediately' },
      });
      assertMatchesSpec('update-subscription', added);
      assert.deepEqual(added.body.data.discount, {
        id: expired.id,
        starts_at: sub.current_billing_period.starts_at,
        ends_at: null,
      });
      const removed = await k.request('PATCH', `/subscriptions/${sub.id}`, { discount: null });
      assertMatchesSpec('update-subscription', removed);
      assert.equal(removed.body.data.discount, null);
      await k.advance({ to: '2027-02-15T11:00:00Z' });
      assert.deepEqual(summary(await k.transactions(sub.id)).at(-1), [
        'subscription_recurring',
        null,
        '4900',
        '0',
        '4900',
      ]);
    });
  });

  describe('refusals on subscription updates', () => {
    it('refuses each unusable discount with the smallest request, changing nothing', async () => {
      const { key, k } = await story();
      const price = await k.price(4900);
      const { sub } = await k.subscribe([{ price, quantity: 1 }]);
      const archived = await aDiscount(t(), { recur: true }, key);
      await k.request('PATCH', `/discounts/${archived.id}`, { status: 'archived' });
      const oneOff = await aDiscount(t(), {}, key);
      const euros = await aDiscount(t(), { type: 'flat', amount: '100', currency_code: 'EUR', recur: true }, key);
      const elsewhere = await k.price(100);
      const restricted = await aDiscount(t(), { recur: true, restrict_to: [elsewhere.id] }, key);
      const cases: Array<[string, number, string]> = [
        ['dsc_01gtgztp8fpchantd5g1wrksa3', 404, 'not_found'],
        [archived.id, 400, 'subscription_archived_discount_application_attempt'],
        [oneOff.id, 400, 'subscription_one_off_discount_not_valid'],
        [euros.id, 400, 'subscription_invalid_discount_currency'],
        [restricted.id, 400, 'subscription_discount_not_valid_for_items'],
      ];
      for (const [id, status, code] of cases) {
        const res = await k.request('PATCH', `/subscriptions/${sub.id}`, {
          discount: { id, effective_from: 'next_billing_period' },
        });
        assertPaddleError(res, status, code);
      }
      const currency = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        discount: { id: euros.id, effective_from: 'next_billing_period' },
      });
      assert.equal(
        currency.body.error.detail,
        'Flat discounts must be in the same currency as the subscription. Discount currency: EUR, Subscription currency: USD',
      );
      const after = await k.get(sub.id);
      assert.equal(after.discount, null);
      assert.equal(after.updated_at, sub.updated_at);
      for (const discount of [archived, oneOff, euros, restricted])
        assert.equal((await k.request('GET', `/discounts/${discount.id}`)).body.data.times_used, 0);
    });

    it('takes a discount on a trialing subscription only from the next billing period', async () => {
      const { key, k } = await story();
      const price = await k.price(4900, { trial_period: { interval: 'day', frequency: 14 } });
      const { sub } = await k.subscribe([{ price, quantity: 1 }]);
      assert.equal(sub.status, 'trialing');
      const discount = await aDiscount(t(), { recur: true }, key);
      const refused = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        discount: { id: discount.id, effective_from: 'immediately' },
      });
      assertPaddleError(refused, 400, 'subscription_trialing_discount_update_invalid_options');
      const ok = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        discount: { id: discount.id, effective_from: 'next_billing_period' },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.data.discount.id, discount.id);
    });

    it('needs subscription.write', async () => {
      const { sellerId, key, limited } = await sellerAt(t(), START, ['subscription.read', 'discount.write']);
      const k = kit(t, key);
      const price = await k.price(4900);
      const { sub } = await k.subscribe([{ price, quantity: 1 }]);
      const discount = await aDiscount(t(), { recur: true }, key);
      assert.ok(sellerId);
      const res = await t().request('PATCH', `/subscriptions/${sub.id}`, {
        key: limited!,
        body: { discount: { id: discount.id, effective_from: 'next_billing_period' } },
      });
      assertPaddleError(res, 403, 'forbidden');
    });
  });

  describe('official Node SDK', () => {
    it('makes a discount, prices and buys with it, and adds it to a subscription', async () => {
      const { key, k } = await story();
      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const price = await k.price(4900);
      const discount = await paddle.discounts.create({
        description: 'SDK story',
        type: 'percentage',
        amount: '20',
        recur: true,
        maximumRecurringIntervals: 2,
      });
      const preview = await paddle.pricingPreview.preview({
        items: [{ priceId: price.id, quantity: 1 }],
        address: { countryCode: 'US' },
        discountId: discount.id,
      });
      assert.equal(preview.discountId, discount.id);
      assert.equal(preview.details.lineItems[0]?.totals.discount, '980');
      assert.equal(preview.details.lineItems[0]?.discounts[0]?.discount.id, discount.id);
      const customer = await paddle.customers.create({ email: `sdk-${randomUUID()}@example.com` });
      const address = await paddle.addresses.create(customer.id, { countryCode: 'US', postalCode: '10001' });
      const txn = await paddle.transactions.create({
        items: [{ priceId: price.id, quantity: 1 }],
        customerId: customer.id,
        addressId: address.id,
        discountId: discount.id,
      });
      assert.equal(txn.details?.totals?.discount, '980');
      const withDiscount = await paddle.transactions.get(txn.id, { include: ['discount'] });
      assert.equal(withDiscount.discount?.id, discount.id);
      const paid = await k.request('POST', `/test-helpers/transactions/${txn.id}/pay`, {});
      assert.equal(paid.status, 200, paid.text);
      const subscription = await paddle.subscriptions.get(paid.body.data.subscription_id);
      assert.equal(subscription.discount?.id, discount.id);
      const removed = await paddle.subscriptions.update(subscription.id, { discount: null });
      assert.equal(removed.discount, null);
      const again = await paddle.subscriptions.update(subscription.id, {
        discount: { id: discount.id, effectiveFrom: 'next_billing_period' },
      });
      assert.equal(again.discount?.id, discount.id);
      assert.equal(again.discount?.startsAt, subscription.currentBillingPeriod?.endsAt);
      assert.equal((await paddle.discounts.get(discount.id)).timesUsed, 2, 'the checkout, then applying it again');
      await assert.rejects(
        paddle.transactions.create({
          items: [{ priceId: price.id, quantity: 1 }],
          discountId: 'dsc_01gtgztp8fpchantd5g1wrksa3',
        }),
        (error: { code?: string }) => error.code === 'transaction_discount_not_found',
      );
    });
  });
});
