import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aPrice, aTransaction } from '../../../test/support/builders.js';

/** The headers every Paddock page carries (web/shared/respond.ts): the checkout takes card numbers. */
function assertPageHeaders(headers: Record<string, unknown>): void {
  assert.equal(headers['cache-control'], 'no-store');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.match(String(headers['content-security-policy']), /script-src 'none'/);
  assert.match(String(headers['content-type']), /^text\/html; charset=utf-8/);
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('hosted checkout pages', () => {
    it('carry the same security headers as the portal, found or not', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' } });
      const txn = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const path = new URL(txn.checkout.url).pathname + new URL(txn.checkout.url).search;
      const page = await t().request('GET', path, { key: null });
      assert.equal(page.status, 200, page.text);
      assertPageHeaders(page.headers);

      const missing = await t().request('GET', path.replace(txn.id, 'txn_01h8441jn5pcwrfhwh78jqt8hk'), { key: null });
      assert.equal(missing.status, 404);
      assertPageHeaders(missing.headers);
    });
  });
});
