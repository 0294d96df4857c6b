// What a subscription made through the API costs the database (issue #10: "creating subscriptions through the API
// … ≥ 1,000/s"): the statements SQLite runs for each of its four requests, with a webhook destination subscribed
// to every event, so each event also makes its notification. Reads repeated per event (the destinations) or per
// reaction (the subscription just made) showed up here as counts growing with the events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startTestApp } from '../support/app.js';
import { aPrice, MONTHLY } from '../support/builders.js';

type Statement = Database.Statement;

/** Counts, by SQL text, the statements run from now on (each `run`, `get`, `all` or `iterate` of a prepared one). */
function countStatements(): { counts: Map<string, number>; stop(): void } {
  const counts = new Map<string, number>();
  // @NOTE on the prototype of every statement: the app's statements were prepared (and cached) before counting.
  const scratch = new Database(':memory:');
  const prototype = Object.getPrototypeOf(scratch.prepare('select 1')) as Record<string, unknown>;
  scratch.close();
  const originals = new Map<string, unknown>();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = prototype[method] as (this: Statement, ...args: unknown[]) => unknown;
    originals.set(method, original);
    prototype[method] = function (this: Statement, ...args: unknown[]) {
      counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  return {
    counts,
    stop: () => {
      for (const [method, original] of originals) prototype[method] = original;
    },
  };
}

function total(counts: Map<string, number>, pattern: RegExp): number {
  let sum = 0;
  for (const [text, count] of counts) if (pattern.test(text)) sum += count;
  return sum;
}

describe('a subscription made through the API (SQLite)', () => {
  it('reads the webhook destinations once per request and notifies every event', async () => {
    const t = await startTestApp('sqlite');
    try {
      const destination = await t.request('POST', '/notification-settings', {
        body: {
          description: 'everything',
          type: 'url',
          destination: 'http://127.0.0.1:9/hooks',
          subscribed_events: [
            'customer.created',
            'address.created',
            'transaction.created',
            'transaction.ready',
            'transaction.updated',
            'transaction.paid',
            'transaction.completed',
            'payment_method.saved',
            'subscription.created',
            'subscription.activated',
          ],
        },
      });
      assert.equal(destination.status, 201, destination.text);
      const price = await aPrice(t, { billing_cycle: MONTHLY });
      // A subscription first, so every statement is prepared (and every kept key read) before counting.
      const subscribe = async (email: string) => {
        const customer = await t.request('POST', '/customers', { body: { email } });
        const address = await t.request('POST', `/customers/${customer.body.data.id}/addresses`, {
          body: { country_code: 'US', postal_code: '10001' },
        });
        const transaction = await t.request('POST', '/transactions', {
          body: {
            items: [{ price_id: price.id, quantity: 1 }],
            customer_id: customer.body.data.id,
            address_id: address.body.data.id,
          },
        });
        return { customer, address, transaction };
      };
      const first = await subscribe('first@example.com');
      await t.request('POST', `/test-helpers/transactions/${first.transaction.body.data.id}/pay`, { body: {} });

      const counted = countStatements();
      let made;
      let paid;
      try {
        made = await subscribe('second@example.com');
        paid = await t.request('POST', `/test-helpers/transactions/${made.transaction.body.data.id}/pay`, {
          body: {},
        });
      } finally {
        counted.stop();
      }
      assert.equal(made.customer.status, 201, made.customer.text);
      assert.equal(made.address.status, 201, made.address.text);
      assert.equal(made.transaction.status, 201, made.transaction.text);
      assert.equal(paid.status, 200, paid.text);
      assert.equal(paid.body.data.status, 'completed');

      const events = total(counted.counts, /^insert into "events"/);
      const notifications = total(counted.counts, /^insert into "notifications"/);
      assert.equal(events, 12, 'customer, address, transaction (created, ready) and payment (9) events');
      assert.equal(notifications, events, 'one notification per event for the one destination');
      assert.equal(
        total(counted.counts, /^select "notification_settings"/),
        4,
        'the destinations read once per request, not once per event',
      );
      assert.equal(
        total(counted.counts, /^select "api_keys"/),
        0,
        'the key kept across the requests: the invoice counter taken by the payment before is no column of it',
      );
      assert.equal(
        total(counted.counts, /^select "subscriptions"\.\* from "subscriptions" where .*"subscriptions"\."id" = \?/),
        0,
        'the subscription just made is not read back to compare its payment method',
      );
    } finally {
      await t.close();
    }
  });
});
