// Landing on a portal link over HTTP (both engines): a valid token becomes a session cookie and a redirect to the
// same address without it; a bad or expired token asks for an email; portals are per environment and seller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, startTestApp, useTestApp, type TestApp } from '../../../test/support/app.js';
import { Temporal } from '../../kernel/time.js';
import { mintPortalToken } from '../../modules/sellers/portal-tokens.js';
import { portalRow, subscribe } from '../../../test/support/portal.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  const open = (url: string, cookie?: string) =>
    t().request('GET', url, { key: null, ...(cookie ? { headers: { cookie } } : {}) });

  async function token(
    app: TestApp,
    customerId: string,
    options: { now?: Temporal.Instant; sellerId?: string; environment?: 'sandbox' | 'live' } = {},
  ) {
    const environment = options.environment ?? 'sandbox';
    const sellerId = options.sellerId ?? 'sel_default';
    const row = await portalRow(app, environment, sellerId);
    return mintPortalToken(row.portal_signing_secret, {
      customerId,
      tenant: { seller_id: sellerId, environment },
      usage: 'customer-portal-url',
      now: options.now ?? Temporal.Now.instant(),
    });
  }

  const sessionCookie = (setCookie: unknown) => String(setCookie).split(';')[0]!;

  describe('token links', () => {
    it('set an HttpOnly SameSite=Lax session cookie for the portal path and redirect without the token', async () => {
      const { sub, customer } = await subscribe(t());
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      const path = `/sandbox-customer-portal/${cpl}`;
      const res = await open(
        `${path}?action=cancel_subscription&subscription_id=${sub.id}&token=${await token(t(), customer.id)}`,
      );
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, `${path}?action=cancel_subscription&subscription_id=${sub.id}`);
      assert.match(
        String(res.headers['set-cookie']),
        new RegExp(`^paddock_portal_session=[\\w-]+\\.[\\w-]+; Path=${path}; Max-Age=1800; HttpOnly; SameSite=Lax$`),
      );
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');

      const page = await open(res.headers.location as string, sessionCookie(res.headers['set-cookie']));
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Cancel AeroEdit Pro<\/h1>/);
      assert.match(page.text, /name="csrf_token" value="[\w-]{43}"/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      // Every page view moves the idle expiry on.
      assert.match(String(page.headers['set-cookie']), /^paddock_portal_session=.*Max-Age=1800/);

      // Without the cookie, the same address asks to sign in.
      const anonymous = await open(res.headers.location as string);
      assert.equal(anonymous.status, 200);
      assert.match(anonymous.text, /Sign in to manage your subscriptions/);
      assert.match(anonymous.text, /name="subscription_id" value="sub_/);
    });

    it('keep every other parameter and its order', async () => {
      const { customer } = await subscribe(t());
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      const res = await open(`/sandbox-customer-portal/${cpl}?token=${await token(t(), customer.id)}&action=overview`);
      assert.equal(res.headers.location, `/sandbox-customer-portal/${cpl}?action=overview`);
    });

    it('ask for an email when expired, tampered, for another seller or environment, or for an unknown customer', async () => {
      const { customer } = await subscribe(t());
      const { portal_id: cpl } = await portalRow(t(), 'sandbox');
      const other = await t().createSeller('sel_landing_other');
      const theirs = await subscribe(t(), { key: other.sandbox });
      const good = await token(t(), customer.id);
      const cases: Array<[string, RegExp]> = [
        [
          await token(t(), customer.id, { now: Temporal.Now.instant().subtract({ hours: 25 }) }),
          /This link has expired/,
        ],
        [`${good.slice(0, -3)}abc`, /This link is not valid/],
        [await token(t(), theirs.customer.id, { sellerId: 'sel_landing_other' }), /This link is not valid/],
        [await token(t(), customer.id, { environment: 'live' }), /This link is not valid/],
        [await token(t(), 'ctm_01h04vsc0qhwtsbsxh3422wjs4'), /This link is not valid/],
        ['pga_nonsense', /This link is not valid/],
      ];
      for (const [bad, reason] of cases) {
        const res = await open(`/sandbox-customer-portal/${cpl}?action=overview&token=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 200);
        assert.match(res.text, reason);
        assert.equal(res.headers['set-cookie'], undefined);
        assert.doesNotMatch(res.text, /pga_/, 'the token is not echoed into the page');
      }
    });

    it('sets Secure when the portal is served over https, and uses the portal base’s path', async () => {
      const secure = await startTestApp(dialect, {
        PADDOCK_SANDBOX_CUSTOMER_PORTAL_URL: 'https://portal.paddock.test/sandbox',
      });
      try {
        const { customer } = await subscribe(secure);
        const { portal_id: cpl } = await portalRow(secure, 'sandbox');
        const res = await secure.request(
          'GET',
          `/sandbox-customer-portal/${cpl}?action=overview&token=${await token(secure, customer.id)}`,
          { key: null },
        );
        assert.equal(res.status, 303);
        assert.match(String(res.headers['set-cookie']), /; HttpOnly; SameSite=Lax; Secure$/);
        // Behind a proxy the portal lives at the configured base: the redirect and the cookie follow its path.
        assert.equal(res.headers.location, `/sandbox/${cpl}?action=overview`);
        assert.match(String(res.headers['set-cookie']), new RegExp(`; Path=/sandbox/${cpl};`));
      } finally {
        await secure.close();
      }
    });
  });

  describe('portals are per environment and seller', () => {
    it('answers 404 for an unknown portal and for a portal under the other environment’s path', async () => {
      const sandbox = await portalRow(t(), 'sandbox');
      const live = await portalRow(t(), 'live');
      for (const url of [
        `/customer-portal/${sandbox.portal_id}`,
        `/sandbox-customer-portal/${live.portal_id}`,
        '/customer-portal/cpl_01h04vsc0qhwtsbsxh3422wjs4',
        '/customer-portal/nope',
      ]) {
        const res = await open(`${url}?action=overview`);
        assert.equal(res.status, 404, url);
        assert.match(res.text, /Page not found/);
      }
      const livePage = await open(`/customer-portal/${live.portal_id}?action=overview`);
      assert.equal(livePage.status, 200);
      assert.doesNotMatch(livePage.text, /Sandbox portal/);
    });

    it("does not take one seller's session cookie in another seller's portal", async () => {
      const { customer } = await subscribe(t());
      const mine = await portalRow(t(), 'sandbox');
      await t().createSeller('sel_landing_cookie');
      const theirs = await portalRow(t(), 'sandbox', 'sel_landing_cookie');
      const landed = await open(
        `/sandbox-customer-portal/${mine.portal_id}?action=overview&token=${await token(t(), customer.id)}`,
      );
      const cookie = sessionCookie(landed.headers['set-cookie']);
      assert.match(
        (await open(`/sandbox-customer-portal/${mine.portal_id}?action=overview`, cookie)).text,
        /Your subscriptions and payments/,
      );
      assert.match(
        (await open(`/sandbox-customer-portal/${theirs.portal_id}?action=overview`, cookie)).text,
        /Sign in to manage your subscriptions/,
      );
    });
  });
});
