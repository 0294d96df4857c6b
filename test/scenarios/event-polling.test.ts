// Polling GET /events with `after=<the last event id seen>`: every event recorded later must be found, also when due
// work runs at its own earlier instant on the sandbox clock (an overdue renewal) and when another seller's clock is
// years ahead. Ids sort in the order rows are made (kernel/ids.ts), not by a sandbox clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeTime } from 'ulid';
import { forEachDialect, useTestApp } from '../support/app.js';
import { assertMatchesSpec } from '../support/contract.js';
import { instant, kit, sellerAt } from '../support/subscriptions.js';

const START = '2031-01-15T09:00:00Z';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function eventsAfter(key: string, after: string) {
    const res = await t().request('GET', `/events?after=${after}&per_page=200&order_by=id[ASC]`, { key });
    assertMatchesSpec('list-events', res);
    return res.body.data as { event_id: string; event_type: string; occurred_at: string }[];
  }

  describe('polling events with after=', () => {
    it('finds an overdue renewal run at its own earlier instant after an event made later', async () => {
      const { key } = await sellerAt(t(), START);
      const k = kit(t, key);
      const { sub } = await k.subscribe([{ price: await k.price(1500), quantity: 1 }]);
      const renewal = instant(sub.next_billed_at);
      // One second before the renewal, the clock runs again; a second and a half later the renewal is overdue.
      await k.advance({ to: renewal.subtract({ seconds: 1 }).toString() });
      assert.equal((await t().request('POST', '/test-helpers/clock/unfreeze', { key })).status, 200);
      await sleep(1500);
      const customer = await t().request('POST', '/customers', { key, body: { email: 'later@example.com' } });
      assert.equal(customer.status, 201, customer.text);
      const seen = (await eventsAfter(key, 'evt_00000000000000000000000000')).at(-1)!;
      assert.equal(seen.event_type, 'customer.created');

      await k.advance({ by: 'PT1S' }); // runs the overdue renewal at its own instant, before the customer's
      const later = await eventsAfter(key, seen.event_id);
      const renewed = later.filter((event) => event.event_type === 'transaction.completed');
      assert.equal(renewed.length, 1, JSON.stringify(later.map((event) => event.event_type)));
      assert.ok(instant(renewed[0]!.occurred_at).epochMilliseconds < instant(seen.occurred_at).epochMilliseconds);
    });

    it("is not moved by another seller's clock years ahead", async () => {
      const ahead = await sellerAt(t(), '2040-01-01T00:00:00Z');
      const behind = await sellerAt(t(), START);
      await t().request('POST', '/customers', { key: ahead.key, body: { email: 'ahead@example.com' } });
      const first = await t().request('POST', '/customers', { key: behind.key, body: { email: 'one@example.com' } });
      const [seen] = await eventsAfter(behind.key, 'evt_00000000000000000000000000');
      assert.equal(seen?.event_type, 'customer.created');
      const second = await t().request('POST', '/customers', { key: behind.key, body: { email: 'two@example.com' } });
      assert.ok(second.body.data.id > first.body.data.id);
      // Its id's time is when it was made, not the other seller's 2040: a process started later (a restart, the CLI,
      // a second server) makes ids from its own start, which must sort after these.
      const madeAt = decodeTime(String(first.body.data.id).slice('ctm_'.length).toUpperCase());
      assert.ok(madeAt < instant('2030-01-01T00:00:00Z').epochMilliseconds, new Date(madeAt).toISOString());
      const later = await eventsAfter(behind.key, seen.event_id);
      assert.deepEqual(
        later.map((event) => event.event_type),
        ['customer.created'],
      );
    });
  });
});
