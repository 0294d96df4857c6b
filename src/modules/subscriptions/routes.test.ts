// Subscriptions through the API (issue 4): creation from a paid or billed transaction with Paddle's events,
// the entity, trials, manual collection, management_urls, list/get, cancel/pause/resume/activate/update with
// their refusals, and the renewal lock. Clock-moving tests use a seller of their own, so one test's clock
// does not renew another test's subscriptions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import {
  aBuyer,
  aBusiness,
  aCustomer,
  anAddress,
  aPrice,
  aTransaction,
  MONTHLY,
} from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { Temporal, toStoredTime, toWireTime } from '../../kernel/time.js';
import { verifyPortalToken } from '../sellers/portal-tokens.js';
import { recordedEvents } from '../../../test/support/events.js';
import { assertRefusedWithoutChange } from '../../../test/support/refusals.js';

const SANDBOX_PORTAL = 'https://sandbox-portal.paddock.test';
const LIVE_PORTAL = 'https://portal.paddock.test';
const MANUAL = {
  enable_checkout: false,
  purchase_order_number: 'PO-7',
  additional_information: null,
  payment_terms: { interval: 'day', frequency: 14 },
};

/** Paddle's `subscription_creation` simulator scenario (paddle-behaviour.md 6.6). */
const PADDLE_CREATION = [
  'transaction.created',
  'customer.created',
  'address.created',
  'transaction.updated',
  'transaction.ready',
  'transaction.updated',
  'transaction.paid',
  'subscription.created',
  'subscription.activated',
  'transaction.updated',
  'transaction.updated',
  'transaction.completed',
];

const instant = (wire: string) => Temporal.Instant.from(wire);
const plusMonths = (wire: string, months: number) =>
  instant(wire).toZonedDateTimeISO('UTC').add({ months }).toInstant();
/** A transaction's billing_period in wire form (transactions/serialize.ts sends the stored form; see the report). */
const period = (p: { starts_at: string; ends_at: string }) => ({
  starts_at: toWireTime(toStoredTime(instant(p.starts_at))),
  ends_at: toWireTime(toStoredTime(instant(p.ends_at))),
});
const same = (wire: string | null, expected: Temporal.Instant) =>
  wire !== null && Temporal.Instant.compare(instant(wire), expected) === 0;

function jwtClaims(token: string): Record<string, unknown> {
  assert.match(token, /^pga_[\w-]+\.[\w-]+\.[\w-]+$/);
  return JSON.parse(Buffer.from(token.slice(4).split('.')[1]!, 'base64url').toString('utf8'));
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect, {
    PADDOCK_SANDBOX_CUSTOMER_PORTAL_URL: SANDBOX_PORTAL,
    PADDOCK_CUSTOMER_PORTAL_URL: LIVE_PORTAL,
  });

  async function portal(environment: 'sandbox' | 'live', sellerId = 'sel_default') {
    return t()
      .db.selectFrom('seller_environments')
      .selectAll()
      .where('seller_id', '=', sellerId)
      .where('environment', '=', environment)
      .executeTakeFirstOrThrow();
  }

  /** Events whose entity is one of `ids`, oldest first, with their payloads. */
  async function eventsFor(...ids: string[]): Promise<Array<{ type: string; data: any }>> {
    const events = await recordedEvents(t(), { entityId: ids });
    return events.map((event) => ({ type: event.type, data: event.data }));
  }
  const typesFor = async (...ids: string[]) => (await eventsFor(...ids)).map((event) => event.type);

  async function now(key?: string): Promise<Temporal.Instant> {
    const res = await t().request('GET', '/test-helpers/clock', key ? { key } : {});
    return instant(res.body.data.now);
  }
  async function advance(body: { to?: string; by?: string }, key?: string) {
    const res = await t().request('POST', '/test-helpers/clock/advance', { body, ...(key ? { key } : {}) });
    assert.equal(res.status, 200, res.text);
  }

  /** A paid checkout of a monthly price: the subscription it made, as the API answers it. */
  async function subscribe(
    options: {
      key?: string;
      price?: any;
      quantity?: number;
      card?: string;
      custom_data?: unknown;
      buyer?: { customer: any; address: any };
    } = {},
  ) {
    const key = options.key;
    const price = options.price ?? (await aPrice(t(), { billing_cycle: MONTHLY }, key));
    const buyer = options.buyer ?? (await aBuyer(t(), 'GB', key));
    const txn = await aTransaction(
      t(),
      {
        items: [{ price_id: price.id, quantity: options.quantity ?? 1 }],
        customer_id: buyer.customer.id,
        address_id: buyer.address.id,
        ...(options.custom_data ? { custom_data: options.custom_data } : {}),
      },
      key,
    );
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
      body: options.card ? { card_number: options.card } : {},
      ...(key ? { key } : {}),
    });
    assert.equal(paid.status, 200, paid.text);
    assert.match(paid.body.data.subscription_id, /^sub_[a-z\d]{26}$/);
    const got = await t().request('GET', `/subscriptions/${paid.body.data.subscription_id}`, key ? { key } : {});
    assertMatchesSpec('get-subscription', got);
    return { sub: got.body.data, txn: paid.body.data, price, ...buyer };
  }

  /** A manually-collected transaction set to billed: Paddle creates the subscription then. */
  async function subscribeManually(key?: string) {
    const price = await aPrice(t(), { billing_cycle: MONTHLY }, key);
    const { customer, address } = await aBuyer(t(), 'US', key);
    const txn = await aTransaction(
      t(),
      {
        items: [{ price_id: price.id, quantity: 3 }],
        customer_id: customer.id,
        address_id: address.id,
        collection_mode: 'manual',
        billing_details: MANUAL,
        custom_data: { po: 7 },
      },
      key,
    );
    const billed = await t().request('PATCH', `/transactions/${txn.id}`, {
      body: { status: 'billed' },
      ...(key ? { key } : {}),
    });
    assert.equal(billed.status, 200, billed.text);
    assert.match(billed.body.data.subscription_id ?? '', /^sub_/, billed.text);
    const got = await t().request('GET', `/subscriptions/${billed.body.data.subscription_id}`, key ? { key } : {});
    assertMatchesSpec('get-subscription', got);
    return { sub: got.body.data, txn: billed.body.data, price, customer, address };
  }

  async function recurringTransactions(subscriptionId: string, key?: string) {
    const res = await t().request(
      'GET',
      `/transactions?subscription_id=${subscriptionId}&origin=subscription_recurring&order_by=id[ASC]`,
      key ? { key } : {},
    );
    assert.equal(res.status, 200, res.text);
    return res.body.data as any[];
  }

  describe('creation from a paid checkout', () => {
    it("records Paddle's creation events, subscription.created carrying transaction_id", async () => {
      const price = await aPrice(t(), { billing_cycle: MONTHLY });
      // As in Paddle's checkout: the transaction exists first, the customer and address come after.
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const customer = await aCustomer(t());
      const address = await anAddress(t(), customer.id);
      const ready = await t().request('PATCH', `/transactions/${draft.id}`, {
        body: { customer_id: customer.id, address_id: address.id },
      });
      assert.equal(ready.body.data.status, 'ready');
      const paid = await t().request('POST', `/test-helpers/transactions/${draft.id}/pay`, {
        body: { card_number: '4242 4242 4242 4242' },
      });
      assert.equal(paid.body.data.status, 'completed');
      const subId = paid.body.data.subscription_id;

      const events = await eventsFor(draft.id, customer.id, address.id, subId);
      assert.deepEqual(
        events.map((event) => event.type),
        PADDLE_CREATION,
      );

      const created = events.find((event) => event.type === 'subscription.created')!;
      assert.equal(created.data.transaction_id, draft.id);
      assert.equal(created.data.status, 'active');
      const activated = events.find((event) => event.type === 'subscription.activated')!;
      assert.equal(activated.data.transaction_id, undefined);
      const completed = events.find((event) => event.type === 'transaction.completed')!;
      assert.equal(completed.data.subscription_id, subId);
      for (const event of events.filter((e) => e.type.startsWith('subscription.')))
        assert.equal('management_urls' in event.data, false);
    });

    it('answers the complete entity: snapshots, cycle, period anchored to the start instant, custom data', async () => {
      const { sub, txn, price, customer, address } = await subscribe({
        quantity: 2,
        custom_data: { crm: 'acme-42', seats: [1, 2] },
      });
      assert.match(sub.id, /^sub_[a-z\d]{26}$/);
      assert.equal(sub.status, 'active');
      assert.equal(sub.customer_id, customer.id);
      assert.equal(sub.address_id, address.id);
      assert.equal(sub.business_id, null);
      assert.equal(sub.currency_code, 'USD');
      assert.equal(sub.collection_mode, 'automatic');
      assert.equal(sub.billing_details, null);
      assert.deepEqual(sub.billing_cycle, { interval: 'month', frequency: 1 });
      assert.equal(sub.started_at, sub.created_at);
      assert.equal(sub.first_billed_at, sub.started_at);
      assert.deepEqual(sub.current_billing_period, { starts_at: sub.started_at, ends_at: sub.next_billed_at });
      assert.ok(same(sub.next_billed_at, plusMonths(sub.started_at, 1)), `${sub.started_at} → ${sub.next_billed_at}`);
      assert.equal(sub.scheduled_change, null);
      assert.equal(sub.paused_at, null);
      assert.equal(sub.canceled_at, null);
      assert.equal(sub.discount, null);
      assert.equal(sub.import_meta, null);
      assert.deepEqual(sub.custom_data, { crm: 'acme-42', seats: [1, 2] });

      assert.equal(sub.items.length, 1);
      const [item] = sub.items;
      assert.equal(item.status, 'active');
      assert.equal(item.quantity, 2);
      assert.equal(item.recurring, true);
      assert.equal(item.previously_billed_at, sub.started_at);
      assert.equal(item.next_billed_at, sub.next_billed_at);
      assert.equal(item.trial_dates, null);
      assert.deepEqual(item.price, (await t().request('GET', `/prices/${price.id}`)).body.data);
      assert.deepEqual(item.product, (await t().request('GET', `/products/${price.product_id}`)).body.data);

      // The transaction that made it points at it and pays for its first period.
      const got = await t().request('GET', `/transactions/${txn.id}`);
      assert.equal(got.body.data.subscription_id, sub.id);
      assert.deepEqual(period(got.body.data.billing_period), sub.current_billing_period);

      // Snapshots: later catalog edits do not reach the subscription.
      await t().request('PATCH', `/prices/${price.id}`, { body: { description: 'Renamed' } });
      await t().request('PATCH', `/products/${price.product_id}`, { body: { name: 'Renamed product' } });
      const again = await t().request('GET', `/subscriptions/${sub.id}`);
      assert.equal(again.body.data.items[0].price.description, 'Standard');
      assert.equal(again.body.data.items[0].product.name, 'AeroEdit Pro');
    });

    it('keeps the business of the transaction and makes one subscription per transaction', async () => {
      const price = await aPrice(t(), { billing_cycle: MONTHLY });
      const oneTime = await aPrice(t(), {});
      const { customer, address } = await aBuyer(t());
      const business = await aBusiness(t(), customer.id);
      const txn = await aTransaction(t(), {
        items: [
          { price_id: price.id, quantity: 1 },
          { price_id: oneTime.id, quantity: 1 },
        ],
        customer_id: customer.id,
        address_id: address.id,
        business_id: business.id,
      });
      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      const sub = (await t().request('GET', `/subscriptions/${paid.body.data.subscription_id}`)).body.data;
      assert.equal(sub.business_id, business.id);
      // Only recurring items become subscription items.
      assert.deepEqual(
        sub.items.map((item: any) => item.price.id),
        [price.id],
      );
      // Paying again is refused and makes no second subscription.
      const twice = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      assert.equal(twice.status, 400);
      const list = await t().request('GET', `/subscriptions?customer_id=${customer.id}`);
      assert.equal(list.body.data.length, 1);
    });

    it('makes no subscription for a one-time purchase', async () => {
      const oneTime = await aPrice(t(), {});
      const { customer, address } = await aBuyer(t());
      const txn = await aTransaction(t(), {
        items: [{ price_id: oneTime.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      assert.equal(paid.body.data.status, 'completed');
      assert.equal(paid.body.data.subscription_id, null);
      assert.deepEqual((await t().request('GET', `/subscriptions?customer_id=${customer.id}`)).body.data, []);
    });
  });

  describe('trials', () => {
    async function trialSubscription(key: string) {
      const price = await aPrice(
        t(),
        {
          billing_cycle: MONTHLY,
          trial_period: { interval: 'day', frequency: 14 },
          unit_price: { amount: '2500', currency_code: 'USD' },
        },
        key,
      );
      return subscribe({ key, price });
    }

    it('starts trialing: item trial_dates, first_billed_at null, next_billed_at at the trial end', async () => {
      const seller = await t().createSeller(`sel_trial1_${dialect}`);
      const { sub, txn } = await trialSubscription(seller.sandbox);
      assert.equal(sub.status, 'trialing');
      assert.equal(sub.first_billed_at, null);
      assert.equal(sub.started_at, sub.created_at);
      const trialEnd = instant(sub.started_at).add({ hours: 14 * 24 });
      assert.ok(same(sub.next_billed_at, trialEnd));
      assert.deepEqual(sub.current_billing_period, { starts_at: sub.started_at, ends_at: sub.next_billed_at });
      const [item] = sub.items;
      assert.equal(item.status, 'trialing');
      assert.deepEqual(item.trial_dates, { starts_at: sub.started_at, ends_at: sub.next_billed_at });
      assert.equal(item.previously_billed_at, null);
      assert.equal(item.next_billed_at, sub.next_billed_at);
      assert.equal(txn.subscription_id, sub.id);
      // The checkout charged nothing for the trial; the trial's end bills the first period.
      assert.equal(txn.details.totals.grand_total, '0');
      const events = await recordedEvents(t(), { sellerId: `sel_trial1_${dialect}`, entityId: sub.id });
      assert.deepEqual(
        events.map((event) => event.type),
        ['subscription.created', 'subscription.trialing'],
      );
    });

    it('activates now: active, a charge for a period starting now, then refuses a second activation', async () => {
      const seller = await t().createSeller(`sel_trial2_${dialect}`);
      const { sub } = await trialSubscription(seller.sandbox);
      await advance({ by: 'P2D' }, seller.sandbox);
      const res = await t().request('POST', `/subscriptions/${sub.id}/activate`, { key: seller.sandbox });
      assertMatchesSpec('activate-subscription', res);
      const active = res.body.data;
      assert.equal(active.status, 'active');
      assert.equal(active.started_at, sub.started_at);
      assert.ok(
        Temporal.Instant.compare(instant(active.first_billed_at), instant(sub.started_at).add({ hours: 47 })) > 0,
      );
      assert.deepEqual(active.current_billing_period, {
        starts_at: active.first_billed_at,
        ends_at: active.next_billed_at,
      });
      assert.ok(same(active.next_billed_at, plusMonths(active.first_billed_at, 1)));
      assert.equal(active.items[0].status, 'active');
      assert.equal(active.items[0].previously_billed_at, active.first_billed_at);
      assert.deepEqual(active.items[0].trial_dates, { starts_at: sub.started_at, ends_at: active.first_billed_at });

      const [charge, ...more] = await recurringTransactions(sub.id, seller.sandbox);
      assert.equal(more.length, 0);
      assert.equal(charge.status, 'completed');
      assert.equal(charge.details.totals.subtotal, '2500');
      assert.deepEqual(period(charge.billing_period), active.current_billing_period);
      assert.equal(charge.payments[0].status, 'captured');

      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/activate`, { key: seller.sandbox }),
        400,
        'subscription_cannot_activate',
      );
    });

    it('at the trial end the clock charges the first period and the subscription turns active', async () => {
      const seller = await t().createSeller(`sel_trial3_${dialect}`);
      const { sub } = await trialSubscription(seller.sandbox);
      await advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() }, seller.sandbox);
      const res = await t().request('GET', `/subscriptions/${sub.id}`, { key: seller.sandbox });
      const active = res.body.data;
      assert.equal(active.status, 'active');
      assert.equal(active.first_billed_at, sub.next_billed_at);
      assert.deepEqual(active.current_billing_period, {
        starts_at: sub.next_billed_at,
        ends_at: active.next_billed_at,
      });
      assert.ok(same(active.next_billed_at, plusMonths(sub.next_billed_at, 1)));
      assert.equal(active.items[0].status, 'active');
      const [charge] = await recurringTransactions(sub.id, seller.sandbox);
      assert.equal(charge.status, 'completed');
      assert.deepEqual(period(charge.billing_period), active.current_billing_period);
      const types = (await recordedEvents(t(), { sellerId: `sel_trial3_${dialect}`, entityId: sub.id })).map(
        (event) => event.type,
      );
      assert.deepEqual(types.slice(-2), ['subscription.updated', 'subscription.activated']);
    });
  });

  describe('manual collection', () => {
    it('creates the subscription when the transaction is billed; no payment-method link', async () => {
      const { sub, txn, customer } = await subscribeManually();
      assert.equal(sub.status, 'active');
      assert.equal(sub.collection_mode, 'manual');
      assert.deepEqual(sub.billing_details, MANUAL);
      assert.deepEqual(sub.custom_data, { po: 7 });
      assert.equal(sub.customer_id, customer.id);
      assert.equal(sub.items[0].quantity, 3);
      assert.equal(sub.management_urls.update_payment_method, null);
      const cpl = (await portal('sandbox')).portal_id;
      assert.match(
        sub.management_urls.cancel,
        new RegExp(`^${SANDBOX_PORTAL}/${cpl}\\?action=cancel_subscription&subscription_id=${sub.id}&token=pga_`),
      );
      assert.equal(txn.status, 'billed');
      const created = (await eventsFor(sub.id)).find((event) => event.type === 'subscription.created');
      assert.equal(created?.data.transaction_id, txn.id);
    });
  });

  describe('management_urls', () => {
    it('are plain sandbox portal links for a key without customer_portal_session.write', async () => {
      const { sub } = await subscribe();
      const key = await t().createKey('sandbox', ['subscription.read']);
      const res = await t().request('GET', `/subscriptions/${sub.id}`, { key });
      assertMatchesSpec('get-subscription', res);
      const cpl = (await portal('sandbox')).portal_id;
      assert.match(cpl, /^cpl_[a-z\d]{26}$/);
      assert.deepEqual(res.body.data.management_urls, {
        update_payment_method: `${SANDBOX_PORTAL}/${cpl}?action=update_subscription_payment_method&subscription_id=${sub.id}`,
        cancel: `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`,
      });
      const list = await t().request('GET', `/subscriptions?id=${sub.id}`, { key });
      assert.deepEqual(list.body.data[0].management_urls, res.body.data.management_urls);
    });

    it('carry a fresh 24-hour pga_ token for the customer, last, with customer_portal_session.write', async () => {
      const { sub, customer } = await subscribe();
      const key = await t().createKey('sandbox', ['subscription.read', 'customer_portal_session.write']);
      const first = await t().request('GET', `/subscriptions/${sub.id}`, { key });
      const second = await t().request('GET', `/subscriptions/${sub.id}`, { key });
      const { portal_id: cpl, portal_signing_secret: secret } = await portal('sandbox');
      const tokens: string[] = [];
      for (const res of [first, second]) {
        const urls = res.body.data.management_urls;
        const cancel = new URL(urls.cancel);
        const update = new URL(urls.update_payment_method);
        assert.deepEqual([...cancel.searchParams.keys()], ['action', 'subscription_id', 'token']);
        assert.equal(`${cancel.origin}${cancel.pathname}`, `${SANDBOX_PORTAL}/${cpl}`);
        const token = cancel.searchParams.get('token')!;
        assert.equal(
          urls.cancel,
          `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}&token=${token}`,
        );
        assert.equal(
          urls.update_payment_method,
          `${SANDBOX_PORTAL}/${cpl}?action=update_subscription_payment_method&subscription_id=${sub.id}&token=${token}`,
        );
        assert.equal(update.searchParams.get('token'), token);
        const claims = jwtClaims(token);
        assert.equal(claims.sub, customer.id);
        assert.match(String(claims.id), /^pga_[a-z\d]{26}$/);
        assert.equal(Number(claims.exp) - Number(claims.iat), 86400);
        const checked = await verifyPortalToken(
          secret,
          token,
          { seller_id: 'sel_default', environment: 'sandbox' },
          await now(),
        );
        assert.equal(checked.ok, true);
        tokens.push(token);
      }
      assert.notEqual(tokens[0], tokens[1]);
      // The token is the whole credential: bound to its seller environment and secret, dead after 24 hours.
      const token = tokens[0]!;
      const sandbox = { seller_id: 'sel_default', environment: 'sandbox' as const };
      const later = await now();
      assert.deepEqual(await verifyPortalToken(secret, token, sandbox, later.add({ hours: 24, seconds: 5 })), {
        ok: false,
        reason: 'expired',
      });
      assert.equal((await verifyPortalToken(secret, token, { ...sandbox, environment: 'live' }, later)).ok, false);
      assert.equal((await verifyPortalToken(secret, token, { ...sandbox, seller_id: 'sel_other' }, later)).ok, false);
      assert.equal(
        (await verifyPortalToken((await portal('live')).portal_signing_secret, token, sandbox, later)).ok,
        false,
      );
      assert.deepEqual(await verifyPortalToken(secret, token.slice(4), sandbox, later), {
        ok: false,
        reason: 'malformed',
      });
      // The cancel response carries links too.
      const canceled = await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
        body: { effective_from: 'immediately' },
      });
      assert.match(canceled.body.data.management_urls.cancel, /&token=pga_/);
      assert.match(canceled.body.data.management_urls.update_payment_method, /&token=pga_/);
    });

    it('use the live portal base and cpl for live subscriptions', async () => {
      const { sub } = await subscribeManually(t().keys.live);
      const { portal_id: liveCpl, portal_signing_secret: secret } = await portal('live');
      assert.notEqual(liveCpl, (await portal('sandbox')).portal_id);
      const token = new URL(sub.management_urls.cancel).searchParams.get('token')!;
      assert.equal(
        sub.management_urls.cancel,
        `${LIVE_PORTAL}/${liveCpl}?action=cancel_subscription&subscription_id=${sub.id}&token=${token}`,
      );
      assert.equal(sub.management_urls.update_payment_method, null);
      const checked = await verifyPortalToken(
        secret,
        token,
        { seller_id: 'sel_default', environment: 'live' },
        t().clock.now(),
      );
      assert.equal(checked.ok, true);
      const plainKey = await t().createKey('live', ['subscription.read']);
      const plain = await t().request('GET', `/subscriptions/${sub.id}`, { key: plainKey });
      assert.deepEqual(plain.body.data.management_urls, {
        update_payment_method: null,
        cancel: `${LIVE_PORTAL}/${liveCpl}?action=cancel_subscription&subscription_id=${sub.id}`,
      });
      // A sandbox key cannot see it.
      assertPaddleError(await t().request('GET', `/subscriptions/${sub.id}`), 404, 'not_found');
    });

    it('are never stored in event payloads', async () => {
      const { sub } = await subscribe();
      await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { custom_data: { a: 1 } } });
      await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: { effective_from: 'immediately' } });
      const rows = (await recordedEvents(t())).filter((event) => event.type.startsWith('subscription.'));
      assert.ok(rows.length >= 4);
      for (const row of rows) {
        assert.equal(JSON.stringify(row.data).includes('management_urls'), false, row.type);
        assert.equal(JSON.stringify(row.data).includes('pga_'), false, row.type);
      }
    });
  });

  describe('list and get', () => {
    it('filters by id, customer, address, price, status, collection mode and scheduled change, with pagination', async () => {
      const key = (await t().createSeller(`sel_list_${dialect}`)).sandbox;
      const price = await aPrice(t(), { billing_cycle: MONTHLY }, key);
      const other = await aPrice(t(), { billing_cycle: MONTHLY }, key);
      const buyer = await aBuyer(t(), 'GB', key);
      const a = (await subscribe({ key, price, buyer })).sub;
      const b = (await subscribe({ key, price: other, buyer })).sub;
      const c = (await subscribe({ key, price })).sub;
      const d = (await subscribeManually(key)).sub;
      await t().request('POST', `/subscriptions/${b.id}/cancel`, { key, body: {} });
      await t().request('POST', `/subscriptions/${c.id}/pause`, { key, body: { effective_from: 'immediately' } });

      const ids = async (query: string) => {
        const res = await t().request('GET', `/subscriptions${query}`, { key });
        assertMatchesSpec('list-subscriptions', res);
        return res.body.data.map((s: any) => s.id);
      };
      assert.deepEqual(await ids(''), [d.id, c.id, b.id, a.id]);
      assert.deepEqual(await ids('?order_by=id[ASC]'), [a.id, b.id, c.id, d.id]);
      assert.deepEqual(await ids(`?id=${a.id},${c.id}`), [c.id, a.id]);
      assert.deepEqual(await ids(`?customer_id=${buyer.customer.id}`), [b.id, a.id]);
      assert.deepEqual(await ids(`?address_id=${buyer.address.id},${d.address_id}`), [d.id, b.id, a.id]);
      assert.deepEqual(await ids(`?price_id=${price.id}`), [c.id, a.id]);
      assert.deepEqual(await ids(`?price_id=${other.id},${d.items[0].price.id}`), [d.id, b.id]);
      assert.deepEqual(await ids('?status=paused'), [c.id]);
      assert.deepEqual(await ids('?status=active,trialing'), [d.id, b.id, a.id]);
      assert.deepEqual(await ids('?collection_mode=manual'), [d.id]);
      assert.deepEqual(await ids('?collection_mode=automatic'), [c.id, b.id, a.id]);
      assert.deepEqual(await ids('?scheduled_change_action=cancel'), [b.id]);
      assert.deepEqual(await ids('?scheduled_change_action=pause,resume'), []);

      const page1 = await t().request('GET', '/subscriptions?per_page=3', { key });
      assertMatchesSpec('list-subscriptions', page1);
      assert.deepEqual(page1.body.meta.pagination.per_page, 3);
      assert.equal(page1.body.meta.pagination.has_more, true);
      assert.equal(page1.body.meta.pagination.estimated_total, 4);
      const next = new URL(page1.body.meta.pagination.next);
      assert.equal(next.searchParams.get('after'), b.id);
      const page2 = await t().request('GET', `${next.pathname}${next.search}`, { key });
      assert.deepEqual(
        page2.body.data.map((s: any) => s.id),
        [a.id],
      );
      assert.equal(page2.body.meta.pagination.has_more, false);
    });

    it('answers 404 for unknown ids and other sellers, 400 for bad filters, 403 without subscription.read', async () => {
      const { sub } = await subscribe();
      assertPaddleError(await t().request('GET', '/subscriptions/sub_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
      assertPaddleError(await t().request('GET', '/subscriptions/not-an-id'), 404, 'not_found');
      const other = await t().createSeller(`sel_other_${dialect}`);
      assertPaddleError(await t().request('GET', `/subscriptions/${sub.id}`, { key: other.sandbox }), 404, 'not_found');
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { key: other.sandbox, body: {} }),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', '/subscriptions', { key: other.sandbox })).body.data, []);
      assert.deepEqual((await t().request('GET', `/subscriptions?id=${sub.id}`, { key: t().keys.live })).body.data, []);
      assertPaddleError(await t().request('GET', '/subscriptions?status=gone'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/subscriptions?collection_mode=both'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/subscriptions?scheduled_change_action=renew'), 400, 'invalid_field');
      const noRead = await t().createKey('sandbox', ['customer.read']);
      assertPaddleError(await t().request('GET', '/subscriptions', { key: noRead }), 403, 'forbidden');
      assertPaddleError(await t().request('GET', `/subscriptions/${sub.id}`, { key: noRead }), 403, 'forbidden');
      const readOnly = await t().createKey('sandbox', ['subscription.read']);
      for (const [method, path] of [
        ['POST', 'cancel'],
        ['POST', 'pause'],
        ['POST', 'resume'],
        ['POST', 'activate'],
        ['PATCH', ''],
      ] as const) {
        const url = path ? `/subscriptions/${sub.id}/${path}` : `/subscriptions/${sub.id}`;
        assertPaddleError(await t().request(method, url, { key: readOnly, body: {} }), 403, 'forbidden');
      }
      assertPaddleError(await t().request('GET', '/subscriptions', { key: null }), 403, 'authentication_missing');
    });
  });

  describe('cancel', () => {
    it('defaults to the period end, can be removed with scheduled_change: null, and refuses a second schedule', async () => {
      const { sub } = await subscribe();
      const res = await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: {} });
      assertMatchesSpec('cancel-subscription', res);
      const scheduled = res.body.data;
      assert.equal(scheduled.status, 'active');
      assert.deepEqual(scheduled.scheduled_change, {
        action: 'cancel',
        effective_at: sub.next_billed_at,
        resume_at: null,
      });
      assert.equal(scheduled.next_billed_at, null);
      assert.equal(scheduled.items[0].next_billed_at, null);
      assert.deepEqual(scheduled.current_billing_period, sub.current_billing_period);
      assert.equal(scheduled.canceled_at, null);
      assert.deepEqual(await typesFor(sub.id), [
        'subscription.created',
        'subscription.activated',
        'subscription.updated',
      ]);

      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
          body: { effective_from: 'next_billing_period' },
        }),
        400,
        'subscription_locked_pending_changes',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { body: {} }),
        400,
        'subscription_locked_pending_changes',
      );

      const removed = await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { scheduled_change: null } });
      assertMatchesSpec('update-subscription', removed);
      assert.equal(removed.body.data.scheduled_change, null);
      assert.equal(removed.body.data.next_billed_at, sub.next_billed_at);
      assert.equal(removed.body.data.items[0].next_billed_at, sub.next_billed_at);
      assert.equal(removed.body.data.status, 'active');
      assert.deepEqual((await typesFor(sub.id)).slice(-1), ['subscription.updated']);
      const listed = await t().request('GET', `/subscriptions?scheduled_change_action=cancel&id=${sub.id}`);
      assert.deepEqual(listed.body.data, []);
    });

    for (const scheduled of ['cancel', 'pause'] as const) {
      it(`refuses to cancel over a scheduled ${scheduled} (either timing) until the change is removed`, async () => {
        const { sub } = await subscribe();
        const first = await t().request('POST', `/subscriptions/${sub.id}/${scheduled}`, {
          body: { effective_from: 'next_billing_period' },
        });
        assert.equal(first.status, 200, first.text);
        for (const effective_from of ['next_billing_period', 'immediately']) {
          await assertRefusedWithoutChange(t(), {
            send: () => t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: { effective_from } }),
            status: 400,
            code: 'subscription_locked_pending_changes',
            detail: new RegExp(`a ${scheduled} is scheduled`),
            reads: [`/subscriptions/${sub.id}`],
          });
        }

        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { scheduled_change: null } });
        const canceled = await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
          body: { effective_from: 'immediately' },
        });
        assertMatchesSpec('cancel-subscription', canceled);
        assert.equal(canceled.body.data.status, 'canceled');
      });
    }

    it('cancels immediately, and a canceled subscription refuses every change', async () => {
      const { sub } = await subscribe();
      const res = await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
        body: { effective_from: 'immediately' },
      });
      assertMatchesSpec('cancel-subscription', res);
      const canceled = res.body.data;
      assert.equal(canceled.status, 'canceled');
      assert.ok(
        canceled.canceled_at && Temporal.Instant.compare(instant(canceled.canceled_at), instant(sub.created_at)) > 0,
      );
      assert.equal(canceled.next_billed_at, null);
      assert.equal(canceled.current_billing_period, null);
      assert.equal(canceled.scheduled_change, null);
      assert.equal(canceled.items[0].next_billed_at, null);
      assert.deepEqual((await typesFor(sub.id)).slice(2), ['subscription.updated', 'subscription.canceled']);

      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: {} }),
        400,
        'subscription_is_canceled_action_invalid',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: { effective_from: 'immediately' } }),
        400,
        'subscription_is_canceled_action_invalid',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { body: {} }),
        400,
        'subscription_is_canceled_action_invalid',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/resume`, { body: {} }),
        400,
        'subscription_is_canceled_action_invalid',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { custom_data: { x: 1 } } }),
        400,
        'subscription_update_when_canceled',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { scheduled_change: null } }),
        400,
        'subscription_update_when_canceled',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/activate`),
        400,
        'subscription_cannot_activate',
      );
    });

    it('validates the body', async () => {
      const { sub } = await subscribe();
      const res = await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
        body: { effective_from: 'tomorrow' },
      });
      assertPaddleError(res, 400, 'invalid_field');
      assert.equal(res.body.error.errors[0].field, 'effective_from');
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: { when: 'now' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', '/subscriptions/sub_01h8441jn5pcwrfhwh78jqt8hk/cancel', { body: {} }),
        404,
        'not_found',
      );
    });
  });

  describe('pause and resume', () => {
    it('pauses immediately and resumes immediately into a new, charged period', async () => {
      const seller = await t().createSeller(`sel_pause1_${dialect}`);
      const key = seller.sandbox;
      const { sub } = await subscribe({ key });
      const res = await t().request('POST', `/subscriptions/${sub.id}/pause`, {
        key,
        body: { effective_from: 'immediately' },
      });
      assertMatchesSpec('pause-subscription', res);
      const paused = res.body.data;
      assert.equal(paused.status, 'paused');
      assert.ok(paused.paused_at);
      assert.equal(paused.next_billed_at, null);
      assert.equal(paused.scheduled_change, null);
      assert.equal(paused.items[0].status, 'inactive');
      assert.equal(paused.management_urls.cancel.includes(sub.id), true);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: { effective_from: 'immediately' } }),
        400,
        'subscription_cannot_be_paused',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, {
          key,
          body: { effective_from: 'next_billing_period' },
        }),
        400,
        'subscription_is_inactive_action_invalid',
      );

      await advance({ by: 'P3D' }, key);
      const resumed = await t().request('POST', `/subscriptions/${sub.id}/resume`, {
        key,
        body: { effective_from: 'immediately' },
      });
      assertMatchesSpec('resume-subscription', resumed);
      const active = resumed.body.data;
      assert.equal(active.status, 'active');
      assert.equal(active.paused_at, null);
      assert.equal(active.items[0].status, 'active');
      assert.equal(active.first_billed_at, sub.first_billed_at);
      const start = active.current_billing_period.starts_at;
      assert.ok(Temporal.Instant.compare(instant(start), instant(sub.started_at).add({ hours: 72 })) >= 0);
      assert.ok(same(active.next_billed_at, plusMonths(start, 1)));
      assert.equal(active.items[0].previously_billed_at, start);
      const [charge] = await recurringTransactions(sub.id, key);
      assert.equal(charge.status, 'completed');
      assert.deepEqual(period(charge.billing_period), active.current_billing_period);
      const events = (
        await recordedEvents(t(), { sellerId: `sel_pause1_${dialect}`, entityId: [sub.id, charge.id] })
      ).map((event) => event.type);
      assert.deepEqual(events.slice(2), [
        'subscription.updated',
        'subscription.paused',
        'subscription.updated',
        'subscription.resumed',
        'transaction.created',
        'transaction.billed',
        'transaction.updated',
        'transaction.paid',
        'transaction.updated',
        'transaction.completed',
      ]);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/resume`, { key, body: {} }),
        400,
        'subscription_must_be_paused',
      );
    });

    it('resumes continuing the existing period without a charge, and refuses once that period has ended', async () => {
      const seller = await t().createSeller(`sel_pause2_${dialect}`);
      const key = seller.sandbox;
      const first = (await subscribe({ key })).sub;
      await t().request('POST', `/subscriptions/${first.id}/pause`, { key, body: { effective_from: 'immediately' } });
      const res = await t().request('POST', `/subscriptions/${first.id}/resume`, {
        key,
        body: { effective_from: 'immediately', on_resume: 'continue_existing_billing_period' },
      });
      assertMatchesSpec('resume-subscription', res);
      assert.equal(res.body.data.status, 'active');
      assert.equal(res.body.data.next_billed_at, first.next_billed_at);
      assert.deepEqual(res.body.data.current_billing_period, first.current_billing_period);
      assert.deepEqual(await recurringTransactions(first.id, key), []);

      const second = (await subscribe({ key })).sub;
      await t().request('POST', `/subscriptions/${second.id}/pause`, { key, body: { effective_from: 'immediately' } });
      await advance({ by: 'P40D' }, key);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${second.id}/resume`, {
          key,
          body: { effective_from: 'immediately', on_resume: 'continue_existing_billing_period' },
        }),
        400,
        'subscription_continuing_existing_billing_period_not_allowed',
      );
      // Paused subscriptions do not renew while paused.
      assert.deepEqual(await recurringTransactions(second.id, key), []);
    });

    it('pauses at the period end (default), with resume_at, and the clock applies both', async () => {
      const seller = await t().createSeller(`sel_pause3_${dialect}`);
      const key = seller.sandbox;
      const { sub } = await subscribe({ key });
      const resumeAt = instant(sub.next_billed_at)
        .add({ hours: 24 * 10 })
        .toString();
      const res = await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: { resume_at: resumeAt } });
      assertMatchesSpec('pause-subscription', res);
      const scheduled = res.body.data;
      assert.equal(scheduled.status, 'active');
      assert.deepEqual(scheduled.scheduled_change, {
        action: 'pause',
        effective_at: sub.next_billed_at,
        resume_at: resumeAt,
      });
      assert.equal(
        (await t().request('GET', `/subscriptions?scheduled_change_action=pause`, { key })).body.data[0].id,
        sub.id,
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: {} }),
        400,
        'subscription_locked_pending_changes',
      );

      await advance({ to: instant(sub.next_billed_at).add({ minutes: 1 }).toString() }, key);
      const paused = (await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data;
      assert.equal(paused.status, 'paused');
      assert.equal(paused.paused_at, sub.next_billed_at);
      assert.deepEqual(paused.scheduled_change, { action: 'resume', effective_at: resumeAt, resume_at: null });
      assert.deepEqual(await recurringTransactions(sub.id, key), []);

      await advance({ to: instant(resumeAt).add({ minutes: 1 }).toString() }, key);
      const resumed = (await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data;
      assert.equal(resumed.status, 'active');
      assert.equal(resumed.scheduled_change, null);
      assert.equal(resumed.current_billing_period.starts_at, resumeAt);
      assert.ok(same(resumed.next_billed_at, plusMonths(resumeAt, 1)));
      const charges = await recurringTransactions(sub.id, key);
      assert.equal(charges.length, 1);
      assert.equal(period(charges[0].billing_period).starts_at, resumeAt);
      const types = (await recordedEvents(t(), { sellerId: `sel_pause3_${dialect}`, entityId: sub.id })).map(
        (event) => event.type,
      );
      assert.deepEqual(types, [
        'subscription.created',
        'subscription.activated',
        'subscription.updated',
        'subscription.updated',
        'subscription.paused',
        'subscription.updated',
        'subscription.resumed',
      ]);
    });

    it('schedules a resume of a paused subscription, sets a resume date on a scheduled pause, and validates', async () => {
      const seller = await t().createSeller(`sel_pause4_${dialect}`);
      const key = seller.sandbox;
      const { sub } = await subscribe({ key });
      const current = await now(key);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, {
          key,
          body: { effective_from: 'immediately', resume_at: current.subtract({ hours: 1 }).toString() },
        }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: { effective_from: 'soon' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/resume`, {
          key,
          body: { effective_from: current.add({ hours: 24 }).toString() },
        }),
        400,
        'subscription_must_be_paused',
      );

      // An active subscription with a scheduled pause: resume gives the pause its resume date.
      const scheduled = await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: {} });
      assert.deepEqual(scheduled.body.data.scheduled_change, {
        action: 'pause',
        effective_at: sub.next_billed_at,
        resume_at: null,
      });
      const resumeAt = instant(sub.next_billed_at)
        .add({ hours: 24 * 5 })
        .toString();
      const withDate = await t().request('POST', `/subscriptions/${sub.id}/resume`, {
        key,
        body: { effective_from: resumeAt },
      });
      assertMatchesSpec('resume-subscription', withDate);
      assert.deepEqual(withDate.body.data.scheduled_change, {
        action: 'pause',
        effective_at: sub.next_billed_at,
        resume_at: resumeAt,
      });
      assert.equal(withDate.body.data.status, 'active');

      // A paused subscription: resume at a later date is a scheduled resume.
      const other = (await subscribe({ key })).sub;
      await t().request('POST', `/subscriptions/${other.id}/pause`, { key, body: { effective_from: 'immediately' } });
      const later = current.add({ hours: 48 }).toString();
      const res = await t().request('POST', `/subscriptions/${other.id}/resume`, {
        key,
        body: { effective_from: later },
      });
      assertMatchesSpec('resume-subscription', res);
      assert.equal(res.body.data.status, 'paused');
      assert.deepEqual(res.body.data.scheduled_change, { action: 'resume', effective_at: later, resume_at: null });
      assert.equal(res.body.data.next_billed_at, later);
      assert.deepEqual(
        (await t().request('GET', `/subscriptions?scheduled_change_action=resume`, { key })).body.data.map(
          (s: any) => s.id,
        ),
        [other.id],
      );
      // The clock resumes it then, into a new charged period.
      await advance({ to: instant(later).add({ minutes: 1 }).toString() }, key);
      const resumed = (await t().request('GET', `/subscriptions/${other.id}`, { key })).body.data;
      assert.equal(resumed.status, 'active');
      assert.equal(resumed.scheduled_change, null);
      assert.equal(resumed.current_billing_period.starts_at, later);
      assert.equal((await recurringTransactions(other.id, key)).length, 1);

      // Removing a scheduled resume leaves an open-ended pause.
      const third = (await subscribe({ key })).sub;
      await t().request('POST', `/subscriptions/${third.id}/pause`, { key, body: { effective_from: 'immediately' } });
      await t().request('POST', `/subscriptions/${third.id}/resume`, {
        key,
        body: { effective_from: (await now(key)).add({ hours: 24 }).toString() },
      });
      const removed = await t().request('PATCH', `/subscriptions/${third.id}`, {
        key,
        body: { scheduled_change: null },
      });
      assertMatchesSpec('update-subscription', removed);
      assert.equal(removed.body.data.status, 'paused');
      assert.equal(removed.body.data.scheduled_change, null);
      assert.equal(removed.body.data.next_billed_at, null);
    });

    it('cancels a paused subscription immediately by default', async () => {
      const { sub } = await subscribe();
      await t().request('POST', `/subscriptions/${sub.id}/pause`, { body: { effective_from: 'immediately' } });
      const res = await t().request('POST', `/subscriptions/${sub.id}/cancel`, { body: {} });
      assertMatchesSpec('cancel-subscription', res);
      assert.equal(res.body.data.status, 'canceled');
      assert.equal(res.body.data.paused_at, null);
    });
  });

  describe('update without billing', () => {
    it('updates custom data and parties, records subscription.updated, and validates', async () => {
      const { sub, customer } = await subscribe({ custom_data: { keep: true } });
      const res = await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { custom_data: { plan: 'gold' } } });
      assertMatchesSpec('update-subscription', res);
      assert.deepEqual(res.body.data.custom_data, { plan: 'gold' });
      assert.ok(res.body.data.updated_at > sub.updated_at);
      const last = (await eventsFor(sub.id)).at(-1)!;
      assert.equal(last.type, 'subscription.updated');
      assert.deepEqual(last.data.custom_data, { plan: 'gold' });

      const address = await anAddress(t(), customer.id, { country_code: 'DE', postal_code: '10115' });
      const business = await aBusiness(t(), customer.id);
      const moved = await t().request('PATCH', `/subscriptions/${sub.id}`, {
        body: { address_id: address.id, business_id: business.id },
      });
      assertMatchesSpec('update-subscription', moved);
      assert.equal(moved.body.data.address_id, address.id);
      assert.equal(moved.body.data.business_id, business.id);
      assert.deepEqual(moved.body.data.custom_data, { plan: 'gold' });

      const stranger = await aBuyer(t());
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { address_id: stranger.address.id } }),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { scheduled_change: { action: 'cancel' } } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { status: 'paused' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { collection_mode: 'manual' } }),
        400,
        'subscription_billing_details_required',
      );
      assertPaddleError(
        await t().request('PATCH', '/subscriptions/sub_01h8441jn5pcwrfhwh78jqt8hk', { body: { custom_data: null } }),
        404,
        'not_found',
      );

      // A currency its prices have no amount in would make every renewal unbillable: refused.
      const euro = await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { currency_code: 'EUR' } });
      assertPaddleError(euro, 400, 'invalid_field');
      assert.equal(euro.body.error.errors[0].field, 'currency_code');
      assert.equal((await t().request('GET', `/subscriptions/${sub.id}`)).body.data.currency_code, 'USD');

      // To manual collection with billing details: no payment-method link any more.
      const manual = await t().request('PATCH', `/subscriptions/${sub.id}`, {
        body: { collection_mode: 'manual', billing_details: MANUAL },
      });
      assertMatchesSpec('update-subscription', manual);
      assert.equal(manual.body.data.collection_mode, 'manual');
      assert.equal(manual.body.data.management_urls.update_payment_method, null);
      const back = await t().request('PATCH', `/subscriptions/${sub.id}`, {
        body: { collection_mode: 'automatic', billing_details: null },
      });
      assert.equal(back.body.data.billing_details, null);
      assert.match(back.body.data.management_urls.update_payment_method, /action=update_subscription_payment_method/);
    });

    it('changes currency only to one every price has, and keeps manual collection to USD, EUR and GBP', async () => {
      const product = (await aPrice(t(), { billing_cycle: MONTHLY })).product_id;
      const multi = await aPrice(t(), {
        product_id: product,
        billing_cycle: MONTHLY,
        unit_price: { amount: '1000', currency_code: 'USD' },
        unit_price_overrides: [
          { country_codes: ['GB'], unit_price: { amount: '800', currency_code: 'GBP' } },
          { country_codes: ['JP'], unit_price: { amount: '1500', currency_code: 'JPY' } },
        ],
      });
      const { sub } = await subscribe({ price: multi });
      assert.equal(sub.currency_code, 'GBP');
      const usd = await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { currency_code: 'USD' } });
      assertMatchesSpec('update-subscription', usd);
      assert.equal(usd.body.data.currency_code, 'USD');
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { body: { currency_code: 'JPY' } }),
        400,
        'invalid_field',
      );

      const { sub: manual } = await subscribeManually();
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${manual.id}`, { body: { currency_code: 'JPY' } }),
        400,
        'subscription_currency_code_not_valid_for_manual',
      );
    });
  });

  describe('renewal lock', () => {
    it('refuses changes in the 30 minutes before next_billed_at with 409 subscription_locked_renewal', async () => {
      const seller = await t().createSeller(`sel_lock_${dialect}`);
      const key = seller.sandbox;
      const { sub } = await subscribe({ key });
      await advance({ to: instant(sub.next_billed_at).subtract({ minutes: 10 }).toString() }, key);
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { key, body: {} }),
        409,
        'subscription_locked_renewal',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/cancel`, { key, body: { effective_from: 'immediately' } }),
        409,
        'subscription_locked_renewal',
      );
      assertPaddleError(
        await t().request('POST', `/subscriptions/${sub.id}/pause`, { key, body: { effective_from: 'immediately' } }),
        409,
        'subscription_locked_renewal',
      );
      assertPaddleError(
        await t().request('PATCH', `/subscriptions/${sub.id}`, { key, body: { custom_data: { late: true } } }),
        409,
        'subscription_locked_renewal',
      );
      const still = await t().request('GET', `/subscriptions/${sub.id}`, { key });
      assert.equal(still.body.data.status, 'active');
      assert.equal(still.body.data.scheduled_change, null);
      // Once renewed, the next period is open again.
      await advance({ by: 'PT20M' }, key);
      const cancel = await t().request('POST', `/subscriptions/${sub.id}/cancel`, { key, body: {} });
      assertMatchesSpec('cancel-subscription', cancel);
      assert.ok(same(cancel.body.data.scheduled_change.effective_at, plusMonths(sub.started_at, 2)));
    });
  });
});
