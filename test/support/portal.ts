// Test helpers shared by the portal's tests (API, legacy links, pages): subscriptions made through the public
// API, the environment's portal row, events of an entity.
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import { aBuyer, aPrice, aTransaction, MONTHLY } from './builders.js';
import { recordedEvents } from './events.js';
import type { Environment } from '../../src/db/tables.js';

export const MANUAL_BILLING = {
  enable_checkout: false,
  purchase_order_number: 'PO-9',
  payment_terms: { interval: 'day', frequency: 14 },
};

export interface Subscribed {
  sub: any;
  txn: any;
  customer: any;
  address: any;
  price: any;
}

/** A checkout of a monthly price paid with `card` (4242 by default): the subscription as the API answers it. */
export async function subscribe(
  t: TestApp,
  options: { key?: string; card?: string; buyer?: { customer: any; address: any } } = {},
): Promise<Subscribed> {
  const key = options.key;
  const price = await aPrice(t, { billing_cycle: MONTHLY, name: 'Monthly plan' }, key);
  const buyer = options.buyer ?? (await aBuyer(t, 'GB', key));
  const txn = await aTransaction(
    t,
    { items: [{ price_id: price.id, quantity: 1 }], customer_id: buyer.customer.id, address_id: buyer.address.id },
    key,
  );
  const paid = await t.request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
    body: { card_number: options.card ?? '4242424242424242' },
    ...(key ? { key } : {}),
  });
  assert.equal(paid.status, 200, paid.text);
  const got = await t.request('GET', `/subscriptions/${paid.body.data.subscription_id}`, key ? { key } : {});
  assert.equal(got.status, 200, got.text);
  return { sub: got.body.data, txn: paid.body.data, price, ...buyer };
}

/** A manually-collected subscription (made when its transaction is billed). */
export async function subscribeManually(t: TestApp, key?: string): Promise<Subscribed> {
  const price = await aPrice(t, { billing_cycle: MONTHLY }, key);
  const { customer, address } = await aBuyer(t, 'US', key);
  const txn = await aTransaction(
    t,
    {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
      collection_mode: 'manual',
      billing_details: MANUAL_BILLING,
    },
    key,
  );
  const billed = await t.request('PATCH', `/transactions/${txn.id}`, {
    body: { status: 'billed' },
    ...(key ? { key } : {}),
  });
  assert.equal(billed.status, 200, billed.text);
  const got = await t.request('GET', `/subscriptions/${billed.body.data.subscription_id}`, key ? { key } : {});
  return { sub: got.body.data, txn: billed.body.data, price, customer, address };
}

export async function portalRow(t: TestApp, environment: Environment, sellerId = 'sel_default') {
  return t.db
    .selectFrom('seller_environments')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where('environment', '=', environment)
    .executeTakeFirstOrThrow();
}

/** Event types whose entity is `id`, oldest first. */
export async function eventTypesFor(t: TestApp, id: string): Promise<string[]> {
  return (await recordedEvents(t, { entityId: id })).map((event) => event.type);
}

/** The subscription's saved payment method id (not part of Paddle's entity). */
export async function paymentMethodIdOf(t: TestApp, subscriptionId: string): Promise<string | null> {
  const row = await t.db
    .selectFrom('subscriptions')
    .select('payment_method_id')
    .where('id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
  return row.payment_method_id;
}

export async function advanceClock(t: TestApp, body: { by?: string; to?: string }, key?: string): Promise<void> {
  const res = await t.request('POST', '/test-helpers/clock/advance', { body, ...(key ? { key } : {}) });
  assert.equal(res.status, 200, res.text);
}

export function jwtClaims(token: string): Record<string, any> {
  assert.match(token, /^pga_[\w-]+\.[\w-]+\.[\w-]+$/);
  return JSON.parse(Buffer.from(token.slice(4).split('.')[1]!, 'base64url').toString('utf8'));
}
