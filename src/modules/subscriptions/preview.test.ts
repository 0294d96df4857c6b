// PATCH /subscriptions/{id}/preview and GET /subscriptions/{id}?include=… (issue 4, item 3): Paddle's documented
// preview reproduced on the sandbox clock (period 2030-05-10T12:01:46Z → 2030-06-10T12:01:46Z, the same 31 days as
// Paddle's May 2024 example, change at …-05-13T10:36:57Z: rate "0.90513"), the other modes, nothing written, the
// includes and their permissions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { Temporal } from '../../kernel/time.js';
import { instant, kit, lines, sellerAt } from '../../../test/support/subscriptions.js';

const MAY = '2030-05-10T12:01:46Z';
const CHANGE = '2030-05-13T10:36:57Z';
const APRIL = '2030-04-01T00:00:00Z';
const HALF = '2030-04-16T00:00:00Z';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function preview(k: ReturnType<typeof kit>, id: string, body: unknown) {
    const res = await k.request('PATCH', `/subscriptions/${id}/preview`, body);
    assertMatchesSpec('preview-subscription-update', res);
    return res.body.data;
  }

  async function unchanged(k: ReturnType<typeof kit>, before: any) {
    const after = await k.get(before.id);
    assert.deepEqual(after, { ...before, management_urls: after.management_urls });
    assert.deepEqual(await k.transactions(before.id, 'subscription_update'), []);
  }

  describe("Paddle's documented example", () => {
    it('previews the upgrade at rate 0.90513 with the same line amounts, and writes nothing', async () => {
      const { key } = await sellerAt(t(), MAY);
      const k = kit(t, key);
      const basic = await k.price(1000);
      const analytics = await k.price(10000);
      const seats = await k.price(3000);
      const vip = await k.price(25000);
      const { sub } = await k.subscribe([
        { price: basic, quantity: 5 },
        { price: analytics, quantity: 1 },
      ]);
      const changeAt = await k.advance({ to: CHANGE });
      const eventsBefore = await k.eventsFor(sub.id);
      const data = await preview(k, sub.id, {
        items: [
          { price_id: seats.id, quantity: 20 },
          { price_id: analytics.id, quantity: 1 },
          { price_id: vip.id, quantity: 1 },
        ],
        proration_billing_mode: 'prorated_immediately',
      });
      assert.equal(data.id, undefined, 'a preview has no id, as in Paddle');
      const immediate = data.immediate_transaction.details;
      // Paddle: 20 × 3000 × 0.90513 = 54308 (unit 2715), 25000 × 0.90513 = 22628, −5 × 1000 × 0.90513 = −4526 (unit 905).
      assert.deepEqual(lines(immediate), [
        [seats.id, 20, '54308', '0', '54308', '0.90513'],
        [vip.id, 1, '22628', '0', '22628', '0.90513'],
        [basic.id, -5, '-4526', '0', '-4526', '0.90513'],
      ]);
      assert.deepEqual(
        immediate.line_items.map((line: any) => line.unit_totals.subtotal),
        ['2715', '22628', '905'],
      );
      assert.equal(immediate.totals.subtotal, '72410');
      assert.equal(immediate.totals.grand_total, '72410');
      for (const line of immediate.line_items) {
        assert.equal(line.proration.billing_period.ends_at, sub.current_billing_period.ends_at);
        assert.ok(Temporal.Instant.compare(instant(line.proration.billing_period.starts_at), changeAt) >= 0);
      }
      assert.equal(data.immediate_transaction.billing_period.ends_at, sub.current_billing_period.ends_at);
      assert.deepEqual(data.immediate_transaction.adjustments, []);
      assert.deepEqual(data.update_summary, {
        credit: { amount: '-4526', currency_code: 'USD' },
        charge: { amount: '76936', currency_code: 'USD' },
        result: { action: 'charge', amount: '72410', currency_code: 'USD' },
      });
      // The recurring transaction over the current period, and the next one over the period after.
      assert.deepEqual(lines(data.recurring_transaction_details), [
        [seats.id, 20, '60000', '0', '60000', '1'],
        [analytics.id, 1, '10000', '0', '10000', '1'],
        [vip.id, 1, '25000', '0', '25000', '1'],
      ]);
      assert.deepEqual(
        data.recurring_transaction_details.line_items[0].proration.billing_period,
        sub.current_billing_period,
      );
      assert.equal(data.recurring_transaction_details.totals.total, '95000');
      assert.equal(data.next_transaction.details.totals.total, '95000');
      assert.equal(data.next_transaction.billing_period.starts_at, sub.next_billed_at);
      assert.match(data.next_transaction.billing_period.ends_at, /^2030-07-10T12:01:46(\.\d+)?Z$/);
      // The previewed subscription: new items billed now, the kept one as it was.
      assert.deepEqual(
        data.items.map((item: any) => [item.price.id, item.quantity]),
        [
          [seats.id, 20],
          [analytics.id, 1],
          [vip.id, 1],
        ],
      );
      assert.equal(data.items[1].previously_billed_at, sub.items[1].previously_billed_at);
      assert.ok(Temporal.Instant.compare(instant(data.items[0].previously_billed_at), changeAt) >= 0);
      assert.equal(data.next_billed_at, sub.next_billed_at);
      assert.match(sub.current_billing_period.starts_at, /^2030-05-10T12:01:46(\.\d+)?Z$/);
      assert.match(sub.current_billing_period.ends_at, /^2030-06-10T12:01:46(\.\d+)?Z$/);

      await unchanged(k, sub);
      assert.deepEqual(await k.eventsFor(sub.id), eventsBefore);
    });
  });

  describe('modes', () => {
    async function setup() {
      const { key } = await sellerAt(t(), APRIL);
      const k = kit(t, key);
      return { key, k, basic: await k.price(1000), pro: await k.price(3000) };
    }

    it('a next-period mode has no immediate transaction; its lines show in next_transaction and the summary', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ to: HALF });
      const data = await preview(k, sub.id, {
        items: [
          { price_id: basic.id, quantity: 1 },
          { price_id: pro.id, quantity: 1 },
        ],
        proration_billing_mode: 'prorated_next_billing_period',
      });
      assert.equal(data.immediate_transaction, null);
      assert.deepEqual(lines(data.next_transaction.details), [
        [basic.id, 1, '1000', '0', '1000', '1'],
        [pro.id, 1, '3000', '0', '3000', '1'],
        [pro.id, 1, '1500', '0', '1500', '0.5'],
      ]);
      assert.equal(data.recurring_transaction_details.totals.total, '4000');
      assert.deepEqual(data.update_summary.result, { action: 'charge', amount: '1500', currency_code: 'USD' });
      await unchanged(k, sub);
      assert.equal((await k.get(sub.id, 'next_transaction')).next_transaction.details.totals.total, '1000');
    });

    it('a downgrade credits now, and the next transaction draws on that credit', async () => {
      const { k, basic, pro } = await setup();
      const { sub, customer } = await k.subscribe([{ price: pro, quantity: 1 }]);
      await k.advance({ to: HALF });
      const data = await preview(k, sub.id, {
        items: [{ price_id: basic.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      });
      const totals = data.immediate_transaction.details.totals;
      assert.deepEqual([totals.total, totals.credit_to_balance, totals.grand_total], ['-1000', '1000', '0']);
      assert.deepEqual(data.update_summary, {
        credit: { amount: '-1500', currency_code: 'USD' },
        charge: { amount: '500', currency_code: 'USD' },
        result: { action: 'credit', amount: '1000', currency_code: 'USD' },
      });
      const next = data.next_transaction.details.totals;
      assert.deepEqual([next.total, next.credit, next.grand_total], ['1000', '1000', '0']);
      assert.deepEqual(await k.credit(customer.id), { available: '0', reserved: '0', used: '0' });
    });

    it('do_not_bill previews a zero summary; a change without items has none', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      let data = await preview(k, sub.id, {
        items: [{ price_id: pro.id, quantity: 1 }],
        proration_billing_mode: 'do_not_bill',
      });
      assert.equal(data.immediate_transaction, null);
      assert.deepEqual(data.update_summary, {
        credit: { amount: '0', currency_code: 'USD' },
        charge: { amount: '0', currency_code: 'USD' },
        result: { action: 'charge', amount: '0', currency_code: 'USD' },
      });
      assert.deepEqual(lines(data.next_transaction.details), [[pro.id, 1, '3000', '0', '3000', '1']]);
      data = await preview(k, sub.id, { custom_data: { plan: 'gold' } });
      assert.deepEqual(data.custom_data, { plan: 'gold' });
      assert.equal(data.update_summary, null);
      assert.equal(data.immediate_transaction, null);
      await unchanged(k, sub);
    });

    it('refuses what the update would refuse', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const items = [{ price_id: pro.id, quantity: 1 }];
      assertPaddleError(
        await k.request('PATCH', `/subscriptions/${sub.id}/preview`, { items }),
        400,
        'subscription_items_update_missing_proration_billing_mode',
      );
      assertPaddleError(
        await k.request('PATCH', `/subscriptions/${sub.id}/preview`, {
          items: [{ price_id: pro.id }],
          proration_billing_mode: 'do_not_bill',
        }),
        400,
        'subscription_quantity_missing_for_new_items',
      );
      assert.equal(
        (await k.request('POST', `/subscriptions/${sub.id}/cancel`, { effective_from: 'immediately' })).status,
        200,
      );
      assertPaddleError(
        await k.request('PATCH', `/subscriptions/${sub.id}/preview`, {
          items,
          proration_billing_mode: 'prorated_immediately',
        }),
        400,
        'subscription_update_when_canceled',
      );
      assertPaddleError(
        await k.request('PATCH', '/subscriptions/sub_01hv0000000000000000000000/preview', {
          items,
          proration_billing_mode: 'do_not_bill',
        }),
        404,
        'not_found',
      );
    });

    it('needs only subscription.read (the update needs subscription.write); another seller gets 404', async () => {
      const { key, sellerId } = await sellerAt(t(), APRIL);
      const k = kit(t, key);
      const basic = await k.price(1000);
      const pro = await k.price(3000);
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const reader = await t().createKey('sandbox', ['subscription.read'], sellerId);
      const body = { items: [{ price_id: pro.id, quantity: 1 }], proration_billing_mode: 'full_immediately' };
      const res = await t().request('PATCH', `/subscriptions/${sub.id}/preview`, { body, key: reader });
      assertMatchesSpec('preview-subscription-update', res);
      assert.equal(res.body.data.immediate_transaction.details.totals.total, '3000');
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body, key: reader }),
        403,
        'forbidden',
      );
      const nobody = await t().createKey('sandbox', ['transaction.read'], sellerId);
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}/preview`, { body, key: nobody }),
        403,
        'forbidden',
      );
      assertPaddleError(await t().request('PATCH', `/subscriptions/${sub.id}/preview`, { body }), 404, 'not_found');
    });

    it('works through paddle.subscriptions.previewUpdate', async () => {
      const { k, basic, pro, key } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 2 }]);
      await k.advance({ to: HALF });
      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const previewed = await paddle.subscriptions.previewUpdate(sub.id, {
        items: [
          { priceId: basic.id, quantity: 2 },
          { priceId: pro.id, quantity: 1 },
        ],
        prorationBillingMode: 'prorated_immediately',
      });
      assert.equal(previewed.immediateTransaction?.details?.totals?.total, '1500');
      assert.equal(previewed.immediateTransaction?.details?.lineItems?.[0]?.proration?.rate, '0.5');
      assert.equal(previewed.updateSummary?.result?.action, 'charge');
      assert.equal(previewed.updateSummary?.result?.amount, '1500');
      assert.equal(previewed.recurringTransactionDetails?.totals?.total, '5000');
      assert.equal(previewed.nextTransaction?.details?.totals?.total, '5000');
    });
  });

  describe('GET with include', () => {
    it('answers next_transaction and recurring_transaction_details, each only with transaction.read', async () => {
      const { key, sellerId } = await sellerAt(t(), APRIL);
      const k = kit(t, key);
      const basic = await k.price(1000);
      const { sub } = await k.subscribe([{ price: basic, quantity: 3 }], { country: 'GB' });
      const data = await k.get(sub.id, 'next_transaction,recurring_transaction_details');
      assert.equal(data.next_transaction.billing_period.starts_at, sub.next_billed_at);
      assert.equal(
        instant(data.next_transaction.billing_period.ends_at).toString(),
        instant(sub.next_billed_at).toZonedDateTimeISO('UTC').add({ months: 1 }).toInstant().toString(),
      );
      // 3 × 1000 + 20 % VAT.
      assert.deepEqual(lines(data.next_transaction.details), [[basic.id, 3, '3000', '600', '3600', '1']]);
      assert.deepEqual(data.next_transaction.adjustments, []);
      assert.equal(data.next_transaction.details.totals.fee, null);
      assert.deepEqual(lines(data.recurring_transaction_details), [[basic.id, 3, '3000', '600', '3600', '1']]);
      assert.deepEqual(
        data.recurring_transaction_details.line_items[0].proration.billing_period,
        sub.current_billing_period,
      );
      const plain = await k.get(sub.id);
      assert.equal('next_transaction' in plain, false);
      assert.equal('recurring_transaction_details' in plain, false);

      const reader = await t().createKey('sandbox', ['subscription.read'], sellerId);
      for (const include of ['next_transaction', 'recurring_transaction_details']) {
        assertPaddleError(
          await t().request('GET', `/subscriptions/${sub.id}?include=${include}`, { key: reader }),
          403,
          'forbidden',
        );
      }
      const both = await t().createKey('sandbox', ['subscription.read', 'transaction.read'], sellerId);
      const allowed = await t().request('GET', `/subscriptions/${sub.id}?include=next_transaction`, { key: both });
      assertMatchesSpec('get-subscription', allowed);
      assertPaddleError(await k.request('GET', `/subscriptions/${sub.id}?include=adjustments`), 400, 'invalid_field');
    });

    it('next_transaction is null with a scheduled cancel or pause, and for a paused subscription without a resume date', async () => {
      const { key } = await sellerAt(t(), APRIL);
      const k = kit(t, key);
      const basic = await k.price(1000);
      const include = 'next_transaction,recurring_transaction_details';
      const canceling = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal((await k.request('POST', `/subscriptions/${canceling.id}/cancel`, {})).status, 200);
      let data = await k.get(canceling.id, include);
      assert.equal(data.next_transaction, null);
      assert.equal(data.recurring_transaction_details.totals.total, '1000');

      const pausing = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal((await k.request('POST', `/subscriptions/${pausing.id}/pause`, {})).status, 200);
      assert.equal((await k.get(pausing.id, include)).next_transaction, null);

      const paused = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${paused.id}/pause`, { effective_from: 'immediately' })).status,
        200,
      );
      assert.equal((await k.get(paused.id, include)).next_transaction, null);
      // With a resume date, the next transaction is the new period the resume bills.
      const resumeAt = instant(APRIL).add({ hours: 24 * 40 });
      assert.equal(
        (await k.request('POST', `/subscriptions/${paused.id}/resume`, { effective_from: resumeAt.toString() })).status,
        200,
      );
      data = await k.get(paused.id, include);
      assert.equal(instant(data.next_transaction.billing_period.starts_at).toString(), resumeAt.toString());
      assert.equal(data.next_transaction.details.totals.total, '1000');
    });

    it("a trial's next transaction is the first paid period", async () => {
      const { key } = await sellerAt(t(), APRIL);
      const k = kit(t, key);
      const trial = await k.price(2000, { trial_period: { interval: 'day', frequency: 7 } });
      const { sub } = await k.subscribe([{ price: trial, quantity: 2 }]);
      const data = await k.get(sub.id, 'next_transaction');
      assert.equal(data.next_transaction.billing_period.starts_at, sub.next_billed_at);
      assert.equal(
        instant(data.next_transaction.billing_period.ends_at).toString(),
        instant(sub.next_billed_at).toZonedDateTimeISO('UTC').add({ months: 1 }).toInstant().toString(),
      );
      assert.equal(data.next_transaction.details.totals.total, '4000');
    });
  });
});
