// Portal sessions end for good at sign-out (issue #12 item 7): the old cookie no longer shows the overview and,
// with its CSRF token, no longer cancels a subscription; the server keeps only the session id's hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../support/app.js';
import { portalRow, subscribe } from '../support/portal.js';
import { Temporal } from '../../src/kernel/time.js';
import { mintPortalToken } from '../../src/modules/sellers/portal-tokens.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  const open = (url: string, cookie?: string) =>
    t().request('GET', url, { key: null, ...(cookie ? { headers: { cookie } } : {}) });
  const post = (url: string, cookie: string, form: Record<string, string>) =>
    t().app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });

  describe('portal sign-out', () => {
    it('ends the session on the server: the kept cookie and its CSRF token stop working', async () => {
      const { sub, customer } = await subscribe(t());
      const row = await portalRow(t(), 'sandbox');
      const path = `/sandbox-customer-portal/${row.portal_id}`;
      const token = await mintPortalToken(row.portal_signing_secret, {
        customerId: customer.id,
        tenant: { seller_id: 'sel_default', environment: 'sandbox' },
        usage: 'customer-portal-url',
        now: Temporal.Now.instant(),
      });
      const landed = await open(`${path}?action=overview&token=${token}`);
      assert.equal(landed.status, 303);
      const cookie = String(landed.headers['set-cookie']).split(';')[0]!;
      const overview = await open(`${path}?action=overview`, cookie);
      assert.doesNotMatch(overview.text, /Sign in to manage your subscriptions/);
      const csrf = /name="csrf_token" value="([\w-]+)"/.exec(overview.text)?.[1];
      assert.ok(csrf, overview.text);

      const sessionId = JSON.parse(Buffer.from(cookie.split('=')[1]!.split('.')[0]!, 'base64url').toString()).s;
      const stored = await t().db.selectFrom('portal_sessions').selectAll().execute();
      assert.ok(stored.some((s) => s.id_hash === createHash('sha256').update(sessionId).digest('hex')));
      assert.ok(!JSON.stringify(stored).includes(sessionId), 'only the hash is stored');

      const out = await post(`${path}/sign-out`, cookie, { csrf_token: csrf });
      assert.equal(out.statusCode, 303, out.body);

      const again = await open(`${path}?action=overview`, cookie);
      assert.match(again.text, /Sign in to manage your subscriptions/);
      const cancel = await post(`${path}/subscriptions/${sub.id}/cancel`, cookie, { csrf_token: csrf });
      assert.notEqual(cancel.statusCode, 303, 'the old cookie cancels nothing');
      const after = await t().request('GET', `/subscriptions/${sub.id}`);
      assert.equal(after.body.data.scheduled_change, null);
    });
  });
});
