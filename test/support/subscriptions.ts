// Shared steps of the update, preview and charge tests (change-items.test.ts, preview.test.ts, charge.test.ts):
// a seller of its own with its sandbox clock set to a fixed instant, subscriptions made by paying a checkout, and
// reads of what the API stored.
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import { aBuyer, aPrice, aProduct, aTransaction, MONTHLY } from './builders.js';
import { assertMatchesSpec } from './contract.js';
import { recordedEvents } from './events.js';
import { Temporal } from '../../src/kernel/time.js';

export const instant = (wire: string) => Temporal.Instant.from(wire);

/** A card that pays at checkout and declines every later charge (Paddle's dunning test card). */
export const DECLINES_LATER = '4000002760003184';

export interface Line {
  price: any;
  quantity: number;
}

let sellers = 0;

/** A seller of its own (its sandbox clock moves for nobody else), its clock frozen at `start`: only `advance` moves it. */
export async function sellerAt(t: TestApp, start: string, permissions?: readonly string[]) {
  sellers += 1;
  const seller = await t.createSeller(`sel_kit${sellers}_${t.dialect}`);
  const key = seller.sandbox;
  // @NOTE one advance covers at most a year (P1Y): a new seller's clock reaches `start` a year at a time.
  const target = instant(start);
  // The clock stands still (issue #15's freeze), so only `advance` moves it: wall time spent by a loaded machine
  // between two steps would otherwise shift every later instant (billing periods, proration rates).
  const frozen = await t.request('POST', '/test-helpers/clock/freeze', { body: {}, key });
  assert.equal(frozen.status, 200, frozen.text);
  let now = instant((await t.request('GET', '/test-helpers/clock', { key })).body.data.now);
  while (Temporal.Instant.compare(now, target) < 0) {
    const yearOn = now.toZonedDateTimeISO('UTC').add({ years: 1 }).toInstant();
    const to = Temporal.Instant.compare(yearOn, target) < 0 ? yearOn : target;
    const res = await t.request('POST', '/test-helpers/clock/advance', { body: { to: to.toString() }, key });
    assert.equal(res.status, 200, res.text);
    now = to;
  }
  const limited = permissions ? await t.createKey('sandbox', permissions, `sel_kit${sellers}_${t.dialect}`) : undefined;
  return { key, limited, sellerId: `sel_kit${sellers}_${t.dialect}` };
}

export function kit(t: () => TestApp, key: string) {
  const request = (method: string, url: string, body?: unknown) =>
    t().request(method, url, { key, ...(body !== undefined ? { body } : {}) });

  return {
    request,

    async advance(body: { to?: string; by?: string }) {
      const res = await request('POST', '/test-helpers/clock/advance', body);
      assert.equal(res.status, 200, res.text);
      return instant(res.body.data.now);
    },

    async now() {
      return instant((await request('GET', '/test-helpers/clock')).body.data.now);
    },

    /** A monthly (or `billing_cycle`) price of a new product, excluding tax, in USD. */
    async price(amount: number, body: Record<string, unknown> = {}) {
      const product = await aProduct(t(), { name: `Product ${amount}` }, key);
      return aPrice(
        t(),
        {
          product_id: product.id,
          billing_cycle: MONTHLY,
          unit_price: { amount: String(amount), currency_code: 'USD' },
          ...body,
        },
        key,
      );
    },

    /** A one-time price (no billing cycle). */
    async oneTime(amount: number, body: Record<string, unknown> = {}) {
      const product = await aProduct(t(), { name: `One-off ${amount}` }, key);
      return aPrice(
        t(),
        { product_id: product.id, unit_price: { amount: String(amount), currency_code: 'USD' }, ...body },
        key,
      );
    },

    /** Pays a checkout of `lines` (US buyer: no tax, unless `country` says otherwise); answers the subscription it made. */
    async subscribe(lines: Line[], options: { country?: string; card?: string } = {}) {
      const buyer = await aBuyer(t(), options.country ?? 'US', key);
      const txn = await aTransaction(
        t(),
        {
          items: lines.map((line) => ({ price_id: line.price.id, quantity: line.quantity })),
          customer_id: buyer.customer.id,
          address_id: buyer.address.id,
        },
        key,
      );
      const paid = await request(
        'POST',
        `/test-helpers/transactions/${txn.id}/pay`,
        options.card ? { card_number: options.card } : {},
      );
      assert.equal(paid.status, 200, paid.text);
      const got = await request('GET', `/subscriptions/${paid.body.data.subscription_id}`);
      assertMatchesSpec('get-subscription', got);
      return { sub: got.body.data, customer: buyer.customer, address: buyer.address, first: paid.body.data };
    },

    async get(id: string, include?: string) {
      const res = await request('GET', `/subscriptions/${id}${include ? `?include=${include}` : ''}`);
      assertMatchesSpec('get-subscription', res);
      return res.body.data;
    },

    /** The subscription's transactions, oldest first. */
    async transactions(subscriptionId: string, origin?: string) {
      const res = await request(
        'GET',
        `/transactions?subscription_id=${subscriptionId}${origin ? `&origin=${origin}` : ''}&order_by=id[ASC]`,
      );
      assert.equal(res.status, 200, res.text);
      return res.body.data as any[];
    },

    /** How many transactions of `origin` the subscription has (lists answer at most 30 a page). */
    async countTransactions(subscriptionId: string, origin: string) {
      const res = await request('GET', `/transactions?subscription_id=${subscriptionId}&origin=${origin}`);
      assert.equal(res.status, 200, res.text);
      return res.body.meta.pagination.estimated_total as number;
    },

    async credit(customerId: string) {
      const res = await request('GET', `/customers/${customerId}/credit-balances`);
      assert.equal(res.status, 200, res.text);
      return (
        (res.body.data as any[]).find((balance) => balance.currency_code === 'USD')?.balance ?? {
          available: '0',
          reserved: '0',
          used: '0',
        }
      );
    },

    /** Event types recorded about `id` (a subscription or transaction), oldest first. */
    async eventsFor(...ids: string[]) {
      return (await recordedEvents(t(), { entityId: ids })).map((event) => event.type);
    },
  };
}

/** `[price_id, quantity, subtotal, tax, total, rate]` of each line, for compact comparisons. */
export function lines(details: any): Array<[string, number, string, string, string, string | null]> {
  return details.line_items.map((line: any) => [
    line.price_id,
    line.quantity,
    line.totals.subtotal,
    line.totals.tax,
    line.totals.total,
    line.proration?.rate ?? null,
  ]);
}
