// Renewals driven by the sandbox clock (Lago's time-travel scenarios, Kill Bill's "advance the clock, then
// assert the events"): a monthly subscription through three renewals, month-end clamping, a scheduled cancel
// and a scheduled pause, and dunning with the card that declines after checkout — to cancellation after 30
// days, and to recovery. Each story runs under a seller of its own, so each has its own clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../support/app.js';
import { aBuyer, aPaidMonthlyTransaction, aPrice, aTransaction, MONTHLY } from '../support/builders.js';
import { assertMatchesSpec } from '../support/contract.js';
import { Temporal, toStoredTime, toWireTime } from '../../src/kernel/time.js';
import { recordedEvents } from '../support/events.js';

const DECLINES_LATER = '4000 0027 6000 3184';
const RENEWAL_EVENTS = [
  'subscription.updated',
  'transaction.created',
  'transaction.billed',
  'transaction.updated',
  'transaction.paid',
  'transaction.updated',
  'transaction.completed',
];

const instant = (wire: string) => Temporal.Instant.from(wire);

/**
 * Events kept after a long advance: the clock deletes events older than Paddle's 90 days, so `actual` is `expected`
 * without some of its oldest, and still holds at least the newest `kept` of them.
 */
function assertRecentEvents(actual: string[], expected: string[], kept: number): void {
  assert.ok(actual.length >= kept, `expected at least the last ${kept} events, got ${actual.join(', ')}`);
  assert.deepEqual(actual, expected.slice(expected.length - actual.length));
}
const wire = (at: Temporal.Instant) => toWireTime(toStoredTime(at));
/** A transaction's billing_period in wire form (transactions/serialize.ts sends the stored form; see the report). */
const period = (p: { starts_at: string; ends_at: string }) => ({
  starts_at: wire(instant(p.starts_at)),
  ends_at: wire(instant(p.ends_at)),
});
const addMonths = (at: Temporal.Instant, months: number) => at.toZonedDateTimeISO('UTC').add({ months }).toInstant();
const addDays = (at: Temporal.Instant, days: number) => at.add({ hours: 24 * days });

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let sellers = 0;

  /** A seller of its own (own sandbox clock) and helpers bound to its sandbox key. */
  async function story() {
    sellers += 1;
    const sellerId = `sel_renewals_${sellers}_${dialect}`;
    const { sandbox: key } = await t().createSeller(sellerId);
    const request = (method: string, url: string, body?: unknown) =>
      t().request(method, url, { key, ...(body === undefined ? {} : { body }) });

    async function advance(body: { to?: string; by?: string }) {
      const res = await request('POST', '/test-helpers/clock/advance', body);
      assert.equal(res.status, 200, res.text);
      return instant(res.body.data.now);
    }
    async function subscribe(card?: string) {
      const paid = await aPaidMonthlyTransaction(t(), key, card);
      return get(paid.subscription_id);
    }
    async function get(id: string) {
      const res = await request('GET', `/subscriptions/${id}`);
      assertMatchesSpec('get-subscription', res);
      return res.body.data;
    }
    async function transactions(subscriptionId: string) {
      const res = await request(
        'GET',
        `/transactions?subscription_id=${subscriptionId}&origin=subscription_recurring&order_by=id[ASC]`,
      );
      assert.equal(res.status, 200, res.text);
      return res.body.data as any[];
    }
    /** Event types about the given entities, oldest first (this seller's sandbox only). */
    async function events(...ids: string[]) {
      const rows = await recordedEvents(t(), { sellerId, environment: 'sandbox', entityId: ids });
      return rows.map((event) => ({ type: event.type, data: event.data, occurred_at: event.occurred_at }));
    }
    return { key, sellerId, request, advance, subscribe, get, transactions, events };
  }

  describe('a monthly subscription renews', () => {
    it('three times, each a completed subscription_recurring transaction for the right period, anchored to the start', async () => {
      const s = await story();
      const sub = await s.subscribe();
      const start = instant(sub.started_at);
      for (let n = 1; n <= 3; n++) {
        await s.advance({ to: addMonths(start, n).add({ minutes: 5 }).toString() });
        const renewed = await s.get(sub.id);
        assert.equal(renewed.status, 'active');
        assert.deepEqual(renewed.current_billing_period, {
          starts_at: wire(addMonths(start, n)),
          ends_at: wire(addMonths(start, n + 1)),
        });
        assert.equal(renewed.next_billed_at, wire(addMonths(start, n + 1)));
        assert.equal(renewed.items[0].previously_billed_at, wire(addMonths(start, n)));
        assert.equal(renewed.items[0].next_billed_at, wire(addMonths(start, n + 1)));
        assert.equal(renewed.first_billed_at, sub.first_billed_at);
      }
      const renewals = await s.transactions(sub.id);
      assert.equal(renewals.length, 3);
      renewals.forEach((txn, index) => {
        assert.equal(txn.status, 'completed');
        assert.equal(txn.origin, 'subscription_recurring');
        assert.equal(txn.collection_mode, 'automatic');
        assert.deepEqual(period(txn.billing_period), {
          starts_at: wire(addMonths(start, index + 1)),
          ends_at: wire(addMonths(start, index + 2)),
        });
        assert.equal(txn.details.totals.subtotal, '4900');
        assert.match(txn.invoice_number, /^\d{4}-\d{5}$/);
        assert.equal(txn.payments.length, 1);
        assert.equal(txn.payments[0].status, 'captured');
        // Billed at the instant it fell due, not when the clock stopped.
        const lag = instant(txn.billed_at)
          .since(addMonths(start, index + 1))
          .total('seconds');
        assert.ok(lag >= 0 && lag < 5, `billed ${lag}s after it was due`);
      });
      // Paddle's renewal order, once per renewal.
      const types = (await s.events(sub.id, ...renewals.map((txn) => txn.id))).map((event) => event.type);
      assertRecentEvents(
        types,
        ['subscription.created', 'subscription.activated', ...RENEWAL_EVENTS, ...RENEWAL_EVENTS, ...RENEWAL_EVENTS],
        3 * RENEWAL_EVENTS.length,
      );
    });

    it('even when another subscription cannot be billed: one broken row does not stop the clock', async () => {
      const s = await story();
      const broken = await s.subscribe();
      const healthy = await s.subscribe();
      // A state the API refuses (no price in the currency), written straight to the database.
      await t()
        .db.updateTable('subscriptions')
        .set({ currency_code: 'JPY' })
        .where('seller_id', '=', s.sellerId)
        .where('id', '=', broken.id)
        .execute();
      await s.advance({ to: instant(healthy.next_billed_at).add({ minutes: 5 }).toString() });
      assert.equal((await s.transactions(healthy.id)).length, 1);
      assert.deepEqual(await s.transactions(broken.id), []);
      assert.equal((await s.get(broken.id)).next_billed_at, broken.next_billed_at);
      // It is tried again on later advances, and renews once it can be billed.
      await s.advance({ by: 'P1D' });
      await t()
        .db.updateTable('subscriptions')
        .set({ currency_code: 'USD' })
        .where('seller_id', '=', s.sellerId)
        .where('id', '=', broken.id)
        .execute();
      await s.advance({ by: 'PT1H' });
      const [late] = await s.transactions(broken.id);
      assert.equal(late?.status, 'completed');
      assert.equal(period(late.billing_period).starts_at, broken.next_billed_at);
    });

    it('through several periods in one clock advance, each at its own instant', async () => {
      const s = await story();
      const sub = await s.subscribe();
      const start = instant(sub.started_at);
      await s.advance({ by: 'P3M' });
      const renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => period(txn.billing_period).starts_at),
        [1, 2, 3].map((n) => wire(addMonths(start, n))),
      );
      const events = await s.events(sub.id);
      const updates = events.filter((event) => event.type === 'subscription.updated');
      assert.equal(updates.length, 3);
      updates.forEach((event, index) => {
        const lag = instant(event.occurred_at)
          .since(addMonths(start, index + 1))
          .total('seconds');
        assert.ok(lag >= 0 && lag < 5, `renewal ${index + 1} recorded ${lag}s after it was due`);
      });
    });

    it('from January 31: February 28, then March 31, April 30 (clamped, never drifting)', async () => {
      const s = await story();
      await s.advance({ to: '2027-01-31T12:00:00Z' });
      const sub = await s.subscribe();
      assert.match(sub.started_at, /^2027-01-31T12:00:0/);
      const start = instant(sub.started_at);
      const time = sub.started_at.slice(10);
      assert.equal(sub.next_billed_at, `2027-02-28${time}`);
      await s.advance({ to: '2027-05-01T00:00:00Z' });
      const renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => period(txn.billing_period)),
        [
          { starts_at: `2027-02-28${time}`, ends_at: `2027-03-31${time}` },
          { starts_at: `2027-03-31${time}`, ends_at: `2027-04-30${time}` },
          { starts_at: `2027-04-30${time}`, ends_at: `2027-05-31${time}` },
        ],
      );
      const now = await s.get(sub.id);
      assert.equal(now.next_billed_at, `2027-05-31${time}`);
      assert.equal(wire(addMonths(start, 4)), now.next_billed_at);
    });
  });

  describe('manual collection', () => {
    it('renews by issuing a billed invoice with the payment terms, charging nothing', async () => {
      const s = await story();
      const price = await aPrice(
        t(),
        { billing_cycle: MONTHLY, unit_price: { amount: '20000', currency_code: 'USD' } },
        s.key,
      );
      const { customer, address } = await aBuyer(t(), 'US', s.key);
      const details = {
        enable_checkout: false,
        purchase_order_number: 'PO-99',
        additional_information: null,
        payment_terms: { interval: 'day', frequency: 30 },
      };
      const txn = await aTransaction(
        t(),
        {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: address.id,
          collection_mode: 'manual',
          billing_details: details,
        },
        s.key,
      );
      const billed = await s.request('PATCH', `/transactions/${txn.id}`, { status: 'billed' });
      const sub = await s.get(billed.body.data.subscription_id);
      await s.advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() });
      const [renewal] = await s.transactions(sub.id);
      assert.equal(renewal.status, 'billed');
      assert.equal(renewal.collection_mode, 'manual');
      assert.deepEqual(renewal.billing_details, details);
      assert.match(renewal.invoice_number, /^\d{4}-\d{5}$/);
      assert.deepEqual(renewal.payments, []);
      assert.deepEqual(period(renewal.billing_period), {
        starts_at: sub.next_billed_at,
        ends_at: wire(addMonths(instant(sub.next_billed_at), 1)),
      });
      const renewed = await s.get(sub.id);
      assert.equal(renewed.status, 'active');
      assert.equal(renewed.current_billing_period.starts_at, sub.next_billed_at);
      const types = (await s.events(sub.id, renewal.id)).map((event) => event.type);
      assert.deepEqual(types.slice(-3), ['subscription.updated', 'transaction.created', 'transaction.billed']);
    });
  });

  describe('scheduled changes', () => {
    it('a cancel at the period end takes effect then: subscription.canceled, no renewal', async () => {
      const s = await story();
      const sub = await s.subscribe();
      const res = await s.request('POST', `/subscriptions/${sub.id}/cancel`, { effective_from: 'next_billing_period' });
      assert.equal(res.body.data.scheduled_change.effective_at, sub.next_billed_at);
      await s.advance({ to: instant(sub.next_billed_at).add({ hours: 1 }).toString() });
      const canceled = await s.get(sub.id);
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.canceled_at, sub.next_billed_at);
      assert.equal(canceled.scheduled_change, null);
      assert.equal(canceled.next_billed_at, null);
      assert.equal(canceled.current_billing_period, null);
      assert.deepEqual(await s.transactions(sub.id), []);
      const events = await s.events(sub.id);
      assert.deepEqual(
        events.map((event) => event.type),
        [
          'subscription.created',
          'subscription.activated',
          'subscription.updated',
          'subscription.updated',
          'subscription.canceled',
        ],
      );
      assert.equal(events.at(-1)!.data.status, 'canceled');
      const lag = instant(events.at(-1)!.occurred_at).since(instant(sub.next_billed_at)).total('seconds');
      assert.ok(lag >= 0 && lag < 5, `canceled ${lag}s after it was due`);
      // Nothing more happens to it (older events may be gone: the clock keeps 90 days of them).
      await s.advance({ by: 'P2M' });
      const later = (await s.events(sub.id)).filter((event) => event.occurred_at > events.at(-1)!.occurred_at);
      assert.deepEqual(later, []);
    });

    it('a pause at the period end with resume_at: no charge while paused, a new period from the resume', async () => {
      const s = await story();
      const sub = await s.subscribe();
      const resumeAt = addDays(instant(sub.next_billed_at), 45);
      await s.request('POST', `/subscriptions/${sub.id}/pause`, {
        effective_from: 'next_billing_period',
        resume_at: resumeAt.toString(),
      });
      await s.advance({ to: addDays(instant(sub.next_billed_at), 1).toString() });
      const paused = await s.get(sub.id);
      assert.equal(paused.status, 'paused');
      assert.equal(paused.paused_at, sub.next_billed_at);
      assert.deepEqual(paused.scheduled_change, { action: 'resume', effective_at: wire(resumeAt), resume_at: null });
      assert.equal(paused.items[0].status, 'inactive');

      await s.advance({ to: addDays(resumeAt, 1).toString() });
      const resumed = await s.get(sub.id);
      assert.equal(resumed.status, 'active');
      assert.deepEqual(resumed.current_billing_period, {
        starts_at: wire(resumeAt),
        ends_at: wire(addMonths(resumeAt, 1)),
      });
      let renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => period(txn.billing_period).starts_at),
        [wire(resumeAt)],
      );

      await s.advance({ to: addMonths(resumeAt, 1).add({ minutes: 1 }).toString() });
      renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => [txn.status, period(txn.billing_period).starts_at]),
        [
          ['completed', wire(resumeAt)],
          ['completed', wire(addMonths(resumeAt, 1))],
        ],
      );
      const types = (await s.events(sub.id)).map((event) => event.type);
      assertRecentEvents(
        types,
        [
          'subscription.created',
          'subscription.activated',
          'subscription.updated', // pause scheduled
          'subscription.updated',
          'subscription.paused',
          'subscription.updated',
          'subscription.resumed',
          'subscription.updated', // renewal
        ],
        5,
      );
    });
  });

  describe('dunning (card 4000 0027 6000 3184 declines every charge after checkout)', () => {
    it('past due in Paddle’s event order, retried on days 1, 3, 5 and 7, canceled after 30 days', async () => {
      const s = await story();
      const sub = await s.subscribe(DECLINES_LATER);
      assert.equal(sub.status, 'active');
      const due = instant(sub.next_billed_at);
      await s.advance({ to: due.add({ minutes: 1 }).toString() });

      const pastDue = await s.get(sub.id);
      assert.equal(pastDue.status, 'past_due');
      assert.equal(pastDue.next_billed_at, wire(addMonths(due, 1)));
      const [renewal] = await s.transactions(sub.id);
      assert.equal(renewal.status, 'past_due');
      assert.equal(renewal.payments.length, 1);
      assert.equal(renewal.payments[0].status, 'error');
      assert.equal(renewal.payments[0].error_code, 'declined');

      const order = [
        'transaction.payment_failed',
        'transaction.past_due',
        'subscription.updated',
        'subscription.past_due',
      ];
      const afterBilling = (await s.events(sub.id, renewal.id)).map((event) => event.type).slice(2 + 3);
      assert.deepEqual(
        afterBilling.filter((type) => order.includes(type)),
        order,
      );
      assert.deepEqual(afterBilling, [
        'transaction.updated',
        'transaction.payment_failed',
        'transaction.updated',
        'transaction.past_due',
        'subscription.updated',
        'subscription.past_due',
      ]);

      // Retries: one attempt on each of days 1, 3, 5 and 7 after the failure, none in between.
      await s.advance({ to: addDays(due, 29).toString() });
      const retried = (await s.transactions(sub.id))[0];
      const attempts = retried.payments
        .map((payment: any) => instant(payment.created_at))
        .sort(Temporal.Instant.compare);
      assert.equal(attempts.length, 5);
      const firstFailure = attempts[0]!;
      assert.deepEqual(
        attempts.slice(1).map((at: Temporal.Instant) => Math.round(at.since(firstFailure).total('hours') / 24)),
        [1, 3, 5, 7],
      );
      assert.ok(retried.payments.every((payment: any) => payment.status === 'error'));
      assert.equal((await s.get(sub.id)).status, 'past_due');

      await s.advance({ to: addDays(due, 31).toString() });
      const canceled = await s.get(sub.id);
      assert.equal(canceled.status, 'canceled');
      const canceledAt = instant(canceled.canceled_at);
      assert.ok(Math.abs(canceledAt.since(addDays(firstFailure, 30)).total('seconds')) < 5);
      assert.equal(canceled.next_billed_at, null);
      const types = (await s.events(sub.id)).map((event) => event.type);
      assert.deepEqual(types.slice(-2), ['subscription.updated', 'subscription.canceled']);
      // No renewal for the month that followed.
      await s.advance({ by: 'P1M' });
      assert.equal((await s.transactions(sub.id)).length, 1);
    });

    it('a past-due subscription refuses updates and cancels immediately by default', async () => {
      const s = await story();
      const sub = await s.subscribe(DECLINES_LATER);
      await s.advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() });
      const update = await s.request('PATCH', `/subscriptions/${sub.id}`, { custom_data: { x: 1 } });
      assert.equal(update.status, 400);
      assert.equal(update.body.error.code, 'subscription_update_when_past_due');
      const canceled = await s.request('POST', `/subscriptions/${sub.id}/cancel`, {});
      assertMatchesSpec('cancel-subscription', canceled);
      assert.equal(canceled.body.data.status, 'canceled');
      assert.equal(canceled.body.data.scheduled_change, null);
      // Retries stop with it.
      await s.advance({ by: 'P10D' });
      const [renewal] = await s.transactions(sub.id);
      assert.equal(renewal.payments.length, 1);
    });

    it('starts dunning afresh when a past-due subscription, paused and resumed weeks later, fails again', async () => {
      const s = await story();
      const sub = await s.subscribe(DECLINES_LATER);
      const due = instant(sub.next_billed_at);
      await s.advance({ to: due.add({ minutes: 1 }).toString() });
      assert.equal((await s.get(sub.id)).status, 'past_due');
      const paused = await s.request('POST', `/subscriptions/${sub.id}/pause`, {});
      assert.equal(paused.body.data.status, 'paused', paused.text);
      await s.advance({ to: addDays(due, 40).toString() });
      const resumed = await s.request('POST', `/subscriptions/${sub.id}/resume`, { effective_from: 'immediately' });
      assert.equal(resumed.status, 200, resumed.text);
      const resumedAt = instant(resumed.body.data.current_billing_period.starts_at);
      assert.equal(resumed.body.data.status, 'past_due');
      // The old failure is 40 days back: a fresh failure must not count from it (no instant cancel).
      await s.advance({ to: addDays(resumedAt, 2).toString() });
      const pastDue = await s.get(sub.id);
      assert.equal(pastDue.status, 'past_due');
      const latest = (await s.transactions(sub.id)).at(-1);
      assert.equal(latest.payments.length, 2);
      const [failed, retry] = latest.payments
        .map((payment: any) => instant(payment.created_at))
        .sort(Temporal.Instant.compare);
      assert.equal(Math.round(retry.since(failed).total('hours')), 24);
      await s.advance({ to: addDays(resumedAt, 29).toString() });
      assert.equal((await s.get(sub.id)).status, 'past_due');
      await s.advance({ to: addDays(resumedAt, 31).toString() });
      assert.equal((await s.get(sub.id)).status, 'canceled');
    });

    it('recovers when a later retry succeeds (the saved card swapped in the database)', async () => {
      const s = await story();
      const sub = await s.subscribe(DECLINES_LATER);
      const due = instant(sub.next_billed_at);
      await s.advance({ to: due.add({ minutes: 1 }).toString() });
      await s.advance({ to: addDays(due, 2).toString() });
      assert.equal((await s.get(sub.id)).status, 'past_due');
      // @NOTE how: the sandbox card's recorded behaviour lives on the saved payment method; turning it into a
      // card that pays (as if the bank now accepted it) makes the next scheduled retry (day 3) succeed.
      const row = await t()
        .db.selectFrom('payment_methods')
        .selectAll()
        .where('seller_id', '=', s.sellerId)
        .where('customer_id', '=', sub.customer_id)
        .executeTakeFirstOrThrow();
      assert.equal(row.later_charges, 'decline');
      await t()
        .db.updateTable('payment_methods')
        .set({ later_charges: 'succeed' })
        .where('seller_id', '=', s.sellerId)
        .where('id', '=', row.id)
        .execute();

      await s.advance({ to: addDays(due, 4).toString() });
      const recovered = await s.get(sub.id);
      assert.equal(recovered.status, 'active');
      assert.equal(recovered.next_billed_at, wire(addMonths(due, 1)));
      const [renewal] = await s.transactions(sub.id);
      assert.equal(renewal.status, 'completed');
      assert.deepEqual(
        renewal.payments.map((payment: any) => payment.status),
        ['captured', 'error', 'error'],
      );
      const types = (await s.events(sub.id)).map((event) => event.type);
      assert.deepEqual(types.slice(-1), ['subscription.updated']);
      assert.equal((await s.events(sub.id)).at(-1)!.data.status, 'active');

      // No more retries; the next renewal charges normally, and dunning starts afresh if it ever fails again.
      await s.advance({ to: addMonths(due, 1).add({ minutes: 1 }).toString() });
      const renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => txn.status),
        ['completed', 'completed'],
      );
      assert.equal(renewals[0].payments.length, 3);
    });

    it('recovers when the customer pays the past-due transaction with another card, which the subscription then keeps', async () => {
      const s = await story();
      const sub = await s.subscribe(DECLINES_LATER);
      const due = instant(sub.next_billed_at);
      await s.advance({ to: due.add({ minutes: 1 }).toString() });
      const [renewal] = await s.transactions(sub.id);
      assert.equal(renewal.status, 'past_due');
      // @NOTE how: the customer pays the past-due transaction (what the update-payment-method checkout does)
      // with a card that keeps working; the subscription charges that card from then on.
      const paid = await s.request('POST', `/test-helpers/transactions/${renewal.id}/pay`, {
        card_number: '4242424242424242',
      });
      assert.equal(paid.status, 200, paid.text);
      assert.equal(paid.body.data.status, 'completed');
      const recovered = await s.get(sub.id);
      assert.equal(recovered.status, 'active');
      const last = (await s.events(sub.id)).at(-1)!;
      assert.equal(last.type, 'subscription.updated');
      assert.equal(last.data.status, 'active');

      // The day-1 retry no longer happens, and the next renewal is paid with the new card.
      await s.advance({ to: addMonths(due, 1).add({ minutes: 1 }).toString() });
      const renewals = await s.transactions(sub.id);
      assert.deepEqual(
        renewals.map((txn) => txn.status),
        ['completed', 'completed'],
      );
      assert.equal(renewals[0].payments.length, 2);
      assert.equal(renewals[1].payments[0].method_details.card.last4, '4242');
      assert.equal((await s.get(sub.id)).status, 'active');
    });
  });
});
