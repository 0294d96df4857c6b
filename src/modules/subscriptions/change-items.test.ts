// PATCH /subscriptions/{id} with items or next_billed_at (issue 4, item 3): the five proration modes with
// hand-computed figures, credits to the customer's balance and their use at renewal, frequency changes, trials,
// payment failures and Paddle's refusals. Every test moves the sandbox clock of a seller of its own: a 30-day
// April period from 2030-04-01 is half over on 2030-04-16, so prorated lines have rate "0.5".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { Temporal } from '../../kernel/time.js';
import { assertRefusedWithoutChange } from '../../../test/support/refusals.js';
import { DECLINES_LATER, instant, kit, lines, sellerAt } from '../../../test/support/subscriptions.js';

const APRIL = '2030-04-01T00:00:00Z';
const HALF = '2030-04-16T00:00:00Z';
const YEARLY = { interval: 'year', frequency: 1 };

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function setup(country = 'US') {
    const { key, sellerId } = await sellerAt(t(), APRIL);
    const k = kit(t, key);
    const basic = await k.price(1000);
    const pro = await k.price(3000);
    return { key, sellerId, k, basic, pro, country };
  }

  async function patch(k: ReturnType<typeof kit>, id: string, body: unknown) {
    return k.request('PATCH', `/subscriptions/${id}`, body);
  }

  describe('prorated_immediately', () => {
    it('upgrades mid-period: charges the new item and credits the old one for the half left (GB VAT 20 %)', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }], { country: 'GB' });
      const changeAt = await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: pro.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      const data = res.body.data;
      assert.deepEqual(
        data.items.map((item: any) => [item.price.id, item.quantity, item.status]),
        [[pro.id, 1, 'active']],
      );
      assert.equal(data.items[0].product.id, pro.product_id);
      assert.equal(data.next_billed_at, sub.next_billed_at, 'the billing date does not move');
      assert.deepEqual(data.current_billing_period, sub.current_billing_period);
      assert.ok(
        Temporal.Instant.compare(instant(data.items[0].previously_billed_at), changeAt) >= 0,
        'the new item was billed now',
      );

      const [update] = await k.transactions(sub.id, 'subscription_update');
      assert.ok(update, 'a subscription_update transaction was made');
      assert.equal(update.status, 'completed');
      // Pro: 3000 × 0.5 = 1500 + 20 % = 1800; Basic: −1000 × 0.5 = −500 − 100 = −600.
      assert.deepEqual(lines(update.details), [
        [pro.id, 1, '1500', '300', '1800', '0.5'],
        [basic.id, -1, '-500', '-100', '-600', '0.5'],
      ]);
      assert.deepEqual(
        [
          update.details.totals.subtotal,
          update.details.totals.tax,
          update.details.totals.total,
          update.details.totals.grand_total,
        ],
        ['1000', '200', '1200', '1200'],
      );
      assert.equal(update.payments[0].status, 'captured');
      assert.equal(update.payments[0].amount, '1200');
      assert.equal(
        update.billing_period.ends_at.replace(/\.?0*Z$/, ''),
        sub.current_billing_period.ends_at.replace(/\.?0*Z$/, ''),
      );
      const slice = update.details.line_items[0].proration.billing_period;
      assert.equal(slice.ends_at, sub.current_billing_period.ends_at);
      assert.ok(Temporal.Instant.compare(instant(slice.starts_at), changeAt) >= 0);
      assert.deepEqual(await k.eventsFor(update.id), [
        'transaction.created',
        'transaction.billed',
        'transaction.updated',
        'transaction.paid',
        'transaction.updated',
        'transaction.completed',
      ]);
      assert.equal((await k.eventsFor(sub.id)).filter((type) => type === 'subscription.updated').length, 1);
    });

    it('downgrades mid-period: the credit goes to the credit balance and the next renewal uses it', async () => {
      const { k, basic, pro } = await setup();
      const { sub, customer } = await k.subscribe([{ price: pro, quantity: 1 }]);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: basic.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      const [update] = await k.transactions(sub.id, 'subscription_update');
      // Basic: 1000 × 0.5 = 500; Pro: −3000 × 0.5 = −1500; total −1000 → credit_to_balance 1000, nothing to pay.
      assert.deepEqual(lines(update.details), [
        [basic.id, 1, '500', '0', '500', '0.5'],
        [pro.id, -1, '-1500', '0', '-1500', '0.5'],
      ]);
      assert.deepEqual(
        [update.details.totals.total, update.details.totals.credit_to_balance, update.details.totals.grand_total],
        ['-1000', '1000', '0'],
      );
      assert.equal(update.status, 'completed');
      assert.deepEqual(update.payments, []);
      assert.deepEqual(await k.credit(customer.id), { available: '1000', reserved: '0', used: '0' });

      const next = await k.get(sub.id, 'next_transaction');
      assert.deepEqual(
        [
          next.next_transaction.details.totals.total,
          next.next_transaction.details.totals.credit,
          next.next_transaction.details.totals.grand_total,
        ],
        ['1000', '1000', '0'],
      );

      await k.advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() });
      const renewals = await k.transactions(sub.id, 'subscription_recurring');
      assert.equal(renewals.length, 1);
      assert.deepEqual(lines(renewals[0].details), [[basic.id, 1, '1000', '0', '1000', null]]);
      assert.deepEqual(
        [renewals[0].details.totals.credit, renewals[0].details.totals.grand_total, renewals[0].status],
        ['1000', '0', 'completed'],
      );
      assert.deepEqual(await k.credit(customer.id), { available: '0', reserved: '0', used: '1000' });
    });

    it('changes a quantity: charges the added seats for the half left', async () => {
      const { k, basic } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 2 }]);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: basic.id, quantity: 5 }],
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      assert.equal(res.body.data.items[0].quantity, 5);
      const [update] = await k.transactions(sub.id, 'subscription_update');
      // 3 more seats × 1000 × 0.5 = 1500.
      assert.deepEqual(lines(update.details), [[basic.id, 3, '1500', '0', '1500', '0.5']]);
      assert.equal(update.details.line_items[0].unit_totals.subtotal, '500');
      assert.equal(update.payments[0].amount, '1500');
    });

    it('keeps the quantity of an existing item when the request omits it, and refreshes its price snapshot', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 3 }]);
      const renamed = await k.request('PATCH', `/prices/${basic.id}`, { description: 'Basic (renamed)' });
      assert.equal(renamed.status, 200, renamed.text);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: basic.id }, { price_id: pro.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(
        res.body.data.items.map((item: any) => [item.price.id, item.quantity]),
        [
          [basic.id, 3],
          [pro.id, 1],
        ],
      );
      assert.equal(res.body.data.items[0].price.description, 'Basic (renamed)');
      const [update] = await k.transactions(sub.id, 'subscription_update');
      assert.deepEqual(lines(update.details), [[pro.id, 1, '1500', '0', '1500', '0.5']]);
    });

    it('moves from monthly to yearly: a new yearly period starts now, the unused month is credited', async () => {
      const { k, basic } = await setup();
      const yearly = await k.price(10000, { billing_cycle: YEARLY });
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const changeAt = await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: yearly.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      const data = res.body.data;
      assert.deepEqual(data.billing_cycle, YEARLY);
      const starts = instant(data.current_billing_period.starts_at);
      assert.ok(
        Temporal.Instant.compare(starts, changeAt) >= 0 &&
          Temporal.Instant.compare(starts, changeAt.add({ seconds: 5 })) < 0,
      );
      assert.equal(data.next_billed_at, data.current_billing_period.ends_at);
      assert.equal(
        instant(data.next_billed_at).toString(),
        starts.toZonedDateTimeISO('UTC').add({ years: 1 }).toInstant().toString(),
      );
      assert.equal(data.items[0].previously_billed_at, data.current_billing_period.starts_at);
      const [update] = await k.transactions(sub.id, 'subscription_update');
      // Yearly in full for the new period (rate 1), the monthly half month back: 10000 − 500 = 9500.
      assert.deepEqual(lines(update.details), [
        [yearly.id, 1, '10000', '0', '10000', '1'],
        [basic.id, -1, '-500', '0', '-500', '0.5'],
      ]);
      assert.deepEqual(update.details.line_items[0].proration.billing_period, data.current_billing_period);
      assert.equal(update.details.totals.grand_total, '9500');
    });

    it('refuses a frequency change in a next-period mode (Paddle allows only immediate modes and do_not_bill)', async () => {
      const { k, basic } = await setup();
      const yearly = await k.price(10000, { billing_cycle: YEARLY });
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      for (const mode of ['prorated_next_billing_period', 'full_next_billing_period']) {
        const res = await patch(k, sub.id, {
          items: [{ price_id: yearly.id, quantity: 1 }],
          proration_billing_mode: mode,
        });
        assertPaddleError(res, 400, 'invalid_field');
        assert.equal(res.body.error.errors[0].field, 'proration_billing_mode');
      }
      const res = await patch(k, sub.id, {
        items: [{ price_id: yearly.id, quantity: 1 }],
        proration_billing_mode: 'do_not_bill',
      });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(res.body.data.billing_cycle, YEARLY);
      // do_not_bill: the paid month runs out, the yearly cycle starts at its end.
      assert.equal(res.body.data.next_billed_at, sub.next_billed_at);
      assert.deepEqual(await k.transactions(sub.id, 'subscription_update'), []);
    });
  });

  describe('full and next-period modes', () => {
    it('full_immediately bills the added item in full and credits nothing', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: pro.id, quantity: 1 }],
        proration_billing_mode: 'full_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      const [update] = await k.transactions(sub.id, 'subscription_update');
      assert.deepEqual(lines(update.details), [[pro.id, 1, '3000', '0', '3000', null]]);
      assert.equal(update.payments[0].amount, '3000');
    });

    it('prorated_next_billing_period adds the prorated lines to the renewal, which then clears them', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [
          { price_id: basic.id, quantity: 1 },
          { price_id: pro.id, quantity: 1 },
        ],
        proration_billing_mode: 'prorated_next_billing_period',
      });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(await k.transactions(sub.id, 'subscription_update'), []);
      const next = (await k.get(sub.id, 'next_transaction')).next_transaction;
      // The renewal: Basic 1000 + Pro 3000, plus Pro for the half month it was on: 1500.
      assert.deepEqual(lines(next.details), [
        [basic.id, 1, '1000', '0', '1000', '1'],
        [pro.id, 1, '3000', '0', '3000', '1'],
        [pro.id, 1, '1500', '0', '1500', '0.5'],
      ]);
      assert.equal(next.details.totals.grand_total, '5500');
      assert.equal(next.billing_period.starts_at, sub.next_billed_at);

      await k.advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() });
      const [renewal] = await k.transactions(sub.id, 'subscription_recurring');
      assert.deepEqual(lines(renewal.details), [
        [basic.id, 1, '1000', '0', '1000', null],
        [pro.id, 1, '3000', '0', '3000', null],
        [pro.id, 1, '1500', '0', '1500', '0.5'],
      ]);
      assert.equal(renewal.payments[0].amount, '5500');
      const after = (await k.get(sub.id, 'next_transaction')).next_transaction;
      assert.equal(after.details.totals.grand_total, '4000', 'the waiting lines were billed once');
    });

    it('full_next_billing_period adds the full charge to the renewal; a lower quantity is credited there', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 4 }]);
      await k.advance({ to: HALF });
      let res = await patch(k, sub.id, {
        items: [
          { price_id: basic.id, quantity: 4 },
          { price_id: pro.id, quantity: 1 },
        ],
        proration_billing_mode: 'full_next_billing_period',
      });
      assertMatchesSpec('update-subscription', res);
      res = await patch(k, sub.id, {
        items: [
          { price_id: basic.id, quantity: 1 },
          { price_id: pro.id, quantity: 1 },
        ],
        proration_billing_mode: 'prorated_next_billing_period',
      });
      assertMatchesSpec('update-subscription', res);
      const next = (await k.get(sub.id, 'next_transaction')).next_transaction;
      // Renewal 1 × 1000 + 3000, Pro in full 3000, three seats back for the half left: −1500.
      assert.deepEqual(lines(next.details), [
        [basic.id, 1, '1000', '0', '1000', '1'],
        [pro.id, 1, '3000', '0', '3000', '1'],
        [pro.id, 1, '3000', '0', '3000', null],
        [basic.id, -3, '-1500', '0', '-1500', '0.5'],
      ]);
      assert.equal(next.details.totals.grand_total, '5500');
    });

    it('do_not_bill swaps the items and bills nothing, now or later', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: pro.id, quantity: 2 }],
        proration_billing_mode: 'do_not_bill',
      });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(
        res.body.data.items.map((item: any) => [item.price.id, item.quantity, item.previously_billed_at]),
        [[pro.id, 2, null]],
      );
      assert.deepEqual(await k.transactions(sub.id, 'subscription_update'), []);
      const next = (await k.get(sub.id, 'next_transaction')).next_transaction;
      assert.deepEqual(lines(next.details), [[pro.id, 2, '6000', '0', '6000', '1']]);
    });

    it('moves next_billed_at: later bills the extra time, earlier credits it, do_not_bill only moves it', async () => {
      const { k, basic } = await setup();
      const { sub, customer } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const ends = instant(sub.next_billed_at);
      // Three days later of a 30-day period: 0.1 × 1000 = 100, billed now.
      const later = ends.add({ hours: 72 });
      let res = await patch(k, sub.id, {
        next_billed_at: later.toString(),
        proration_billing_mode: 'prorated_immediately',
      });
      assertMatchesSpec('update-subscription', res);
      assert.equal(instant(res.body.data.next_billed_at).toString(), later.toString());
      assert.equal(instant(res.body.data.current_billing_period.ends_at).toString(), later.toString());
      assert.equal(instant(res.body.data.items[0].next_billed_at).toString(), later.toString());
      const [extra] = await k.transactions(sub.id, 'subscription_update');
      assert.deepEqual(lines(extra.details), [[basic.id, 1, '100', '0', '100', '0.1']]);
      assert.equal(instant(extra.details.line_items[0].proration.billing_period.starts_at).toString(), ends.toString());

      // Six days earlier of what is now a 33-day period: 6/33 = 0.18182 → −182 to the credit balance at the renewal.
      const earlier = later.subtract({ hours: 144 });
      res = await patch(k, sub.id, {
        next_billed_at: earlier.toString(),
        proration_billing_mode: 'prorated_next_billing_period',
      });
      assertMatchesSpec('update-subscription', res);
      const next = (await k.get(sub.id, 'next_transaction')).next_transaction;
      assert.deepEqual(lines(next.details), [
        [basic.id, 1, '1000', '0', '1000', '1'],
        [basic.id, -1, '-182', '0', '-182', '0.18182'],
      ]);
      assert.equal(instant(next.billing_period.starts_at).toString(), earlier.toString());
      // The anchor moved with the date: the period after renews a month after the new date.
      assert.equal(
        instant(next.billing_period.ends_at).toString(),
        earlier.toZonedDateTimeISO('UTC').add({ months: 1 }).toInstant().toString(),
      );

      res = await patch(k, sub.id, { next_billed_at: later.toString(), proration_billing_mode: 'do_not_bill' });
      assertMatchesSpec('update-subscription', res);
      assert.equal((await k.transactions(sub.id, 'subscription_update')).length, 1);
      assert.deepEqual(await k.credit(customer.id), { available: '0', reserved: '0', used: '0' });
    });
  });

  describe('trials', () => {
    it('takes item and billing-date changes only with do_not_bill; a later next_billed_at extends the trial', async () => {
      const { k, basic, pro } = await setup();
      const trial = await k.price(2000, { trial_period: { interval: 'day', frequency: 14 } });
      const { sub } = await k.subscribe([{ price: trial, quantity: 1 }]);
      assert.equal(sub.status, 'trialing');
      for (const mode of [
        'prorated_immediately',
        'full_immediately',
        'prorated_next_billing_period',
        'full_next_billing_period',
      ]) {
        const res = await patch(k, sub.id, {
          items: [
            { price_id: trial.id, quantity: 1 },
            { price_id: basic.id, quantity: 1 },
          ],
          proration_billing_mode: mode,
        });
        assertPaddleError(res, 400, 'subscription_trialing_items_update_invalid_options');
      }
      let res = await patch(k, sub.id, {
        items: [
          { price_id: trial.id, quantity: 1 },
          { price_id: pro.id, quantity: 1 },
        ],
        proration_billing_mode: 'do_not_bill',
      });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(
        res.body.data.items.map((item: any) => [item.price.id, item.status]),
        [
          [trial.id, 'trialing'],
          [pro.id, 'trialing'],
        ],
      );
      assert.deepEqual(res.body.data.items[1].trial_dates, res.body.data.items[0].trial_dates);

      const extended = instant(sub.next_billed_at).add({ hours: 7 * 24 });
      res = await patch(k, sub.id, { next_billed_at: extended.toString(), proration_billing_mode: 'do_not_bill' });
      assertMatchesSpec('update-subscription', res);
      assert.equal(instant(res.body.data.next_billed_at).toString(), extended.toString());
      assert.equal(instant(res.body.data.items[0].trial_dates.ends_at).toString(), extended.toString());
      assert.equal(res.body.data.status, 'trialing');
      assert.deepEqual(await k.transactions(sub.id, 'subscription_update'), []);
    });
  });

  describe('payment failures', () => {
    it('prevent_change (the default) answers subscription_payment_declined and changes nothing', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }], { card: DECLINES_LATER });
      await k.advance({ to: HALF });
      for (const body of [{}, { on_payment_failure: 'prevent_change' }]) {
        const res = await patch(k, sub.id, {
          items: [{ price_id: pro.id, quantity: 1 }],
          proration_billing_mode: 'prorated_immediately',
          ...body,
        });
        assertPaddleError(res, 400, 'subscription_payment_declined');
      }
      const after = await k.get(sub.id);
      assert.deepEqual(
        after.items.map((item: any) => item.price.id),
        [basic.id],
      );
      assert.equal(after.updated_at, sub.updated_at);
      assert.deepEqual(await k.transactions(sub.id, 'subscription_update'), []);
    });

    it('apply_change keeps the change, the subscription stays active and the transaction is past due', async () => {
      const { k, basic, pro } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }], { card: DECLINES_LATER });
      await k.advance({ to: HALF });
      const res = await patch(k, sub.id, {
        items: [{ price_id: pro.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
        on_payment_failure: 'apply_change',
      });
      assertMatchesSpec('update-subscription', res);
      assert.equal(res.body.data.status, 'active');
      assert.deepEqual(
        res.body.data.items.map((item: any) => item.price.id),
        [pro.id],
      );
      const [update] = await k.transactions(sub.id, 'subscription_update');
      assert.equal(update.status, 'past_due');
      assert.equal(update.payments[0].status, 'error');
      assert.deepEqual(await k.eventsFor(update.id), [
        'transaction.created',
        'transaction.billed',
        'transaction.updated',
        'transaction.payment_failed',
        'transaction.updated',
        'transaction.past_due',
      ]);
    });
  });

  describe('refusals', () => {
    it("answers Paddle's codes for the request's own mistakes", async () => {
      const { k, basic, pro } = await setup();
      const limited = await k.price(500, { quantity: { minimum: 1, maximum: 10 } });
      const oneTime = await k.oneTime(700);
      const eur = await k.price(900, { unit_price: { amount: '900', currency_code: 'EUR' } });
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const cases: Array<[unknown, number, string]> = [
        [
          { items: [{ price_id: pro.id, quantity: 1 }] },
          400,
          'subscription_items_update_missing_proration_billing_mode',
        ],
        [
          { next_billed_at: instant(sub.next_billed_at).add({ hours: 24 }).toString() },
          400,
          'subscription_items_update_missing_proration_billing_mode',
        ],
        [
          { items: [{ price_id: pro.id }], proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_quantity_missing_for_new_items',
        ],
        [
          {
            items: [
              { price_id: basic.id, quantity: 1 },
              { price_id: basic.id, quantity: 2 },
            ],
            proration_billing_mode: 'do_not_bill',
          },
          400,
          'subscription_duplicate_price_ids',
        ],
        [
          { items: [{ price_id: limited.id, quantity: 11 }], proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_quantity_not_valid',
        ],
        [
          { items: [{ price_id: basic.id, quantity: 1.5 }], proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_quantity_not_valid',
        ],
        [
          { items: [{ price_id: oneTime.id, quantity: 1 }], proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_new_items_not_valid',
        ],
        [
          { items: [{ price_id: eur.id, quantity: 1 }], proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_new_items_not_valid',
        ],
        [
          { next_billed_at: (await k.now()).add({ minutes: 10 }).toString(), proration_billing_mode: 'do_not_bill' },
          400,
          'subscription_next_billed_at_too_soon',
        ],
        [
          {
            items: [{ price_id: 'pri_01hv0000000000000000000000', quantity: 1 }],
            proration_billing_mode: 'do_not_bill',
          },
          404,
          'not_found',
        ],
        // The spec's minItems refuses an empty list before subscription_all_items_removed could.
        [{ items: [], proration_billing_mode: 'do_not_bill' }, 400, 'invalid_field'],
        [{ items: [{ price_id: pro.id, quantity: 1 }], proration_billing_mode: 'sometimes' }, 400, 'invalid_field'],
      ];
      for (const [body, status, code] of cases) assertPaddleError(await patch(k, sub.id, body), status, code);
      const limitedRes = await patch(k, sub.id, {
        items: [{ price_id: limited.id, quantity: 11 }],
        proration_billing_mode: 'do_not_bill',
      });
      assert.equal(limitedRes.body.error.detail, `quantity for ${limited.id} must be between 1 and 10`);
      assert.deepEqual(
        (await k.get(sub.id)).items.map((item: any) => item.price.id),
        [basic.id],
      );
    });

    it('refuses changes by state: pending scheduled change, paused, past due, canceled', async () => {
      const { k, basic, pro } = await setup();
      const items = [{ price_id: pro.id, quantity: 1 }];
      const scheduled = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${scheduled.id}/cancel`, { effective_from: 'next_billing_period' }))
          .status,
        200,
      );
      for (const mode of ['prorated_next_billing_period', 'full_next_billing_period']) {
        assertPaddleError(
          await patch(k, scheduled.id, { items, proration_billing_mode: mode }),
          400,
          'subscription_invalid_billing_mode_for_scheduled_change',
        );
      }
      const moved = instant(scheduled.next_billed_at).add({ hours: 24 }).toString();
      assertPaddleError(
        await patch(k, scheduled.id, { next_billed_at: moved, proration_billing_mode: 'do_not_bill' }),
        400,
        'subscription_locked_pending_changes',
      );
      assertMatchesSpec(
        'update-subscription',
        await patch(k, scheduled.id, { items, proration_billing_mode: 'do_not_bill' }),
      );

      const paused = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${paused.id}/pause`, { effective_from: 'immediately' })).status,
        200,
      );
      assertPaddleError(
        await patch(k, paused.id, { items, proration_billing_mode: 'prorated_immediately' }),
        400,
        'subscription_incorrect_proration_on_paused_subscription',
      );
      assertPaddleError(
        await patch(k, paused.id, { next_billed_at: moved, proration_billing_mode: 'do_not_bill' }),
        400,
        'subscription_only_update_items_on_paused_subscription',
      );
      const pausedRes = await patch(k, paused.id, { items, proration_billing_mode: 'do_not_bill' });
      assertMatchesSpec('update-subscription', pausedRes);
      assert.deepEqual(
        pausedRes.body.data.items.map((item: any) => [item.price.id, item.status]),
        [[pro.id, 'inactive']],
      );

      const canceled = (await k.subscribe([{ price: basic, quantity: 1 }])).sub;
      assert.equal(
        (await k.request('POST', `/subscriptions/${canceled.id}/cancel`, { effective_from: 'immediately' })).status,
        200,
      );
      assertPaddleError(
        await patch(k, canceled.id, { items, proration_billing_mode: 'prorated_immediately' }),
        400,
        'subscription_update_when_canceled',
      );

      const pastDue = (await k.subscribe([{ price: basic, quantity: 1 }], { card: DECLINES_LATER })).sub;
      await k.advance({ to: instant(pastDue.next_billed_at).add({ minutes: 1 }).toString() });
      assert.equal((await k.get(pastDue.id)).status, 'past_due');
      assertPaddleError(
        await patch(k, pastDue.id, { items, proration_billing_mode: 'prorated_immediately' }),
        400,
        'subscription_update_when_past_due',
      );
    });

    it('404s for another seller or environment and 403s without subscription.write', async () => {
      const { k, basic, pro, sellerId } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      const body = { items: [{ price_id: pro.id, quantity: 1 }], proration_billing_mode: 'do_not_bill' };
      assertPaddleError(await t().request('PATCH', `/subscriptions/${sub.id}`, { body }), 404, 'not_found');
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body, key: t().keys.live }),
        404,
        'not_found',
      );
      const reader = await t().createKey('sandbox', ['subscription.read'], sellerId);
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body, key: reader }),
        403,
        'forbidden',
      );
    });
  });

  describe('minimum charge', () => {
    it("refuses (preview and update) an immediate charge below Paddle's 70-cent minimum, changing nothing", async () => {
      const { key, k } = await setup();
      const dollar = await k.price(100);
      const dollarFifty = await k.price(150);
      const { sub, customer } = await k.subscribe([{ price: dollar, quantity: 1 }]);
      const body = {
        items: [{ price_id: dollarFifty.id, quantity: 1 }],
        proration_billing_mode: 'prorated_immediately',
      };
      for (const path of [`/subscriptions/${sub.id}/preview`, `/subscriptions/${sub.id}`]) {
        await assertRefusedWithoutChange(t(), {
          send: () => k.request('PATCH', path, body),
          status: 400,
          code: 'subscription_update_transaction_balance_less_than_charge_limit',
          detail: /Transaction balance: 50, Minimum payment amount: 70, Currency code: USD/,
          reads: [
            `/subscriptions/${sub.id}`,
            `/transactions?subscription_id=${sub.id}`,
            `/customers/${customer.id}/credit-balances`,
          ],
          key,
        });
      }
      // Paddle's way out: the same change billed with the next renewal.
      const later = await patch(k, sub.id, { ...body, proration_billing_mode: 'prorated_next_billing_period' });
      assertMatchesSpec('update-subscription', later);
      assert.equal(later.body.data.items[0].price.id, dollarFifty.id);
    });
  });

  describe('the SDK', () => {
    it('updates items through paddle.subscriptions.update', async () => {
      const { k, basic, pro, key } = await setup();
      const { sub } = await k.subscribe([{ price: basic, quantity: 1 }]);
      await k.advance({ to: HALF });
      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const updated = await paddle.subscriptions.update(sub.id, {
        items: [{ priceId: pro.id, quantity: 2 }],
        prorationBillingMode: 'prorated_immediately',
      });
      assert.equal(updated.items[0]?.price?.id, pro.id);
      assert.equal(updated.items[0]?.quantity, 2);
      const [update] = await k.transactions(sub.id, 'subscription_update');
      assert.equal(update.details.totals.grand_total, '2500', '2 × 3000 × 0.5 − 1000 × 0.5');
    });
  });
});
