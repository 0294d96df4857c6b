// A discount code typed at hosted checkout, in Chromium: the labelled field under the order summary refuses
// unknown, expired and not-enabled codes in the buyer's words, applies a valid one (any case) to the totals shown
// and billed, and the paid transaction counts one redemption; a discount others used up since it was applied is
// refused when the buyer pays, in the buyer's words, charging nothing. @NOTE SQLite only, as the other browser tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useTestApp } from '../support/app.js';
import { useBrowser } from '../support/browser.js';
import { aBuyer, aDiscount, aPrice, aTransaction } from '../support/builders.js';
import { assertMatchesSpec } from '../support/contract.js';

describe('discount codes at hosted checkout in Chromium (sqlite)', () => {
  const t = useTestApp('sqlite');
  const browser = useBrowser();

  async function expiryYear(): Promise<string> {
    const clock = await t().request('GET', '/test-helpers/clock');
    return String((Number(clock.body.data.now.slice(0, 4)) + 2) % 100).padStart(2, '0');
  }

  async function applyCode(page: Page, code: string) {
    await page.getByLabel('Discount code').fill(code);
    await page.getByRole('button', { name: 'Apply code' }).click();
  }

  it('applies a code enabled for checkout to the totals and the payment, and refuses the others', async () => {
    const price = await aPrice(t(), { unit_price: { amount: '2000', currency_code: 'EUR' } });
    const { customer, address } = await aBuyer(t(), 'DE');
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 2 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    const code = `SAVE${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const discount = await aDiscount(t(), { amount: '25', code });
    const expired = await aDiscount(t(), { code: `${code}OLD`, expires_at: '2020-01-01T00:00:00Z' });
    await aDiscount(t(), { code: `${code}API`, enabled_for_checkout: false });

    const page = await browser.page();
    await page.goto(txn.checkout.url);
    // 2 × €20.00 + 19 % = €47.60
    await page.getByRole('button', { name: 'Pay €47.60' }).waitFor();

    for (const [typed, message] of [
      ['NOPE', 'This discount code is not valid.'],
      [expired.code, 'This discount code has expired.'],
      [`${code}API`, 'This discount code is not valid.'],
    ]) {
      await applyCode(page, typed);
      await page.getByText(message).first().waitFor();
      assert.equal(await page.getByLabel('Discount code').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Discount code').inputValue(), typed, 'the typed code is kept');
    }
    assert.equal((await t().request('GET', `/transactions/${txn.id}`)).body.data.discount_id, null);

    await applyCode(page, code.toLowerCase());
    // €40.00 − 25 % = €30.00, + 19 % = €35.70
    await page.getByRole('button', { name: 'Pay €35.70' }).waitFor();
    const summary = await page.getByRole('table', { name: 'Items and totals' }).innerText();
    assert.match(summary, /Discount\s+−€10\.00/);

    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry month (MM)').fill('09');
    await page.getByLabel('Expiry year (YY)').fill(await expiryYear());
    await page.getByLabel('Security code (CVC)').fill('100');
    await page.getByRole('button', { name: 'Pay €35.70' }).click();
    await page.getByRole('heading', { name: 'Thank you, your payment is complete' }).waitFor();

    const paid = await t().request('GET', `/transactions/${txn.id}?include=discount`);
    assertMatchesSpec('get-transaction', paid);
    assert.equal(paid.body.data.status, 'completed');
    assert.equal(paid.body.data.discount_id, discount.id);
    assert.equal(paid.body.data.details.totals.grand_total, '3570');
    assert.equal(paid.body.data.payments[0].amount, '3570');
    assert.equal(paid.body.data.discount.times_used, 1);
  });

  it('refuses the payment when the discount was used up after it was applied, charging nothing', async () => {
    const price = await aPrice(t(), { unit_price: { amount: '2000', currency_code: 'EUR' } });
    const { customer, address } = await aBuyer(t(), 'DE');
    const discount = await aDiscount(t(), { amount: '10', usage_limit: 1 });
    const body = {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
      discount_id: discount.id,
    };
    const txn = await aTransaction(t(), body);
    const other = await aTransaction(t(), body);

    const page = await browser.page();
    await page.goto(txn.checkout.url);
    // €20.00 − 10 % = €18.00, + 19 % = €21.42
    await page.getByRole('button', { name: 'Pay €21.42' }).waitFor();
    const used = await t().request('POST', `/test-helpers/transactions/${other.id}/pay`, { body: {} });
    assert.equal(used.status, 200, used.text);

    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry month (MM)').fill('09');
    await page.getByLabel('Expiry year (YY)').fill(await expiryYear());
    await page.getByLabel('Security code (CVC)').fill('100');
    await page.getByRole('button', { name: 'Pay €21.42' }).click();
    await page.getByText('This discount code has already been used the maximum number of times.').first().waitFor();

    const after = (await t().request('GET', `/transactions/${txn.id}?include=discount`)).body.data;
    assert.deepEqual([after.status, after.payments, after.discount.times_used], ['ready', [], 1]);
  });
});
