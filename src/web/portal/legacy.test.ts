// Old buyer-portal links answer 302 to the matching customer-portal link: environment from the path, seller found
// by the subscription, a token kept only when it verifies for the subscription's customer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { Temporal } from '../../kernel/time.js';
import { mintPortalToken } from '../../modules/sellers/portal-tokens.js';
import { portalRow, subscribe, subscribeManually } from '../../../test/support/portal.js';

const SANDBOX_PORTAL = 'https://sandbox-portal.paddock.test';
const LIVE_PORTAL = 'https://portal.paddock.test';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect, {
    PADDOCK_SANDBOX_CUSTOMER_PORTAL_URL: SANDBOX_PORTAL,
    PADDOCK_CUSTOMER_PORTAL_URL: LIVE_PORTAL,
  });

  const open = (url: string) => t().request('GET', url, { key: null });

  /** A portal token as the API mints it (management_urls, portal sessions). */
  async function tokenFor(customerId: string, environment: 'sandbox' | 'live' = 'sandbox', sellerId = 'sel_default') {
    const row = await portalRow(t(), environment, sellerId);
    return mintPortalToken(row.portal_signing_secret, {
      customerId,
      tenant: { seller_id: sellerId, environment },
      usage: 'customer-portal-url',
      now: Temporal.Now.instant(),
    });
  }

  describe('redirects', () => {
    it('sends sandbox cancel and update-payment-method links to the customer portal (302, exact Location)', async () => {
      const { sub } = await subscribe(t());
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      const cancel = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/cancel`);
      assert.equal(cancel.status, 302);
      assert.equal(
        cancel.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`,
      );
      assert.equal(cancel.headers['cache-control'], 'no-store');
      const update = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/update-payment-method`);
      assert.equal(update.status, 302);
      assert.equal(
        update.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=update_subscription_payment_method&subscription_id=${sub.id}`,
      );
    });

    it('sends live links to the live portal', async () => {
      // Live keys have no pay helper: a manually-collected subscription is made when its transaction is billed.
      const { sub } = await subscribeManually(t(), t().keys.live);
      const { portal_id: cpl } = await portalRow(t(), 'live');
      const res = await open(`/buyer-portal/subscriptions/${sub.id}/cancel`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, `${LIVE_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`);
    });

    it('keeps a token that verifies for the subscription’s customer, and drops any other', async () => {
      const { sub, customer } = await subscribe(t());
      const other = await subscribe(t());
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      const token = await tokenFor(customer.id);
      const kept = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/cancel?token=${token}`);
      assert.equal(
        kept.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}&token=${token}`,
      );

      const plain = `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`;
      // Another customer's token, a token of the live environment, a tampered one, an old Paddle one.
      const tampered = `${token.slice(0, -4)}AAAA`;
      for (const bad of [
        await tokenFor(other.customer.id),
        await tokenFor(customer.id, 'live'),
        tampered,
        'pga_eyJhbGciOiJFZERTQSJ9.e30.c2ln',
        'nonsense',
      ]) {
        const res = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/cancel?token=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 302);
        assert.equal(res.headers.location, plain, bad);
      }
      // A management_urls token from the API is one that verifies.
      const got = await t().request('GET', `/subscriptions/${sub.id}`);
      const apiToken = got.body.data.management_urls.cancel.split('&token=')[1];
      const viaApi = await open(
        `/sandbox-buyer-portal/subscriptions/${sub.id}/update-payment-method?token=${apiToken}`,
      );
      assert.equal(
        viaApi.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=update_subscription_payment_method&subscription_id=${sub.id}&token=${apiToken}`,
      );
    });

    it('finds the seller of the subscription among several', async () => {
      const seller = await t().createSeller('sel_legacy_second');
      const { sub, customer } = await subscribe(t(), { key: seller.sandbox });
      const { portal_id: cpl } = await portalRow(t(), 'sandbox', 'sel_legacy_second');
      const token = await tokenFor(customer.id, 'sandbox', 'sel_legacy_second');
      const res = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/cancel?token=${token}`);
      assert.equal(res.status, 302);
      assert.equal(
        res.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}&token=${token}`,
      );
      // The default seller's token names the wrong seller: it is dropped, the link still found.
      const wrongSeller = await tokenFor(customer.id);
      const dropped = await open(`/sandbox-buyer-portal/subscriptions/${sub.id}/cancel?token=${wrongSeller}`);
      assert.equal(
        dropped.headers.location,
        `${SANDBOX_PORTAL}/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`,
      );
    });
  });

  describe('not found', () => {
    it('answers 404 for unknown or malformed subscriptions and for the other environment’s path', async () => {
      const { sub } = await subscribe(t());
      for (const url of [
        '/sandbox-buyer-portal/subscriptions/sub_01h04vsc0qhwtsbsxh3422wjs4/cancel',
        '/sandbox-buyer-portal/subscriptions/sub_nope/cancel',
        `/buyer-portal/subscriptions/${sub.id}/cancel`,
        `/buyer-portal/subscriptions/${sub.id}/update-payment-method`,
      ]) {
        const res = await open(url);
        assert.equal(res.status, 404, url);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.text, /Page not found/);
      }
    });
  });
});
