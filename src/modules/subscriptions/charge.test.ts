// POST /subscriptions/{id}/charge and /charge/preview (issue 4, item 3): one-time prices billed now (a
// subscription_charge transaction charged with the saved card) or with the next renewal, payment failures, the
// refusals, and Paddle's immediate-charge limits (20 an hour, 100 in 24 hours per subscription) counted from the
// stored transactions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { DECLINES_LATER, instant, kit, lines, sellerAt } from '../../../test/support/subscriptions.js';

const APRIL = '2030-04-01T00:00:00Z';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function setup() {
    const { key, sellerId } = await sellerAt(t(), APRIL);
    const k = kit(t, key);
    return { key, sellerId, k, basic: await k.price(1000), setupFee: await k.oneTime(5000) };
  }

  async function charge(k: ReturnType<typeof kit>, id: string, body: unknown) {
    return k.request('POST', `/subscriptions/${id}/charge`, body);
  }

  describe('charging now', () => {
    it('bills a subscription_charge transaction and charges the saved card (through the SDK)', async () => {
      const { k, basic, setupFee, key } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }], { country: 'GB' });
      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const answered = await paddle.subscriptions.createOneTimeCharge(sub.id, {
        effectiveFrom: 'immediately',
        items: [{ priceId: setupFee.id, quantity: 2 }],
      });
      assert.equal(answered.id, sub.id);
      assert.deepEqual(
        answered.items.map((item) => item.price?.id),
        [basic.id],
        'one-time charges are not items of the subscription',
      );

      const [txn] = await k.transactions(sub.id, 'subscription_charge');
      assert.ok(txn);
      // 2 × 5000 + 20 % VAT.
      assert.deepEqual(lines(txn.details), [[setupFee.id, 2, '10000', '2000', '12000', null]]);
      assert.deepEqual(
        [txn.status, txn.details.totals.grand_total, txn.payments[0].status, txn.payments[0].amount],
        ['completed', '12000', 'captured', '12000'],
      );
      assert.match(txn.invoice_number, /^\d{4}-\d{5}$/);
      assert.deepEqual(await k.eventsFor(txn.id), [
        'transaction.created',
        'transaction.billed',
        'transaction.updated',
        'transaction.paid',
        'transaction.updated',
        'transaction.completed',
      ]);
      const after = await k.get(sub.id, 'next_transaction');
      assert.equal(after.next_transaction.details.totals.subtotal, '1000', 'nothing waits for the renewal');
    });

    it('answers 201 with the subscription, per the spec', async () => {
      const { k, basic, setupFee } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ by: 'PT1M' }); // the clock stands still: a minute on, updated_at must move
      const res = await charge(k, sub.id, {
        effective_from: 'immediately',
        items: [{ price_id: setupFee.id, quantity: 1 }],
      });
      assertMatchesSpec('create-subscription-charge', res);
      assert.equal(res.status, 201);
      assert.equal(res.body.data.id, sub.id);
      assert.ok(res.body.data.updated_at > sub.updated_at);
      assert.equal((await k.eventsFor(sub.id)).at(-1), 'subscription.updated');
    });

    it('charges a trialing subscription now', async () => {
      const { k, setupFee } = await setup();
      const trial = await k.price(2000, { trial_period: { interval: 'day', frequency: 14 } });
      const { sub } = await k.subscribe([{ price: trial, quantity: 1 }]);
      assert.equal(sub.status, 'trialing');
      const res = await charge(k, sub.id, {
        effective_from: 'immediately',
        items: [{ price_id: setupFee.id, quantity: 1 }],
      });
      assertMatchesSpec('create-subscription-charge', res);
      const [txn] = await k.transactions(sub.id, 'subscription_charge');
      assert.deepEqual([txn.status, txn.details.totals.grand_total], ['completed', '5000']);
    });

    it('prevent_change answers subscription_payment_declined and keeps nothing; apply_change leaves it past due', async () => {
      const { k, basic, setupFee } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }], { card: DECLINES_LATER });
      const items = [{ price_id: setupFee.id, quantity: 1 }];
      assertPaddleError(
        await charge(k, sub.id, { effective_from: 'immediately', items }),
        400,
        'subscription_payment_declined',
      );
      assertPaddleError(
        await charge(k, sub.id, { effective_from: 'immediately', items, on_payment_failure: 'prevent_change' }),
        400,
        'subscription_payment_declined',
      );
      assert.deepEqual(await k.transactions(sub.id, 'subscription_charge'), []);
      assert.equal((await k.get(sub.id)).updated_at, sub.updated_at);

      const res = await charge(k, sub.id, { effective_from: 'immediately', items, on_payment_failure: 'apply_change' });
      assertMatchesSpec('create-subscription-charge', res);
      assert.equal(res.body.data.status, 'active');
      const [txn] = await k.transactions(sub.id, 'subscription_charge');
      assert.deepEqual(
        [txn.status, txn.payments[0].status, txn.payments[0].error_code],
        ['past_due', 'error', 'declined'],
      );
    });
  });

  describe('charging with the next renewal', () => {
    it('waits in next_transaction, is billed once with the renewal', async () => {
      const { k, basic, setupFee } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const res = await charge(k, sub.id, {
        effective_from: 'next_billing_period',
        items: [{ price_id: setupFee.id, quantity: 1 }],
      });
      assertMatchesSpec('create-subscription-charge', res);
      assert.deepEqual(await k.transactions(sub.id, 'subscription_charge'), []);
      const next = await k.get(sub.id, 'next_transaction,recurring_transaction_details');
      assert.deepEqual(lines(next.next_transaction.details), [
        [basic.id, 1, '1000', '0', '1000', '1'],
        [setupFee.id, 1, '5000', '0', '5000', null],
      ]);
      assert.equal(
        next.recurring_transaction_details.totals.total,
        '1000',
        'the plain renewal has no one-time charges',
      );

      await k.advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() });
      const [renewal] = await k.transactions(sub.id, 'subscription_recurring');
      assert.deepEqual(lines(renewal.details), [
        [basic.id, 1, '1000', '0', '1000', null],
        [setupFee.id, 1, '5000', '0', '5000', null],
      ]);
      assert.deepEqual([renewal.status, renewal.payments[0].amount], ['completed', '6000']);
      assert.equal((await k.get(sub.id, 'next_transaction')).next_transaction.details.totals.total, '1000');
    });

    it('waits for a paused subscription to resume; a scheduled cancel or pause has no next period to wait for', async () => {
      const { k, basic, setupFee } = await setup();
      const items = [{ price_id: setupFee.id, quantity: 1 }];
      const paused = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${paused.id}/pause`, { effective_from: 'immediately' })).status,
        200,
      );
      assertPaddleError(
        await charge(k, paused.id, { effective_from: 'immediately', items }),
        501,
        'subscription_update_error_when_paused',
      );
      assertMatchesSpec(
        'create-subscription-charge',
        await charge(k, paused.id, { effective_from: 'next_billing_period', items }),
      );
      assert.equal(
        (await k.request('POST', `/subscriptions/${paused.id}/resume`, { effective_from: 'immediately' })).status,
        200,
      );
      const [resumeBill] = await k.transactions(paused.id, 'subscription_recurring');
      assert.deepEqual(
        lines(resumeBill.details).map((line) => line[0]),
        [basic.id, setupFee.id],
      );

      const canceling = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal((await k.request('POST', `/subscriptions/${canceling.id}/cancel`, {})).status, 200);
      assertPaddleError(
        await charge(k, canceling.id, { effective_from: 'next_billing_period', items }),
        400,
        'subscription_invalid_billing_mode_for_scheduled_change',
      );
      assertMatchesSpec(
        'create-subscription-charge',
        await charge(k, canceling.id, { effective_from: 'immediately', items }),
      );
    });
  });

  describe('preview', () => {
    it('previews an immediate charge and a next-period one without writing anything (also through the SDK)', async () => {
      const { k, basic, setupFee, key } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      let res = await k.request('POST', `/subscriptions/${sub.id}/charge/preview`, {
        effective_from: 'immediately',
        items: [{ price_id: setupFee.id, quantity: 3 }],
      });
      assertMatchesSpec('preview-subscription-charge', res);
      let data = res.body.data;
      assert.deepEqual(lines(data.immediate_transaction.details), [[setupFee.id, 3, '15000', '0', '15000', null]]);
      assert.equal(data.immediate_transaction.billing_period.ends_at, sub.current_billing_period.ends_at);
      assert.equal(data.next_transaction.details.totals.total, '1000');
      assert.deepEqual(data.update_summary, {
        credit: { amount: '0', currency_code: 'USD' },
        charge: { amount: '15000', currency_code: 'USD' },
        result: { action: 'charge', amount: '15000', currency_code: 'USD' },
      });

      res = await k.request('POST', `/subscriptions/${sub.id}/charge/preview`, {
        effective_from: 'next_billing_period',
        items: [{ price_id: setupFee.id, quantity: 1 }],
      });
      assertMatchesSpec('preview-subscription-charge', res);
      data = res.body.data;
      assert.equal(data.immediate_transaction, null);
      assert.equal(data.next_transaction.details.totals.total, '6000');
      assert.deepEqual(data.update_summary.result, { action: 'charge', amount: '5000', currency_code: 'USD' });

      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const previewed = await paddle.subscriptions.previewOneTimeCharge(sub.id, {
        effectiveFrom: 'immediately',
        items: [{ priceId: setupFee.id, quantity: 1 }],
      });
      assert.equal(previewed.immediateTransaction?.details?.totals?.total, '5000');

      assert.deepEqual(await k.transactions(sub.id, 'subscription_charge'), []);
      assert.equal((await k.get(sub.id, 'next_transaction')).next_transaction.details.totals.total, '1000');
    });
  });

  describe('refusals', () => {
    it("answers Paddle's codes", async () => {
      const { k, basic, setupFee } = await setup();
      const few = await k.oneTime(300, { quantity: { minimum: 1, maximum: 2 } });
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const cases: Array<[unknown, number, string]> = [
        [{ effective_from: 'immediately', items: [{ price_id: basic.id, quantity: 1 }] }, 400, 'invalid_field'],
        [
          {
            effective_from: 'immediately',
            items: [
              { price_id: setupFee.id, quantity: 1 },
              { price_id: setupFee.id, quantity: 2 },
            ],
          },
          400,
          'subscription_charge_duplicate_price_ids',
        ],
        [
          { effective_from: 'immediately', items: [{ price_id: few.id, quantity: 3 }] },
          400,
          'subscription_quantity_not_valid',
        ],
        [{ items: [{ price_id: setupFee.id, quantity: 1 }] }, 400, 'invalid_field'],
        [{ effective_from: 'immediately', items: [] }, 400, 'invalid_field'],
        [
          { effective_from: 'immediately', items: [{ price_id: 'pri_01hv0000000000000000000000', quantity: 1 }] },
          404,
          'not_found',
        ],
      ];
      for (const [body, status, code] of cases) {
        assertPaddleError(await charge(k, sub.id, body), status, code);
        assertPaddleError(await k.request('POST', `/subscriptions/${sub.id}/charge/preview`, body), status, code);
      }
      const recurring = await charge(k, sub.id, {
        effective_from: 'immediately',
        items: [{ price_id: basic.id, quantity: 1 }],
      });
      assert.equal(recurring.body.error.errors[0].field, 'items[0].price_id');

      const canceled = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${canceled.id}/cancel`, { effective_from: 'immediately' })).status,
        200,
      );
      assertPaddleError(
        await charge(k, canceled.id, {
          effective_from: 'immediately',
          items: [{ price_id: setupFee.id, quantity: 1 }],
        }),
        400,
        'subscription_update_when_canceled',
      );

      const pastDue = (await k.subscribe([{ price: basic, quantity: 1 }], { card: DECLINES_LATER })).sub;
      await k.advance({ to: instant(pastDue.next_billed_at).add({ minutes: 1 }).toString() });
      assertPaddleError(
        await charge(k, pastDue.id, {
          effective_from: 'next_billing_period',
          items: [{ price_id: setupFee.id, quantity: 1 }],
        }),
        400,
        'subscription_update_when_past_due',
      );
    });

    it('needs subscription.write (the preview subscription.read); other sellers and environments get 404', async () => {
      const { k, basic, setupFee, sellerId } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const body = { effective_from: 'immediately', items: [{ price_id: setupFee.id, quantity: 1 }] };
      const reader = await t().createKey('sandbox', ['subscription.read'], sellerId);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/charge`, { body, key: reader }),
        403,
        'forbidden',
      );
      assertMatchesSpec(
        'preview-subscription-charge',
        await t().request('POST', `/subscriptions/${sub.id}/charge/preview`, { body, key: reader }),
      );
      assertPaddleError(await t().request('POST', `/subscriptions/${sub.id}/charge`, { body }), 404, 'not_found');
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/charge`, { body, key: t().keys.live }),
        404,
        'not_found',
      );
    });
  });

  describe('immediate-charge limits', () => {
    it('refuses the 21st immediate charge in an hour and the 101st in 24 hours; updates billed now count too', async () => {
      const { k, basic, setupFee } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const now = { effective_from: 'immediately', items: [{ price_id: setupFee.id, quantity: 1 }] };
      const chargeNow = async (times: number) => {
        for (let i = 0; i < times; i += 1) assert.equal((await charge(k, sub.id, now)).status, 201);
      };
      await chargeNow(19);
      const update = await k.request('PATCH', `/subscriptions/${sub.id}`, {
        items: [{ price_id: basic.id, quantity: 2 }],
        proration_billing_mode: 'full_immediately',
      });
      assertMatchesSpec('update-subscription', update);
      const hour = await charge(k, sub.id, now);
      assertPaddleError(hour, 429, 'subscription_immediate_charge_hour_limit_exceeded');
      assert.equal(
        hour.body.error.detail,
        "You've exceeded the limit for the number of immediate charges that can be made to this subscription in an hour. Limit: 20 per hour",
      );
      assertPaddleError(
        await k.request('PATCH', `/subscriptions/${sub.id}`, {
          items: [{ price_id: basic.id, quantity: 3 }],
          proration_billing_mode: 'prorated_immediately',
        }),
        429,
        'subscription_immediate_charge_hour_limit_exceeded',
      );
      // What is not charged now is not limited, and previews write nothing.
      assertMatchesSpec(
        'create-subscription-charge',
        await charge(k, sub.id, { ...now, effective_from: 'next_billing_period' }),
      );
      assertMatchesSpec(
        'preview-subscription-charge',
        await k.request('POST', `/subscriptions/${sub.id}/charge/preview`, now),
      );
      assertMatchesSpec(
        'update-subscription',
        await k.request('PATCH', `/subscriptions/${sub.id}`, {
          items: [{ price_id: basic.id, quantity: 3 }],
          proration_billing_mode: 'do_not_bill',
        }),
      );

      for (let hours = 1; hours < 5; hours += 1) {
        await k.advance({ by: 'PT1H1M' });
        await chargeNow(20);
      }
      assert.equal(await k.countTransactions(sub.id, 'subscription_charge'), 99);
      await k.advance({ by: 'PT1H1M' });
      const day = await charge(k, sub.id, now);
      assertPaddleError(day, 429, 'subscription_immediate_charge_24_hour_limit_exceeded');
      assert.equal(
        day.body.error.detail,
        "You've exceeded the limit for the number of immediate charges that can be made to this subscription in 24 hours. Limit: 100 per 24 hours",
      );

      // The first hour's charges drop out of the 24-hour window a day after they were made.
      await k.advance({ by: 'PT19H' });
      assertMatchesSpec('create-subscription-charge', await charge(k, sub.id, now));
    });
  });
});
