// One place sets the security headers, for every page and file (issue #12 item 10): the hosted checkout, the
// portal, the legacy-link 404 page, invoice PDFs, the stylesheet, redirects and the router's own errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../support/app.js';
import { aPaidMonthlyTransaction, aBuyer, aPrice, aTransaction } from '../support/builders.js';

type Headers = Record<string, string | string[] | number | undefined>;

function assertLockedDown(headers: Headers, what: string, page: boolean): void {
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
  const policy = String(headers['content-security-policy']);
  assert.match(policy, /frame-ancestors 'none'/, what);
  assert.match(policy, page ? /script-src 'none'/ : /default-src 'none'/, what);
}

describe('security headers on every page and file', () => {
  const t = useTestApp('sqlite');

  async function get(url: string) {
    const response = await fetch(new URL(url, t().baseUrl), { redirect: 'manual' });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  }

  it('the hosted checkout page', async () => {
    const price = await aPrice(t());
    const { customer, address } = await aBuyer(t());
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    const page = await get(txn.checkout.url);
    assert.equal(page.status, 200);
    assertLockedDown(page.headers, 'checkout', true);
    assert.equal(page.headers['cache-control'], 'no-store');
  });

  it('the portal sign-in page, the legacy-link 404 page and a redirect', async () => {
    const txn = await aPaidMonthlyTransaction(t());
    const list = await t().request('GET', `/subscriptions?customer_id=${txn.customer_id}`);
    const subscription = list.body.data[0];
    const portalBase = subscription.management_urls.cancel.split('?')[0];
    const signIn = await get(portalBase);
    assertLockedDown(signIn.headers, 'portal', true);
    const legacy404 = await get('/sandbox-buyer-portal/subscriptions/sub_01h00000000000000000000000/cancel');
    assert.equal(legacy404.status, 404);
    assertLockedDown(legacy404.headers, 'legacy 404', true);
    const redirect = await get(`/sandbox-buyer-portal/subscriptions/${subscription.id}/cancel`);
    assert.equal(redirect.status, 302);
    assertLockedDown(redirect.headers, 'legacy redirect', false);
  });

  it('invoice PDFs and the stylesheet', async () => {
    const txn = await aPaidMonthlyTransaction(t());
    const invoice = await t().request('GET', `/transactions/${txn.id}/invoice`);
    assert.equal(invoice.status, 200, invoice.text);
    const pdf = await get(invoice.body.data.url);
    assert.equal(pdf.status, 200);
    assert.match(String(pdf.headers['content-type']), /application\/pdf/);
    assertLockedDown(pdf.headers, 'invoice pdf', false);
    assert.match(String(pdf.headers['cache-control']), /no-store/);
    const css = await get('/assets/paddock.css');
    assertLockedDown(css.headers, 'stylesheet', false);
    assert.notEqual(css.headers['cache-control'], 'no-store', 'the stylesheet keeps its own caching');
  });

  it('the API answers nosniff too, and the router errors carry the headers', async () => {
    const api = await t().request('GET', '/products');
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    const bad = await get('/checkout/%ZZ');
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['x-content-type-options'], 'nosniff');
  });
});
