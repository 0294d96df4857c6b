// Webhook delivery end to end: signed bodies the official SDK accepts, retries on the sandbox clock seen through
// statuses and logs, a hanging receiver not holding up another, replay, email destinations, filters, /ips.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp, type TestApp } from '../../../test/support/app.js';
import { aCustomer } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { advanceClock } from '../../../test/support/portal.js';
import { aDestination, deliverNow, startReceiver, type Receiver } from '../../../test/support/webhooks.js';
import { startNotificationWorker } from '../../jobs/notification-worker.js';
import { runDueWorkOnce } from '../../jobs/scheduler.js';

let sellers = 0;
async function aSeller(t: TestApp) {
  sellers += 1;
  return t.createSeller(`sel_ntf${sellers}_${t.dialect}`);
}

async function until<T>(what: () => Promise<T | undefined> | T | undefined, description: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await what();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${description}`);
}

const receivers: Receiver[] = [];
after(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});
async function receiver(respond?: Receiver['respond']) {
  const started = await startReceiver(respond);
  receivers.push(started);
  return started;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('webhook delivery', () => {
    it('POSTs a signed Paddle body the official SDK verifies, and refuses when one byte changes', async () => {
      const seller = await aSeller(t());
      const hook = await receiver();
      const setting = await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      const customer = await aCustomer(t(), {}, seller.sandbox);
      assert.equal(hook.received.length, 0, 'nothing is sent by the request itself');
      assert.equal(await deliverNow(t(), seller.sandbox), 1);
      const [delivery] = hook.received;
      assert.ok(delivery);
      assert.match(String(delivery.headers['user-agent']), /Paddle/);
      assert.equal(delivery.headers['content-type'], 'application/json');
      const signature = String(delivery.headers['paddle-signature']);
      assert.match(signature, /^ts=\d+;h1=[0-9a-f]{64}$/);

      const paddle = new Paddle(seller.sandbox, { environment: t().baseUrl as never });
      const event = await paddle.webhooks.unmarshal(delivery.body, setting.endpoint_secret_key, signature);
      assert.equal(event.eventType, 'customer.created');
      assert.equal((event.data as { id: string }).id, customer.id);
      const body = JSON.parse(delivery.body);
      assert.deepEqual(Object.keys(body), ['event_id', 'event_type', 'occurred_at', 'notification_id', 'data']);
      assert.match(body.notification_id, /^ntf_[a-z\d]{26}$/);

      const last = customer.id.at(-1) === 'x' ? 'y' : 'x';
      const tampered = delivery.body.replace(customer.id, `${customer.id.slice(0, -1)}${last}`);
      assert.notEqual(tampered, delivery.body);
      assert.equal(tampered.length, delivery.body.length);
      await assert.rejects(paddle.webhooks.unmarshal(tampered, setting.endpoint_secret_key, signature));
      assert.equal(await paddle.webhooks.isSignatureValid(tampered, setting.endpoint_secret_key, signature), false);

      const listed = await t().request('GET', `/notifications?notification_setting_id=${setting.id}`, {
        key: seller.sandbox,
      });
      assertMatchesSpec('list-notifications', listed);
      const [notification] = listed.body.data;
      assert.equal(notification.id, body.notification_id);
      assert.equal(notification.status, 'delivered');
      assert.equal(notification.times_attempted, 1);
      assert.equal(notification.origin, 'event');
      assert.ok(notification.delivered_at);
      assert.deepEqual(notification.payload, body);
      const fetched = await t().request('GET', `/notifications/${notification.id}`, { key: seller.sandbox });
      assertMatchesSpec('get-notification', fetched);
      assert.equal(await deliverNow(t(), seller.sandbox), 0, 'a delivered notification is not sent again');
      assert.equal(hook.received.length, 1);
    });

    it('retries on the sandbox clock: fails twice, then succeeds, seen in statuses and logs', async () => {
      const seller = await aSeller(t());
      const hook = await receiver((count) => (count <= 2 ? 500 : 200));
      const setting = await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      await aCustomer(t(), {}, seller.sandbox);
      await deliverNow(t(), seller.sandbox);
      const read = async () =>
        (await t().request('GET', `/notifications?notification_setting_id=${setting.id}`, { key: seller.sandbox })).body
          .data[0];
      const first = await read();
      assert.equal(first.status, 'needs_retry');
      assert.equal(first.times_attempted, 1);
      assert.equal(Date.parse(first.retry_at) - Date.parse(first.last_attempt_at), 60_000);
      await advanceClock(t(), { by: 'PT30S' }, seller.sandbox);
      assert.equal(hook.received.length, 1, 'not due yet');
      await advanceClock(t(), { by: 'PT31S' }, seller.sandbox);
      assert.equal(hook.received.length, 2);
      const second = await read();
      assert.equal(second.status, 'needs_retry');
      assert.equal(Date.parse(second.retry_at) - Date.parse(second.last_attempt_at), 180_000);
      await advanceClock(t(), { by: 'PT10M' }, seller.sandbox);
      assert.equal(hook.received.length, 3);
      const third = await read();
      assert.equal(third.status, 'delivered');
      assert.equal(third.times_attempted, 3);
      assert.equal(third.retry_at, null);
      const logs = await t().request('GET', `/notifications/${third.id}/logs`, { key: seller.sandbox });
      assertMatchesSpec('list-notification-logs', logs);
      assert.deepEqual(
        logs.body.data.map((log: { response_code: number }) => log.response_code),
        [200, 500, 500],
      );
      assert.equal(logs.body.data[1].response_body, 'no (500)');
      assert.equal(logs.body.data[1].response_content_type, 'text/plain');
      assert.equal(new Set(hook.received.map((r) => JSON.parse(r.body).notification_id)).size, 1);
    });

    it('fails for good after the sandbox schedule (3 retries within 15 minutes)', async () => {
      const seller = await aSeller(t());
      const hook = await receiver(() => 503);
      const setting = await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      await aCustomer(t(), {}, seller.sandbox);
      await deliverNow(t(), seller.sandbox);
      await advanceClock(t(), { by: 'PT15M' }, seller.sandbox);
      assert.equal(hook.received.length, 4);
      const failed = await t().request('GET', `/notifications?status=failed&notification_setting_id=${setting.id}`, {
        key: seller.sandbox,
      });
      assert.equal(failed.body.data.length, 1);
      assert.equal(failed.body.data[0].times_attempted, 4);
      await advanceClock(t(), { by: 'P1D' }, seller.sandbox);
      assert.equal(hook.received.length, 4);
    });

    it('a receiver that never answers does not hold up another destination', async () => {
      const seller = await aSeller(t());
      const dead = await receiver(() => 'hang');
      const alive = await receiver();
      await aDestination(t(), dead.url, ['customer.created'], seller.sandbox);
      const good = await aDestination(t(), alive.url, ['customer.created'], seller.sandbox);
      const worker = startNotificationWorker({
        db: t().db,
        dialect: t().dialect,
        wallClock: t().clock,
        config: t().config,
        wiring: t().wiring,
        pollMs: 20,
      });
      try {
        for (let i = 0; i < 3; i += 1) await aCustomer(t(), {}, seller.sandbox);
        // @NOTE the snapshot is taken the moment all three to the live receiver are recorded: the dead receiver's attempts are
        // then still unrecorded (each waits out its 5 s), so they did not stand in the way.
        const snapshot = await until(async () => {
          const res = await t().request('GET', '/notifications?per_page=10', { key: seller.sandbox });
          const rows = res.body.data as Array<{ notification_setting_id: string; status: string }>;
          const delivered = rows.filter((n) => n.notification_setting_id === good.id && n.status === 'delivered');
          return delivered.length === 3 ? rows : undefined;
        }, 'three deliveries to the live receiver');
        assert.deepEqual(
          snapshot.filter((n) => n.notification_setting_id === good.id).map((n) => n.status),
          ['delivered', 'delivered', 'delivered'],
        );
        assert.deepEqual(
          snapshot.filter((n) => n.notification_setting_id !== good.id).map((n) => n.status),
          ['not_attempted', 'not_attempted', 'not_attempted'],
          'the dead receiver’s attempts were still in flight',
        );
        await until(() => (dead.received.length === 3 ? true : undefined), 'the dead receiver to be tried three times');
        const timedOut = await until(async () => {
          const res = await t().request('GET', '/notifications?status=needs_retry', { key: seller.sandbox });
          return res.body.data.length === 3 ? res.body.data : undefined;
        }, 'the 5 s timeouts');
        const logs = await t().request('GET', `/notifications/${timedOut[0].id}/logs`, { key: seller.sandbox });
        assert.equal(logs.body.data[0].response_code, 0);
        assert.match(logs.body.data[0].response_body, /no answer within 5 s/);
      } finally {
        await worker.stop();
      }
    });

    it('the scheduler leaves deliveries to the worker: one claim path, which also sends retries on the tenant clock', async () => {
      const seller = await aSeller(t());
      const hook = await receiver((count) => (count === 1 ? 500 : 200));
      const setting = await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      await aCustomer(t(), {}, seller.sandbox);
      const deps = { db: t().db, dialect: t().dialect, wallClock: t().clock, config: t().config, wiring: t().wiring };
      await runDueWorkOnce(deps);
      assert.equal(hook.received.length, 0, 'the scheduler claimed nothing');
      const read = async () =>
        (await t().request('GET', `/notifications?notification_setting_id=${setting.id}`, { key: seller.sandbox })).body
          .data[0];
      assert.equal((await read()).status, 'not_attempted');
      const worker = startNotificationWorker({ ...deps, pollMs: 20 });
      try {
        await until(async () => ((await read()).status === 'needs_retry' ? true : undefined), 'the first attempt');
        // Moves the stored clock past the retry without running due work: the worker finds the retry due.
        await t()
          .db.updateTable('seller_environments')
          .set({ clock_offset_us: 120_000_000n })
          .where('seller_id', '=', `sel_ntf${sellers}_${dialect}`)
          .where('environment', '=', 'sandbox')
          .execute();
        await until(async () => ((await read()).status === 'delivered' ? true : undefined), 'the retry');
      } finally {
        await worker.stop();
      }
      assert.equal(hook.received.length, 2);
    });

    it('serves tenants in turn: one tenant’s backlog does not hold up another’s first delivery', async () => {
      const busy = await aSeller(t());
      const quiet = await aSeller(t());
      const arrivals: string[] = [];
      const busyHook = await receiver(() => {
        arrivals.push('busy');
        return 200;
      });
      const quietHook = await receiver(() => {
        arrivals.push('quiet');
        return 200;
      });
      await aDestination(t(), busyHook.url, ['customer.created'], busy.sandbox);
      await aDestination(t(), quietHook.url, ['customer.created'], quiet.sandbox);
      for (let i = 0; i < 12; i += 1) await aCustomer(t(), {}, busy.sandbox);
      await aCustomer(t(), {}, quiet.sandbox);
      const worker = startNotificationWorker({
        db: t().db,
        dialect: t().dialect,
        wallClock: t().clock,
        config: t().config,
        wiring: t().wiring,
        pollMs: 20,
        concurrency: { overall: 2, perDestination: 2 },
      });
      try {
        await until(() => (arrivals.length === 13 ? true : undefined), 'every delivery');
      } finally {
        await worker.stop();
      }
      assert.ok(
        arrivals.indexOf('quiet') < 6,
        `the quiet tenant waited for ${arrivals.indexOf('quiet')} of the busy one's deliveries`,
      );
    });

    it('replays a delivered notification as a new one (202); refuses replays of replays and pending ones', async () => {
      const seller = await aSeller(t());
      const hook = await receiver();
      await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      await aCustomer(t(), {}, seller.sandbox);
      await deliverNow(t(), seller.sandbox);
      const original = (await t().request('GET', '/notifications', { key: seller.sandbox })).body.data[0];
      const replayed = await t().request('POST', `/notifications/${original.id}/replay`, { key: seller.sandbox });
      assertMatchesSpec('replay-notification', replayed);
      const replayId = replayed.body.data.notification_id;
      assert.notEqual(replayId, original.id);
      await deliverNow(t(), seller.sandbox);
      assert.equal(hook.received.length, 2);
      const second = JSON.parse(hook.received[1]!.body);
      assert.equal(second.notification_id, replayId);
      assert.equal(second.event_id, original.payload.event_id);
      const replay = (await t().request('GET', `/notifications/${replayId}`, { key: seller.sandbox })).body.data;
      assert.equal(replay.origin, 'replay');
      assert.equal(replay.status, 'delivered');
      assertPaddleError(
        await t().request('POST', `/notifications/${replayId}/replay`, { key: seller.sandbox }),
        400,
        'notification_replay_invalid_origin_type',
      );
      await aCustomer(t(), {}, seller.sandbox);
      const pending = (await t().request('GET', '/notifications?status=not_attempted', { key: seller.sandbox })).body
        .data[0];
      assertPaddleError(
        await t().request('POST', `/notifications/${pending.id}/replay`, { key: seller.sandbox }),
        400,
        'notification_cannot_replay',
      );
      assertPaddleError(
        await t().request('POST', '/notifications/ntf_01h46h1s2zabpkdks7yt4vkgkc/replay', { key: seller.sandbox }),
        404,
        'not_found',
      );
    });

    it('sends events to email destinations as kept emails', async () => {
      const seller = await aSeller(t());
      const res = await t().request('POST', '/notification-settings', {
        body: {
          description: 'ops',
          type: 'email',
          destination: 'ops@example.com',
          subscribed_events: ['customer.created'],
        },
        key: seller.sandbox,
      });
      assert.equal(res.status, 201);
      const customer = await aCustomer(t(), {}, seller.sandbox);
      await deliverNow(t(), seller.sandbox);
      const emails = await t().request('GET', '/test-helpers/emails?to=ops%40example.com', { key: seller.sandbox });
      assert.equal(emails.body.data.length, 1);
      assert.equal(emails.body.data[0].subject, 'Paddle notification: customer.created');
      assert.ok(emails.body.data[0].text.includes(customer.id));
      const notification = (await t().request('GET', '/notifications', { key: seller.sandbox })).body.data[0];
      assert.equal(notification.status, 'delivered');
    });

    it('filters by status, destination, contained id, search and time; only subscribed, active, platform destinations get one', async () => {
      const seller = await aSeller(t());
      const hook = await receiver();
      const customers = await aDestination(t(), hook.url, ['customer.created'], seller.sandbox);
      const addresses = await aDestination(t(), `${hook.url}/2`, ['address.created'], seller.sandbox);
      await t().request('POST', '/notification-settings', {
        body: {
          description: 'sim',
          type: 'url',
          destination: `${hook.url}/sim`,
          subscribed_events: ['customer.created'],
          traffic_source: 'simulation',
        },
        key: seller.sandbox,
      });
      const inactive = await aDestination(t(), `${hook.url}/off`, ['customer.created'], seller.sandbox);
      await t().request('PATCH', `/notification-settings/${inactive.id}`, {
        body: { active: false },
        key: seller.sandbox,
      });
      const first = await aCustomer(t(), {}, seller.sandbox);
      const second = await aCustomer(t(), {}, seller.sandbox);
      const all = await t().request('GET', '/notifications', { key: seller.sandbox });
      assert.equal(all.body.data.length, 2, 'one per customer, to the one subscribed active platform destination');
      const list = async (query: string) =>
        (await t().request('GET', `/notifications?${query}`, { key: seller.sandbox })).body.data.map(
          (n: { id: string }) => n.id,
        );
      assert.equal((await list(`filter=${first.id}`)).length, 1);
      assert.equal((await list(`search=${second.email.split('@')[0]}`)).length, 1);
      assert.equal((await list(`notification_setting_id=${addresses.id}`)).length, 0);
      assert.equal((await list(`notification_setting_id=${customers.id},${addresses.id}`)).length, 2);
      assert.equal((await list('status=delivered,failed')).length, 0);
      assert.equal((await list('to=2000-01-01T00:00:00Z')).length, 0);
      assert.equal((await list('from=2000-01-01T00:00:00')).length, 2);
      assertPaddleError(
        await t().request('GET', '/notifications?from=yesterday', { key: seller.sandbox }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', '/notifications?status=lost', { key: seller.sandbox }),
        400,
        'invalid_field',
      );
    });

    it('answers Paddle’s webhook source addresses per environment', async () => {
      const sandbox = await t().request('GET', '/ips');
      assertMatchesSpec('get-ip-addresses', sandbox);
      assert.ok(sandbox.body.data.ipv4_cidrs.includes('34.194.127.46/32'));
      const live = await t().request('GET', '/ips', { key: t().keys.live });
      assert.ok(live.body.data.ipv4_cidrs.includes('34.232.58.13/32'));
      assert.equal(live.body.data.ipv4_cidrs.length, 6);
    });

    it('checks permissions: notification.read, notification.write, and sandbox keys for the helper', async () => {
      const none = await t().createKey('sandbox', ['customer.read']);
      assertPaddleError(await t().request('GET', '/notifications', { key: none }), 403, 'forbidden');
      assertPaddleError(
        await t().request('GET', '/notifications/ntf_01h46h1s2zabpkdks7yt4vkgkc/logs', { key: none }),
        403,
        'forbidden',
      );
      const reader = await t().createKey('sandbox', ['notification.read']);
      assertPaddleError(
        await t().request('POST', '/notifications/ntf_01h46h1s2zabpkdks7yt4vkgkc/replay', { key: reader }),
        403,
        'forbidden',
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/notifications/deliver', { key: t().keys.live }),
        403,
        'forbidden',
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/notifications/deliver', { key: reader }),
        403,
        'forbidden',
      );
      const writer = await t().createKey('sandbox', ['notification.write']);
      assert.equal((await t().request('POST', '/test-helpers/notifications/deliver', { key: writer })).status, 200);
      assertPaddleError(await t().request('GET', '/ips', { key: null }), 403, 'authentication_missing');
    });
  });
});
