// Two tests running at the same time, each on a seller of its own (made by the test helper), each advancing its
// own sandbox clock: neither sees anything of the other through the API, its events, its emails or its portal, and
// one's clock renews nothing of the other's (#15 item 5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp, type TestApp } from '../support/app.js';
import { assertPaddleError } from '../support/contract.js';
import { fillSandbox, newSeller } from '../support/sandboxes.js';

/** Resolves once `parties` callers have arrived: the two tests meet here so their steps interleave. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return all;
  };
}

interface Suite {
  sellerId: string;
  key: string;
  subscriptionId: string;
  customerId: string;
  email: string;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  const ready = barrier(2);
  const advanced = barrier(2);
  const suites = new Map<string, Suite>();

  async function run(name: string, other: string, months: number, app: TestApp) {
    const seller = await newSeller(app, { name, clock: { frozen_at: '2026-01-15T12:00:00Z' } });
    const key = seller.sandbox.api_key;
    const { sub, customer } = await fillSandbox(app, seller);
    suites.set(name, {
      sellerId: seller.id,
      key,
      subscriptionId: sub.id,
      customerId: customer.id,
      email: customer.email,
    });
    await ready();
    // Both advance at once: A by one more month, B by three more (fillSandbox already moved each by one).
    const res = await app.request('POST', '/test-helpers/clock/advance', { key, body: { by: `P${months}M` } });
    assert.equal(res.status, 200, res.text);
    await advanced();
    const mine = suites.get(name)!;
    const theirs = suites.get(other)!;

    // The clock: mine moved by my advances only.
    const clock = await app.request('GET', '/test-helpers/clock', { key });
    assert.equal(clock.body.data.now, `2026-${String(2 + months).padStart(2, '0')}-15T12:00:00Z`);

    // The API: my subscription renewed once a month on my clock; theirs is not mine to see.
    const subs = await app.request('GET', '/subscriptions', { key });
    assert.deepEqual(
      subs.body.data.map((s: { id: string }) => s.id),
      [mine.subscriptionId],
    );
    const txns = await app.request('GET', `/transactions?subscription_id=${mine.subscriptionId}`, { key });
    assert.equal(txns.body.data.length, 2 + months, 'the first payment and one renewal per month');
    assertPaddleError(await app.request('GET', `/subscriptions/${theirs.subscriptionId}`, { key }), 404, 'not_found');
    assertPaddleError(await app.request('GET', `/customers/${theirs.customerId}`, { key }), 404, 'not_found');

    // Events: every one is about my entities.
    const events = await app.request('GET', '/events?per_page=200', { key });
    assert.equal(events.status, 200, events.text);
    const text = JSON.stringify(events.body.data);
    assert.ok(text.includes(mine.subscriptionId));
    assert.ok(!text.includes(theirs.subscriptionId) && !text.includes(theirs.customerId), 'no event of theirs');

    // Emails: only my customer's sign-in email.
    const emails = await app.request('GET', '/test-helpers/emails', { key });
    assert.deepEqual(
      emails.body.data.map((e: { to: string }) => e.to),
      [mine.email],
    );

    // The portal: sessions for my customer only, on my own portal.
    const session = await app.request('POST', `/customers/${mine.customerId}/portal-sessions`, { key, body: {} });
    assert.equal(session.status, 201, session.text);
    const portalId = (
      await app.db
        .selectFrom('seller_environments')
        .select('portal_id')
        .where('seller_id', '=', mine.sellerId)
        .where('environment', '=', 'sandbox')
        .executeTakeFirstOrThrow()
    ).portal_id;
    assert.ok(session.body.data.urls.general.overview.includes(`/${portalId}`));
    assertPaddleError(
      await app.request('POST', `/customers/${theirs.customerId}/portal-sessions`, { key, body: {} }),
      404,
      'not_found',
    );
  }

  describe('two suites in parallel, each on its own seller', { concurrency: 2 }, () => {
    it('suite A', () => run('A', 'B', 1, t()));
    it('suite B', () => run('B', 'A', 3, t()));
  });
});
