// Money moves at most once, and a failure while it moves changes nothing: the database fails in the middle of a
// renewal (the saved card cannot be read), the renewal rolls back and stays due, and once the database is well
// again the next pass of the sandbox clock renews it. Before, the failure was read as "no card" and the
// subscription went past due with a failed renewal transaction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, useTestApp } from '../support/app.js';
import { aPaidMonthlyTransaction } from '../support/builders.js';
import { Temporal } from '../../src/kernel/time.js';

/**
 * @NOTE the fault is injected in the database itself: the payment-method table is renamed away, so the
 * renewal's look-up of the saved card fails as a broken connection or a corrupt page would, on either engine.
 */
const METHODS = 'payment_methods';
const AWAY = 'payment_methods_unavailable';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let sellers = 0;

  async function renameTable(from: string, to: string) {
    await sql`alter table ${sql.table(from)} rename to ${sql.table(to)}`.execute(t().db);
  }

  async function setUp() {
    sellers += 1;
    const sellerId = `sel_rollback_${sellers}_${dialect}`;
    const { sandbox: key } = await t().createSeller(sellerId);
    const request = (method: string, url: string, body?: unknown) =>
      t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
    const paid = await aPaidMonthlyTransaction(t(), key);
    const subscriptionId = paid.subscription_id as string;
    /** Everything a renewal may change: the subscription, its transactions, the events and payment attempts. */
    async function snapshot() {
      const subscription = await request('GET', `/subscriptions/${subscriptionId}`);
      assert.equal(subscription.status, 200, subscription.text);
      const transactions = await request('GET', `/transactions?subscription_id=${subscriptionId}&order_by=id[ASC]`);
      assert.equal(transactions.status, 200, transactions.text);
      const tenantRows = (table: 'events' | 'payment_attempts') =>
        t()
          .db.selectFrom(table)
          .selectAll()
          .where('seller_id', '=', sellerId)
          .where('environment', '=', 'sandbox')
          .orderBy('id', 'asc')
          .execute();
      // @NOTE management_urls carry a token minted per response, so they are left out of the comparison.
      const { management_urls: _links, ...stored } = subscription.body.data;
      return {
        subscription: stored,
        transactions: transactions.body.data,
        events: await tenantRows('events'),
        attempts: await tenantRows('payment_attempts'),
      };
    }
    async function advance(body: { to?: string; by?: string }) {
      const res = await request('POST', '/test-helpers/clock/advance', body);
      assert.equal(res.status, 200, res.text);
    }
    return { snapshot, advance, request, subscriptionId, price: paid.items[0].price as { id: string } };
  }

  describe('a database failure during a renewal', () => {
    it('rolls the renewal back, leaves everything as it was, and the renewal runs on the next pass', async () => {
      const s = await setUp();
      const before = await s.snapshot();
      assert.equal(before.subscription.status, 'active');
      const renewsAt = Temporal.Instant.from(before.subscription.next_billed_at);

      await renameTable(METHODS, AWAY);
      try {
        await s.advance({ to: renewsAt.add({ minutes: 5 }).toString() });
      } finally {
        await renameTable(AWAY, METHODS);
      }
      assert.deepEqual(await s.snapshot(), before, 'nothing changed: no past due, no transaction, no event');

      await s.advance({ by: 'PT1M' });
      const after = await s.snapshot();
      assert.equal(after.subscription.status, 'active');
      assert.equal(after.subscription.current_billing_period.starts_at, before.subscription.next_billed_at);
      const renewals = after.transactions.filter((txn: any) => txn.origin === 'subscription_recurring');
      assert.equal(renewals.length, 1);
      assert.equal(renewals[0].status, 'completed');
      assert.equal(after.attempts.length, before.attempts.length + 1);
    });

    it('answers 500 to a change billed now and leaves the subscription as it was, even with apply_change', async () => {
      const s = await setUp();
      const before = await s.snapshot();
      await renameTable(METHODS, AWAY);
      let res;
      try {
        res = await s.request('PATCH', `/subscriptions/${s.subscriptionId}`, {
          items: [{ price_id: s.price.id, quantity: 2 }],
          proration_billing_mode: 'prorated_immediately',
          on_payment_failure: 'apply_change',
        });
      } finally {
        await renameTable(AWAY, METHODS);
      }
      assert.equal(res.status, 500, res.text);
      assert.equal(res.body.error.code, 'internal_error');
      assert.deepEqual(await s.snapshot(), before, 'no quantity change, no transaction, not past due');
    });
  });
});
