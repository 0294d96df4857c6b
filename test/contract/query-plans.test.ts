// Every statement the hot paths run finds its rows through an index led by the tenant, never by reading a whole
// tenant table (issue #10, item 4: one unindexed look-up made each seeded subscription slower than the one before,
// 1 ms apiece at 10,000). The paths run for real (checkout, seed, renewals with dunning, changes, the reads
// integrations make, webhooks), every distinct statement SQLite prepared meanwhile is explained, and a plan that
// scans a tenant table fails the test with its SQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { startTestApp } from '../support/app.js';
import { aPaidMonthlyTransaction } from '../support/builders.js';
import { TENANT_TABLES } from '../../src/db/tenant-tables.js';

/**
 * Statements that read across tenants or a tenant's whole (small) table by design, with the reason. Anything
 * else that scans a tenant table is a missing index.
 */
const SCANS_ALLOWED: Array<{ sql: RegExp; why: string }> = [
  {
    sql: /^select "notification_settings"\.\* from "notification_settings" where "notification_settings"\."seller_id" = \? and "notification_settings"\."environment" = \?/,
    why: "a tenant's webhook destinations are few (Paddle allows 10 active), read whole and filtered",
  },
];

/** Tables of one row per tenant (the tenant key is their key): reading "all the tenant's rows" is reading one. */
const ONE_ROW_PER_TENANT = new Set(['seller_environments']);

/** Records the text of every statement better-sqlite3 prepares from now on (each distinct text is prepared once). */
function recordStatements(): { texts: Set<string>; stop(): void } {
  const texts = new Set<string>();
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    texts.add(source);
    return prepare.call(this, source);
  } as typeof prepare;
  return {
    texts,
    stop: () => {
      Database.prototype.prepare = prepare;
    },
  };
}

describe('query plans of the hot paths (SQLite)', () => {
  it('find every row through an index led by the tenant', async () => {
    const t = await startTestApp('sqlite');
    // (After the migrations: they run once, and a backfill may read a whole table.)
    const recorded = recordStatements();
    try {
      const call = async (method: string, url: string, body?: unknown) => {
        const res = await t.request(method, url, body === undefined ? {} : { body });
        assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.text}`);
        return res.body?.data;
      };
      await call('POST', '/notification-settings', {
        description: 'everything',
        type: 'url',
        destination: 'http://127.0.0.1:9/hooks',
        subscribed_events: ['transaction.completed', 'subscription.updated', 'customer.created'],
      });
      const paid = await aPaidMonthlyTransaction(t);
      const declining = await aPaidMonthlyTransaction(t, undefined, '4000 0027 6000 3184');
      const seeded = await call('POST', '/test-helpers/seed', {
        products: { pro: { name: 'Pro', tax_category: 'standard' } },
        prices: {
          monthly: {
            product: 'pro',
            description: 'Monthly',
            unit_price: { amount: '1000', currency_code: 'USD' },
            billing_cycle: { interval: 'month', frequency: 1 },
          },
        },
        customers: { alice: { email: 'alice@example.com', address: { country_code: 'US', postal_code: '10001' } } },
        subscriptions: { alice_pro: { customer: 'alice', items: [{ price: 'monthly', quantity: 1 }] } },
      });
      const subscriptionId = paid.subscription_id as string;
      const priceId = paid.items[0].price.id as string;
      await call('GET', `/subscriptions/${subscriptionId}?include=next_transaction,recurring_transaction_details`);
      await call('GET', `/transactions/${paid.id}?include=customer,address`);
      await call('GET', '/customers?per_page=50');
      await call('GET', `/transactions?subscription_id=${subscriptionId}`);
      await call('GET', '/events');
      await call('PATCH', `/subscriptions/${subscriptionId}`, {
        items: [{ price_id: priceId, quantity: 2 }],
        proration_billing_mode: 'prorated_immediately',
      });
      await call('POST', '/test-helpers/clock/advance', { by: 'P1M' });
      await call('POST', '/test-helpers/clock/advance', { by: 'P10D' });
      await call('POST', `/subscriptions/${seeded.subscriptions.alice_pro}/cancel`, { effective_from: 'immediately' });
      await call('GET', `/subscriptions/${declining.subscription_id}`);
      await call('GET', '/notifications');
    } finally {
      recorded.stop();
    }

    const tenantTables = Object.keys(TENANT_TABLES);
    const scans: string[] = [];
    for (const text of recorded.texts) {
      if (!/^\s*(select|update|delete|with)\b/i.test(text)) continue;
      if (SCANS_ALLOWED.some((allowed) => allowed.sql.test(text))) continue;
      const parameters = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => null);
      const plan = await t.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${text}`, parameters),
      );
      for (const { detail } of plan.rows) {
        const scanned = /^SCAN (\w+)/.exec(detail)?.[1];
        // An index searched by the tenant alone reads all of the tenant's rows too, unless the statement takes a
        // page of them in the index's order (a list: `limit`) or only counts them (a list's estimated total).
        const wholeTenant = /^SEARCH (\w+) USING .*\(seller_id=\? AND environment=\?\)$/.exec(detail)?.[1];
        const page = /\blimit\b/i.test(text) || /^\s*select count\(/i.test(text);
        const table = scanned ?? (page ? undefined : wholeTenant);
        if (table && tenantTables.includes(table) && !ONE_ROW_PER_TENANT.has(table))
          scans.push(`${detail}\n    ${text}`);
      }
    }
    await t.close();
    assert.ok(recorded.texts.size > 50, `the paths ran (${recorded.texts.size} distinct statements)`);
    assert.deepEqual(scans, [], 'statements that read a whole tenant table');
  });
});
