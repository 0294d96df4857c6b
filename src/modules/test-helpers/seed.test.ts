// Seed data: one request makes products, prices, discounts, customers with addresses and subscriptions paid with
// chosen cards, in one database transaction, and answers their ids under the document's names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';
import { newSeller, rowCounts } from '../../../test/support/sandboxes.js';
import { aDestination } from '../../../test/support/webhooks.js';

const MONTHLY = { interval: 'month', frequency: 1 };

/** A small catalog: two products, three prices, a discount, three customers, three subscriptions. */
export const CATALOG = {
  products: {
    pro: { name: 'AeroEdit Pro', tax_category: 'standard' },
    team: { name: 'AeroEdit Team', tax_category: 'standard' },
  },
  prices: {
    pro_monthly: {
      product: 'pro',
      description: 'Pro monthly',
      unit_price: { amount: '1000', currency_code: 'USD' },
      billing_cycle: MONTHLY,
    },
    team_monthly: {
      product: 'team',
      description: 'Team monthly, per seat',
      unit_price: { amount: '500', currency_code: 'USD' },
      billing_cycle: MONTHLY,
    },
    pro_yearly: {
      product: 'pro',
      description: 'Pro yearly',
      unit_price: { amount: '10000', currency_code: 'USD' },
      billing_cycle: { interval: 'year', frequency: 1 },
    },
  },
  discounts: { launch: { description: 'Launch offer', type: 'percentage', amount: '10' } },
  customers: {
    alice: { email: 'alice@example.com', name: 'Alice', address: { country_code: 'US', postal_code: '10001' } },
    bob: { email: 'bob@example.com', address: { country_code: 'GB', postal_code: 'SW1A 1AA', city: 'London' } },
    carol: { email: 'carol@example.com', address: { country_code: 'DE', postal_code: '10115' } },
  },
  subscriptions: {
    alice_pro: { customer: 'alice', items: [{ price: 'pro_monthly', quantity: 1 }], discount: 'launch' },
    bob_team: {
      customer: 'bob',
      items: [
        { price: 'team_monthly', quantity: 5 },
        { price: 'pro_yearly', quantity: 1 },
      ],
      card: '4000 0038 0000 0446',
    },
    carol_dunning: { customer: 'carol', items: [{ price: 'pro_monthly', quantity: 1 }], card: '4000002760003184' },
  },
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  const seed = (key: string, body: unknown) => t().request('POST', '/test-helpers/seed', { key, body });

  describe('POST /test-helpers/seed', () => {
    it('makes the catalog, customers and paid subscriptions, answering ids under the document’s names', async () => {
      const seller = await newSeller(t());
      const key = seller.sandbox.api_key;
      const res = await seed(key, CATALOG);
      assert.equal(res.status, 201, res.text);
      const ids = res.body.data;
      assert.deepEqual(Object.keys(ids.products), ['pro', 'team']);
      assert.match(ids.prices.pro_yearly, /^pri_/);
      assert.match(ids.discounts.launch, /^dsc_/);
      assert.match(ids.addresses.bob, /^add_/);
      assert.match(ids.transactions.alice_pro, /^txn_/);

      const price = await t().request('GET', `/prices/${ids.prices.team_monthly}`, { key });
      assert.equal(price.body.data.product_id, ids.products.team);
      const sub = await t().request('GET', `/subscriptions/${ids.subscriptions.bob_team}`, { key });
      assertMatchesSpec('get-subscription', sub);
      assert.equal(sub.body.data.status, 'active');
      assert.equal(sub.body.data.customer_id, ids.customers.bob);
      assert.equal(sub.body.data.address_id, ids.addresses.bob);
      assert.deepEqual(
        sub.body.data.items.map((item: { price: { id: string }; quantity: number }) => [item.price.id, item.quantity]),
        [
          [ids.prices.team_monthly, 5],
          [ids.prices.pro_yearly, 1],
        ],
      );
      const txn = await t().request('GET', `/transactions/${ids.transactions.bob_team}`, { key });
      assert.equal(txn.body.data.status, 'completed');
      assert.equal(txn.body.data.payments[0].method_details.card.last4, '0446');
      // The dunning card saved for later charges: the renewal declines.
      const renewal = await t().request('POST', '/test-helpers/clock/advance', { key, body: { by: 'P1M' } });
      assert.equal(renewal.status, 200, renewal.text);
      const carol = await t().request('GET', `/subscriptions/${ids.subscriptions.carol_dunning}`, { key });
      assert.equal(carol.body.data.status, 'past_due');
      const alice = await t().request('GET', `/subscriptions/${ids.subscriptions.alice_pro}`, { key });
      assert.equal(alice.body.data.status, 'active');
      const discounted = await t().request('GET', `/transactions/${ids.transactions.alice_pro}`, { key });
      assert.equal(discounted.body.data.discount_id, ids.discounts.launch);
      assert.equal(discounted.body.data.details.totals.discount, '100', '10% of 10.00');
    });

    it('records the events each use case records, each notified to the destinations subscribed to it', async () => {
      const plain = await newSeller(t());
      assert.equal((await seed(plain.sandbox.api_key, CATALOG)).status, 201);
      const plainEvents = await recordedEvents(t(), { sellerId: plain.id });
      const types = [...new Set(plainEvents.map((event) => event.type))];
      assert.ok(types.includes('subscription.created') && types.includes('transaction.completed'), String(types));

      // The same document for a seller with a destination subscribed to every type seen but one.
      const seller = await newSeller(t());
      const key = seller.sandbox.api_key;
      const skipped = 'transaction.updated';
      await aDestination(
        t(),
        'http://127.0.0.1:9/webhooks',
        types.filter((type) => type !== skipped),
        key,
      );
      assert.equal((await seed(key, CATALOG)).status, 201);
      const events = await recordedEvents(t(), { sellerId: seller.id });
      assert.deepEqual(
        events.map((event) => event.type),
        plainEvents.map((event) => event.type),
      );
      const notifications = await t()
        .db.selectFrom('notifications')
        .select(['event_id', 'type', 'payload'])
        .where('seller_id', '=', seller.id)
        .where('origin', '=', 'event')
        .execute();
      const notified = events.filter((event) => event.type !== skipped);
      assert.ok(notified.length < events.length);
      assert.deepEqual(notifications.map((n) => n.event_id).sort(), notified.map((event) => event.id).sort());
      for (const event of notified) {
        const payload = JSON.parse(notifications.find((n) => n.event_id === event.id)!.payload);
        assert.equal(payload.event_type, event.type);
        assert.deepEqual(payload.data, event.data, `${event.type} ${event.id}: the payload is the event's entity`);
      }
    });

    it('makes nothing when one entry is refused, and names the entry', async () => {
      const seller = await newSeller(t());
      const key = seller.sandbox.api_key;
      const bad = {
        ...CATALOG,
        prices: { ...CATALOG.prices, broken: { product: 'pro', description: 'x', unit_price: { amount: 'ten' } } },
      };
      const res = await seed(key, bad);
      assertPaddleError(res, 400, 'invalid_field');
      assert.ok(
        res.body.error.errors.every((e: { field: string }) => e.field.startsWith('prices.broken.')),
        res.text,
      );
      const declined = await seed(key, {
        ...CATALOG,
        subscriptions: {
          ...CATALOG.subscriptions,
          zed: { customer: 'alice', items: [{ price: 'pro_monthly', quantity: 1 }], card: '4000000000000002' },
        },
      });
      assertPaddleError(declined, 400, 'invalid_field');
      assert.equal(declined.body.error.errors[0].field, 'subscriptions.zed.card');
      const unknown = await seed(key, {
        products: {},
        prices: { p: { product: 'nope', description: 'x', unit_price: { amount: '1', currency_code: 'USD' } } },
      });
      assertPaddleError(unknown, 400, 'invalid_field');
      assert.equal(unknown.body.error.errors[0].field, 'prices.p.product');
      const taken = await seed(key, {
        customers: { a: { email: 'same@example.com' }, b: { email: 'SAME@example.com' } },
      });
      assertPaddleError(taken, 409, 'customer_already_exists');
      assert.match(taken.body.error.detail, /^customers\.b: /);
      assertPaddleError(await seed(key, { plans: {} }), 400, 'invalid_field');
      assertPaddleError(await seed(key, { products: [] }), 400, 'invalid_field');

      const counts = await rowCounts(t(), seller.id, 'sandbox');
      for (const table of [
        'products',
        'prices',
        'discounts',
        'customers',
        'addresses',
        'transactions',
        'subscriptions',
        'events',
      ] as const)
        assert.equal(counts[table], 0, `nothing kept in ${table}`);
    });

    it('checks its permissions: write on what it makes; sandbox keys only', async () => {
      const seller = await newSeller(t(), { permissions: ['product.write', 'price.write', 'customer.write'] });
      assertPaddleError(await seed(seller.sandbox.api_key, { products: {} }), 403, 'forbidden');
      assertPaddleError(await seed(t().keys.live, { products: {} }), 403, 'forbidden');
      assertPaddleError(
        await t().request('POST', '/test-helpers/seed', { key: null, body: {} }),
        403,
        'authentication_missing',
      );
    });

    // @NOTE 1,000 on SQLite; 200 on PostgreSQL, where each takes ~18 round trips (BENCHMARKS.md has both rates).
    const count = dialect === 'sqlite' ? 1000 : 200;
    it(`seeds ${count} paid subscriptions in one request`, async () => {
      const seller = await newSeller(t());
      const customers: Record<string, unknown> = {};
      const subscriptions: Record<string, unknown> = {};
      for (let i = 0; i < count; i += 1) {
        customers[`c${i}`] = { email: `c${i}@example.com`, address: { country_code: 'US', postal_code: '10001' } };
        subscriptions[`s${i}`] = { customer: `c${i}`, items: [{ price: 'pro_monthly', quantity: 1 + (i % 3) }] };
      }
      const res = await seed(seller.sandbox.api_key, {
        products: CATALOG.products,
        prices: CATALOG.prices,
        customers,
        subscriptions,
      });
      assert.equal(res.status, 201, res.text.slice(0, 500));
      assert.equal(Object.keys(res.body.data.subscriptions).length, count);
      const counts = await rowCounts(t(), seller.id, 'sandbox');
      assert.equal(counts.subscriptions, count);
      assert.equal(counts.customers, count);
      assert.equal(counts.transactions, count);
    });
  });
});
