// Notification settings: every operation against the spec, Paddle's defaults, limits and codes, the URL rules
// (loopback in the sandbox; public https in live; never Paddock's own port or database), permissions, tenants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';

const body = (overrides: Record<string, unknown> = {}) => ({
  description: 'My handler',
  type: 'url',
  destination: 'http://localhost:3000/webhooks',
  subscribed_events: ['subscription.created', 'transaction.completed'],
  ...overrides,
});

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('notification settings', () => {
    it('creates with Paddle defaults and a pdl_ntfset_ secret; names in, objects out', async () => {
      const created = await t().request('POST', '/notification-settings', { body: body() });
      assertMatchesSpec('create-notification-setting', created);
      const setting = created.body.data;
      assert.match(setting.id, /^ntfset_[a-z\d]{26}$/);
      assert.match(setting.endpoint_secret_key, /^pdl_ntfset_[a-zA-Z0-9]{26}_[a-zA-Z0-9]{32}$/);
      assert.equal(setting.active, true);
      assert.equal(setting.api_version, 1);
      assert.equal(setting.include_sensitive_fields, false);
      assert.equal(setting.traffic_source, 'platform');
      assert.deepEqual(
        setting.subscribed_events.map((e: { name: string }) => e.name),
        ['subscription.created', 'transaction.completed'],
      );
      assert.equal(setting.subscribed_events[0].group, 'Subscription');
      const fetched = await t().request('GET', `/notification-settings/${setting.id}`);
      assertMatchesSpec('get-notification-setting', fetched);
      assert.deepEqual(fetched.body.data, setting);
    });

    it('PATCH replaces subscribed_events and changes only what is given; DELETE answers 204', async () => {
      const { id } = (
        await t().request('POST', '/notification-settings', { body: body({ destination: 'http://127.0.0.1:9/a' }) })
      ).body.data;
      const updated = await t().request('PATCH', `/notification-settings/${id}`, {
        body: { subscribed_events: ['customer.created'], active: false, include_sensitive_fields: true },
      });
      assertMatchesSpec('update-notification-setting', updated);
      assert.deepEqual(
        updated.body.data.subscribed_events.map((e: { name: string }) => e.name),
        ['customer.created'],
      );
      assert.equal(updated.body.data.active, false);
      assert.equal(updated.body.data.include_sensitive_fields, true);
      assert.equal(updated.body.data.destination, 'http://127.0.0.1:9/a');
      const listed = await t().request('GET', '/notification-settings?active=false');
      assertMatchesSpec('list-notification-settings', listed);
      assert.ok(listed.body.data.some((s: { id: string }) => s.id === id));
      assert.equal(listed.body.meta.pagination.per_page, 200);
      const deleted = await t().request('DELETE', `/notification-settings/${id}`);
      assertMatchesSpec('delete-notification-setting', deleted);
      assertPaddleError(await t().request('GET', `/notification-settings/${id}`), 404, 'not_found');
    });

    it('allows ten active settings per environment, then notification_maximum_active_settings_reached', async () => {
      const seller = await t().createSeller(`sel_ntfset_limit_${dialect}`);
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1) {
        const res = await t().request('POST', '/notification-settings', {
          body: body({ destination: `http://localhost:4000/${i}` }),
          key: seller.sandbox,
        });
        assert.equal(res.status, 201, res.text);
        ids.push(res.body.data.id);
      }
      const eleventh = await t().request('POST', '/notification-settings', {
        body: body({ destination: 'http://localhost:4000/x' }),
        key: seller.sandbox,
      });
      assertPaddleError(eleventh, 400, 'notification_maximum_active_settings_reached');
      await t().request('PATCH', `/notification-settings/${ids[0]}`, { body: { active: false }, key: seller.sandbox });
      const again = await t().request('POST', '/notification-settings', {
        body: body({ destination: 'http://localhost:4000/x' }),
        key: seller.sandbox,
      });
      assert.equal(again.status, 201);
      assertPaddleError(
        await t().request('PATCH', `/notification-settings/${ids[0]}`, { body: { active: true }, key: seller.sandbox }),
        400,
        'notification_maximum_active_settings_reached',
      );
      assertPaddleError(
        await t().request('POST', '/notification-settings', {
          body: body({ destination: 'http://localhost:4000/x' }),
          key: seller.live,
        }),
        400,
        'invalid_field',
      );
    });

    it('refuses a duplicate destination with notification_setting_cannot_be_duplicate', async () => {
      await t().request('POST', '/notification-settings', { body: body({ destination: 'http://localhost:5000/dup' }) });
      assertPaddleError(
        await t().request('POST', '/notification-settings', {
          body: body({ destination: 'http://localhost:5000/dup' }),
        }),
        409,
        'notification_setting_cannot_be_duplicate',
      );
    });

    it('sandbox accepts loopback; live needs public https; neither reaches Paddock itself or its database', async () => {
      const ownPort = t().config.port;
      for (const destination of ['http://localhost:3000/h', 'http://127.0.0.1:8081/h', 'https://[::1]:8443/h']) {
        assert.equal(
          (await t().request('POST', '/notification-settings', { body: body({ destination }) })).status,
          201,
          destination,
        );
      }
      for (const destination of [
        `http://127.0.0.1:${ownPort}/customers`,
        `http://localhost:${ownPort}/`,
        'ftp://example.com/x',
        'not a url',
      ]) {
        const res = await t().request('POST', '/notification-settings', { body: body({ destination }) });
        assertPaddleError(res, 400, 'invalid_field');
        assert.equal(res.body.error.errors[0].field, 'destination');
      }
      for (const destination of [
        'http://example.com/h',
        'https://localhost/h',
        'https://10.1.2.3/h',
        'https://192.168.1.1/h',
        'https://169.254.169.254/latest',
      ]) {
        const res = await t().request('POST', '/notification-settings', {
          body: body({ destination }),
          key: t().keys.live,
        });
        assertPaddleError(res, 400, 'invalid_field');
      }
      const live = await t().request('POST', '/notification-settings', {
        body: body({ destination: 'https://hooks.example.com/paddle' }),
        key: t().keys.live,
      });
      assert.equal(live.status, 201, live.text);
      assertPaddleError(
        await t().request('POST', '/notification-settings', { body: body({ type: 'email', destination: 'nope' }) }),
        400,
        'invalid_field',
      );
      assert.equal(
        (
          await t().request('POST', '/notification-settings', {
            body: body({ type: 'email', destination: 'ops@example.com' }),
          })
        ).status,
        201,
      );
      assertPaddleError(
        await t().request('POST', '/notification-settings', {
          body: body({ subscribed_events: ['customer.exploded'] }),
        }),
        400,
        'invalid_field',
      );
    });

    it('needs notification_setting.read / .write and keeps tenants apart', async () => {
      const reader = await t().createKey('sandbox', ['notification_setting.read']);
      assertPaddleError(
        await t().request('POST', '/notification-settings', { body: body(), key: reader }),
        403,
        'forbidden',
      );
      const none = await t().createKey('sandbox', ['customer.read']);
      assertPaddleError(await t().request('GET', '/notification-settings', { key: none }), 403, 'forbidden');
      const other = await t().createSeller(`sel_ntfset_other_${dialect}`);
      const mine = (
        await t().request('POST', '/notification-settings', { body: body({ destination: 'http://localhost:7/t' }) })
      ).body.data;
      assertPaddleError(
        await t().request('GET', `/notification-settings/${mine.id}`, { key: other.sandbox }),
        404,
        'not_found',
      );
    });

    it('works through the official Node SDK', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const created = await paddle.notificationSettings.create({
        description: 'SDK',
        type: 'url',
        destination: 'http://localhost:3999/sdk',
        subscribedEvents: ['customer.created'],
        trafficSource: 'all',
      });
      assert.equal(created.trafficSource, 'all');
      assert.equal(created.subscribedEvents[0]?.name, 'customer.created');
      const updated = await paddle.notificationSettings.update(created.id, { subscribedEvents: ['address.created'] });
      assert.deepEqual(
        updated.subscribedEvents.map((e) => e.name),
        ['address.created'],
      );
      const all = await paddle.notificationSettings.list();
      assert.ok(all.some((s) => s.id === created.id));
    });
  });
});
