// Every test helper checks the permission it needs (README's test-helper table): a key holding only
// `product.read` reads no emails, pays nothing and moves no clock (issue #12 item 6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../support/app.js';
import { aBuyer, aPrice, aTransaction } from '../support/builders.js';
import { assertPaddleError } from '../support/contract.js';

const HELPERS = [
  { method: 'GET', url: '/test-helpers/emails', needs: ['customer.read', 'customer_portal_session.write'] },
  { method: 'POST', url: '/test-helpers/clock/advance', needs: ['subscription.write', 'transaction.write'] },
  { method: 'POST', url: '/test-helpers/transactions/{txn}/pay', needs: ['transaction.write'] },
  { method: 'POST', url: '/test-helpers/clock/freeze', needs: ['subscription.write', 'transaction.write'] },
  { method: 'POST', url: '/test-helpers/clock/unfreeze', needs: ['subscription.write', 'transaction.write'] },
  { method: 'GET', url: '/test-helpers/clock', needs: [] },
] as const;

describe('test helper permissions', () => {
  const t = useTestApp('sqlite');

  async function target(url: string): Promise<string> {
    if (!url.includes('{txn}')) return url;
    const price = await aPrice(t());
    const { customer, address } = await aBuyer(t());
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    return url.replace('{txn}', txn.id);
  }

  const bodyOf = (url: string) =>
    url.endsWith('/advance')
      ? { by: 'PT1M' }
      : url.includes('/test-helpers/clock/') || url.endsWith('/pay')
        ? {}
        : undefined;

  for (const helper of HELPERS) {
    for (const missing of helper.needs) {
      it(`${helper.method} ${helper.url} refuses a key without ${missing}`, async () => {
        const permissions = ['product.read', ...helper.needs.filter((p) => p !== missing)];
        const key = await t().createKey('sandbox', permissions);
        const url = await target(helper.url);
        const body = bodyOf(url);
        const response = await t().request(helper.method, url, { key, ...(body ? { body } : {}) });
        assertPaddleError(response, 403, 'forbidden');
      });
    }

    it(`${helper.method} ${helper.url} serves a key holding exactly ${helper.needs.join(' + ') || 'nothing'}`, async () => {
      const key = await t().createKey('sandbox', [...helper.needs]);
      const url = await target(helper.url);
      const body = bodyOf(url);
      const response = await t().request(helper.method, url, { key, ...(body ? { body } : {}) });
      assert.ok(response.status === 200 || response.status === 202, `${response.status} ${response.text}`);
    });
  }

  it('a live key is refused every helper', async () => {
    for (const helper of HELPERS) {
      const url = await target(helper.url);
      const body = bodyOf(url);
      const response = await t().request(helper.method, url, { key: t().keys.live, ...(body ? { body } : {}) });
      assertPaddleError(response, 403, 'forbidden');
    }
  });
});
