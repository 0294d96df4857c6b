// GET /events (Paddle's event stream: newest first, 90 days, event_type filter, cursor pages) and GET /event-types.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aCustomer, aPaidMonthlyTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { advanceClock } from '../../../test/support/portal.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('GET /events', () => {
    it('lists what happened, newest first, in Paddle webhook shapes', async () => {
      const seller = await t().createSeller(`sel_events_${dialect}`);
      const paid = await aPaidMonthlyTransaction(t(), seller.sandbox);
      const res = await t().request('GET', '/events?per_page=200', { key: seller.sandbox });
      assertMatchesSpec('list-events', res);
      const events = res.body.data as Array<{
        event_id: string;
        event_type: string;
        occurred_at: string;
        data: Record<string, unknown>;
      }>;
      const ids = events.map((event) => event.event_id);
      assert.deepEqual([...ids].sort().reverse(), ids, 'newest first');
      for (const event of events) {
        assert.deepEqual(Object.keys(event), ['event_id', 'event_type', 'occurred_at', 'data']);
        assert.match(event.event_id, /^evt_[a-z\d]{26}$/);
      }
      const created = events.find((event) => event.event_type === 'subscription.created');
      assert.ok(created, 'subscription.created is listed');
      assert.equal(created.data.id, paid.subscription_id);
      assert.equal(created.data.transaction_id, paid.id);
      assert.equal('management_urls' in created.data, false);
      assert.ok(events.some((event) => event.event_type === 'transaction.completed' && event.data.id === paid.id));
    });

    it('filters by event_type (as the SDK sends it), pages with after, and keeps 90 days', async () => {
      const seller = await t().createSeller(`sel_events_page_${dialect}`);
      const paddle = new Paddle(seller.sandbox, { environment: t().baseUrl as never });
      for (let i = 0; i < 3; i += 1) await aCustomer(t(), {}, seller.sandbox);
      const collected: string[] = [];
      for await (const event of paddle.events.list({ eventType: ['customer.created'], perPage: 2 })) {
        assert.equal(event.eventType, 'customer.created');
        collected.push(event.eventId);
      }
      assert.equal(collected.length, 3);
      const firstPage = await t().request('GET', '/events?per_page=2&event_type=customer.created', {
        key: seller.sandbox,
      });
      assert.equal(firstPage.body.meta.pagination.has_more, true);
      assert.equal(firstPage.body.meta.pagination.estimated_total, 3);
      assert.match(firstPage.body.meta.pagination.next, /after=evt_/);
      assertPaddleError(
        await t().request('GET', '/events?event_type=customer.exploded', { key: seller.sandbox }),
        400,
        'invalid_field',
      );

      await advanceClock(t(), { by: 'P91D' }, seller.sandbox);
      const later = await t().request('GET', '/events?event_type=customer.created', { key: seller.sandbox });
      assertMatchesSpec('list-events', later);
      assert.deepEqual(later.body.data, [], 'events older than 90 days are not listed');
    });

    it('keeps tenants apart and needs notification.read', async () => {
      const other = await t().createSeller(`sel_events_other_${dialect}`);
      await aCustomer(t(), {}, other.sandbox);
      const mine = await t().request('GET', '/events?per_page=200', { key: other.live });
      assert.deepEqual(mine.body.data, []);
      const noRead = await t().createKey('sandbox', ['customer.read'], `sel_events_other_${dialect}`);
      assertPaddleError(await t().request('GET', '/events', { key: noRead }), 403, 'forbidden');
      const reader = await t().createKey('sandbox', ['notification.read'], `sel_events_other_${dialect}`);
      assert.equal((await t().request('GET', '/events', { key: reader })).body.data.length, 1);
    });
  });

  describe('GET /event-types', () => {
    it("lists Paddle's event types with description, group and versions, to any key", async () => {
      const key = await t().createKey('sandbox', []);
      const res = await t().request('GET', '/event-types', { key });
      assertMatchesSpec('list-event-types', res);
      // The reference's 50, and the two discount group events Paddle added since (openapi/newer.json).
      assert.equal(res.body.data.length, 52);
      assert.ok(res.body.data.some((type: { name: string }) => type.name === 'discount_group.updated'));
      const created = res.body.data.find((type: { name: string }) => type.name === 'subscription.created');
      assert.equal(created.group, 'Subscription');
      assert.deepEqual(created.available_versions, [1]);
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      assert.equal((await paddle.eventTypes.list()).length, 52);
      assertPaddleError(await t().request('GET', '/event-types', { key: null }), 403, 'authentication_missing');
    });
  });
});
