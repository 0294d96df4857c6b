// `POST /customers/{customer_id}/portal-sessions`: the response against the spec, link shapes on both portal bases,
// one verifiable token for every link, overview links for manual/paused/canceled subscriptions, the 25 limit,
// errors, permissions and isolation; plus the SDK as a client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aCustomer } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { Temporal } from '../../kernel/time.js';
import { jwtClaims, portalRow, subscribe, subscribeManually } from '../../../test/support/portal.js';
import { verifyPortalToken } from '../sellers/portal-tokens.js';

const SANDBOX_PORTAL = 'https://sandbox-portal.paddock.test';
const LIVE_PORTAL = 'https://portal.paddock.test';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect, {
    PADDOCK_SANDBOX_CUSTOMER_PORTAL_URL: SANDBOX_PORTAL,
    PADDOCK_CUSTOMER_PORTAL_URL: LIVE_PORTAL,
  });

  const create = (customerId: string, body?: unknown, key?: string) =>
    t().request('POST', `/customers/${customerId}/portal-sessions`, {
      ...(body !== undefined ? { body } : {}),
      ...(key ? { key } : {}),
    });

  describe('creating a session', () => {
    it('answers 201 with an overview link and per-subscription links sharing one fresh token', async () => {
      const first = await subscribe(t());
      const second = await subscribe(t(), { buyer: { customer: first.customer, address: first.address } });
      const res = await create(first.customer.id, { subscription_ids: [second.sub.id, first.sub.id] });
      assertMatchesSpec('create-customer-portal-session', res);
      assert.equal(res.status, 201);
      const session = res.body.data;
      assert.match(session.id, /^cpls_[a-z\d]{26}$/);
      assert.equal(session.customer_id, first.customer.id);
      const { portal_id: cpl, portal_signing_secret: secret } = await portalRow(t(), 'sandbox');
      const token = /&token=(pga_[^&]+)$/.exec(session.urls.general.overview)?.[1] ?? '';
      assert.equal(session.urls.general.overview, `${SANDBOX_PORTAL}/${cpl}?action=overview&token=${token}`);
      // Request order is kept; every link carries the same token as the last parameter.
      assert.deepEqual(
        session.urls.subscriptions,
        [second.sub.id, first.sub.id].map((id) => ({
          id,
          cancel_subscription: `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${id}&token=${token}`,
          update_subscription_payment_method: `${SANDBOX_PORTAL}/${cpl}?action=update_subscription_payment_method&subscription_id=${id}&token=${token}`,
        })),
      );

      const claims = jwtClaims(token);
      assert.equal(claims.sub, first.customer.id);
      assert.equal(claims.usage, 'customer-portal-session');
      assert.equal(claims['seller-id'], 'sel_default');
      assert.equal(claims.exp - claims.iat, 86_400);
      const created = Temporal.Instant.from(session.created_at);
      assert.ok(Math.abs(created.epochMilliseconds / 1000 - claims.iat) <= 1);
      const check = await verifyPortalToken(
        secret,
        token,
        { seller_id: 'sel_default', environment: 'sandbox' },
        Temporal.Now.instant(),
      );
      assert.ok(check.ok);
      assert.equal(check.ok && check.claims.customerId, first.customer.id);
      // The token does not verify with another environment's secret.
      const live = await portalRow(t(), 'live');
      assert.equal(
        (
          await verifyPortalToken(
            live.portal_signing_secret,
            token,
            { seller_id: 'sel_default', environment: 'live' },
            Temporal.Now.instant(),
          )
        ).ok,
        false,
      );

      // Sessions are not stored: a second one has its own id (and a freshly minted token).
      const again = await create(first.customer.id);
      assertMatchesSpec('create-customer-portal-session', again);
      assert.notEqual(again.body.data.id, session.id);
    });

    it('without a body (or with an empty list) gives only the overview link', async () => {
      const customer = await aCustomer(t());
      for (const body of [undefined, {}, { subscription_ids: [] }]) {
        const res = await create(customer.id, body);
        assertMatchesSpec('create-customer-portal-session', res);
        assert.deepEqual(res.body.data.urls.subscriptions, []);
        assert.match(res.body.data.urls.general.overview, /\?action=overview&token=pga_/);
      }
    });

    it('uses the live portal base and cpl for a live key', async () => {
      const { customer } = await aBuyer(t(), 'GB', t().keys.live);
      const res = await create(customer.id, undefined, t().keys.live);
      assertMatchesSpec('create-customer-portal-session', res);
      const { portal_id: cpl, portal_signing_secret: secret } = await portalRow(t(), 'live');
      assert.match(
        res.body.data.urls.general.overview,
        new RegExp(`^${LIVE_PORTAL.replaceAll('.', '\\.')}/${cpl}\\?action=overview&token=pga_`),
      );
      const token = res.body.data.urls.general.overview.split('&token=')[1];
      assert.ok(
        (
          await verifyPortalToken(
            secret,
            token,
            { seller_id: 'sel_default', environment: 'live' },
            Temporal.Now.instant(),
          )
        ).ok,
      );
    });

    it('sends manually-collected, paused and canceled subscriptions to their overview page', async () => {
      const manual = await subscribeManually(t());
      const paused = await subscribe(t());
      const canceled = await subscribe(t(), { buyer: { customer: paused.customer, address: paused.address } });
      assert.equal(
        (
          await t().request('POST', `/subscriptions/${paused.sub.id}/pause`, {
            body: { effective_from: 'immediately' },
          })
        ).status,
        200,
      );
      assert.equal(
        (
          await t().request('POST', `/subscriptions/${canceled.sub.id}/cancel`, {
            body: { effective_from: 'immediately' },
          })
        ).status,
        200,
      );
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');

      const manualSession = await create(manual.customer.id, { subscription_ids: [manual.sub.id] });
      assertMatchesSpec('create-customer-portal-session', manualSession);
      const [manualLinks] = manualSession.body.data.urls.subscriptions;
      const manualToken = manualSession.body.data.urls.general.overview.split('&token=')[1];
      assert.equal(
        manualLinks.cancel_subscription,
        `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${manual.sub.id}&token=${manualToken}`,
      );
      assert.equal(
        manualLinks.update_subscription_payment_method,
        `${SANDBOX_PORTAL}/${cpl}?action=overview&subscription_id=${manual.sub.id}&token=${manualToken}`,
      );

      const res = await create(paused.customer.id, { subscription_ids: [paused.sub.id, canceled.sub.id] });
      assertMatchesSpec('create-customer-portal-session', res);
      const token = res.body.data.urls.general.overview.split('&token=')[1];
      for (const links of res.body.data.urls.subscriptions) {
        const overview = `${SANDBOX_PORTAL}/${cpl}?action=overview&subscription_id=${links.id}&token=${token}`;
        assert.deepEqual(links, {
          id: links.id,
          cancel_subscription: overview,
          update_subscription_payment_method: overview,
        });
      }
    });

    it('takes up to 25 subscriptions', async () => {
      const first = await subscribe(t());
      const ids = [first.sub.id];
      for (let i = 1; i < 25; i += 1)
        ids.push((await subscribe(t(), { buyer: { customer: first.customer, address: first.address } })).sub.id);
      const res = await create(first.customer.id, { subscription_ids: ids });
      assertMatchesSpec('create-customer-portal-session', res);
      assert.deepEqual(
        res.body.data.urls.subscriptions.map((links: { id: string }) => links.id),
        ids,
      );

      const tooMany = await create(first.customer.id, { subscription_ids: [...ids, 'sub_01h04vsc0qhwtsbsxh3422wjs4'] });
      assertPaddleError(tooMany, 400, 'invalid_field');
      assert.equal(tooMany.body.error.errors[0].field, 'subscription_ids');
    });
  });

  describe('errors', () => {
    it('refuses malformed, repeated, unknown and other customers’ subscription ids with 400 invalid_field', async () => {
      const mine = await subscribe(t());
      const theirs = await subscribe(t());

      const malformed = await create(mine.customer.id, { subscription_ids: ['sub_123'] });
      assertPaddleError(malformed, 400, 'invalid_field');
      assert.equal(malformed.body.error.errors[0].field, 'subscription_ids[0]');

      assertPaddleError(
        await create(mine.customer.id, { subscription_ids: [mine.sub.id, mine.sub.id] }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await create(mine.customer.id, { subscription_ids: 'sub_01h04vsc0qhwtsbsxh3422wjs4' }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await create(mine.customer.id, { subscription_ids: [mine.sub.id], extra: true }),
        400,
        'invalid_field',
      );

      const foreign = await create(mine.customer.id, {
        subscription_ids: [mine.sub.id, theirs.sub.id, 'sub_01h04vsc0qhwtsbsxh3422wjs4'],
      });
      assertPaddleError(foreign, 400, 'invalid_field');
      assert.deepEqual(
        foreign.body.error.errors.map((e: { field: string }) => e.field),
        ['subscription_ids[1]', 'subscription_ids[2]'],
      );
      // Unknown and someone else's read the same.
      assert.equal(foreign.body.error.errors[0].message, foreign.body.error.errors[1].message);
    });

    it('answers 404 for an unknown customer, and for one of another environment or seller', async () => {
      assertPaddleError(await create('ctm_01h04vsc0qhwtsbsxh3422wjs4'), 404, 'not_found');
      assertPaddleError(await create('ctm_nope'), 404, 'not_found');
      const customer = await aCustomer(t());
      assertPaddleError(await create(customer.id, undefined, t().keys.live), 404, 'not_found');
      const other = await t().createSeller('sel_portal_sessions');
      assertPaddleError(await create(customer.id, undefined, other.sandbox), 404, 'not_found');
      // And another seller's subscription cannot be named for a customer of this one.
      const theirs = await subscribe(t(), { key: other.sandbox });
      const res = await create(customer.id, { subscription_ids: [theirs.sub.id] });
      assertPaddleError(res, 400, 'invalid_field');
    });

    it('needs customer_portal_session.write (403 forbidden otherwise), and an API key', async () => {
      const customer = await aCustomer(t());
      const readOnly = await t().createKey('sandbox', [
        'customer.read',
        'customer.write',
        'subscription.read',
        'subscription.write',
      ]);
      assertPaddleError(await create(customer.id, undefined, readOnly), 403, 'forbidden');
      const allowed = await t().createKey('sandbox', ['customer_portal_session.write']);
      assertMatchesSpec('create-customer-portal-session', await create(customer.id, undefined, allowed));
      assertPaddleError(
        await t().request('POST', `/customers/${customer.id}/portal-sessions`, { key: null }),
        403,
        'authentication_missing',
      );
    });
  });

  describe('official SDK', () => {
    it('creates a session with paddle.customerPortalSessions.create', async () => {
      const { sub, customer } = await subscribe(t());
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const session = await paddle.customerPortalSessions.create(customer.id, [sub.id]);
      assert.match(session.id, /^cpls_/);
      assert.equal(session.customerId, customer.id);
      assert.match(session.urls.general.overview, /action=overview&token=pga_/);
      assert.equal(session.urls.subscriptions[0]?.id, sub.id);
      assert.match(
        session.urls.subscriptions[0]?.cancelSubscription ?? '',
        new RegExp(`action=cancel_subscription&subscription_id=${sub.id}&token=pga_`),
      );
    });
  });
});
