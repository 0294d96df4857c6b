// The money path end to end in a real browser: a transaction created with the API, its `checkout.url` opened
// in headless Chromium, the form filled by its labels, Paddle's sandbox cards paid with, and the result read
// back through the API. @NOTE Chromium runs against SQLite only (one engine is enough for the pages; the
// payment rules themselves are covered on both engines by the pay test helper's tests).
import assert from 'node:assert/strict';
import { withTransaction } from '../../src/context.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useTestApp } from '../support/app.js';
import { useBrowser } from '../support/browser.js';
import { aBuyer, aPrice, aProduct, aTransaction, MONTHLY } from '../support/builders.js';
import { assertMatchesSpec } from '../support/contract.js';
import { OffsetClock } from '../../src/kernel/clock.js';
import { moveCredit } from '../../src/modules/credit-balances/service.js';
import { DEFAULT_SELLER_ID } from '../../src/modules/sellers/service.js';
import { lastEventId, recordedEvents } from '../support/events.js';

const SCREENSHOTS = process.env.PADDOCK_SCREENSHOT_DIR;

describe('hosted checkout in Chromium (sqlite)', () => {
  const t = useTestApp('sqlite');
  const browser = useBrowser();

  async function price(body: Record<string, unknown> = {}) {
    const product = await aProduct(t(), { name: 'AeroEdit Pro' });
    return aPrice(t(), {
      product_id: product.id,
      description: 'Pro licence',
      unit_price: { amount: '2000', currency_code: 'EUR' },
      ...body,
    });
  }

  async function transactionWithoutCustomer(body: Record<string, unknown> = {}) {
    return aTransaction(t(), { items: [{ price_id: (await price(body)).id, quantity: 1 }] });
  }

  async function transactionWithCustomer() {
    const { customer, address } = await aBuyer(t(), 'DE');
    const txn = await aTransaction(t(), {
      items: [{ price_id: (await price()).id, quantity: 2 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    return { txn, customer, address };
  }

  async function api(id: string) {
    const res = await t().request('GET', `/transactions/${id}`);
    assertMatchesSpec('get-transaction', res);
    return res.body.data;
  }

  async function expiryYear(): Promise<string> {
    const clock = await t().request('GET', '/test-helpers/clock');
    return String((Number(clock.body.data.now.slice(0, 4)) + 2) % 100).padStart(2, '0');
  }

  async function fillCard(page: Page, number: string) {
    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry month (MM)').fill('09');
    await page.getByLabel('Expiry year (YY)').fill(await expiryYear());
    await page.getByLabel('Security code (CVC)').fill('100');
  }

  async function pay(page: Page) {
    await page.getByRole('button', { name: /^Pay / }).click();
  }

  async function screenshot(page: Page, name: string) {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function eventTypesSince(mark: string): Promise<string[]> {
    return (await recordedEvents(t(), { after: mark })).map((event) => event.type);
  }

  async function attempts(id: string) {
    return t().db.selectFrom('payment_attempts').selectAll().where('transaction_id', '=', id).execute();
  }

  const thankYou = (page: Page) => page.getByRole('heading', { name: 'Thank you, your payment is complete' }).waitFor();

  it('asks a new buyer for email, country and postal code, takes 4242…, and completes the transaction', async () => {
    const mark = await lastEventId(t());
    const txn = await transactionWithoutCustomer();
    assert.equal(txn.status, 'draft');
    const page = await browser.page();
    const response = await page.goto(txn.checkout.url);
    assert.equal(response?.status(), 200);
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    assert.equal(await page.getByText('Paying as').count(), 0);
    assert.ok(await page.getByText('AeroEdit Pro').isVisible());
    await page.getByLabel('Email address').fill('ada.checkout@example.com');
    await page.getByLabel('Country').selectOption('FR');
    await page.getByLabel('Postal code').fill('75001');
    await fillCard(page, '4242 4242 4242 4242');
    assert.equal(await page.getByRole('button', { name: /^Pay / }).innerText(), 'Pay €20.00');
    await screenshot(page, 'checkout-new-buyer');
    await pay(page);
    // France taxes at 20%, so the total rose to €24.00: never charged without the buyer seeing it.
    await page.getByText('The amount due for your country is €24.00 (it was €20.00).', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Pay / }).innerText(), 'Pay €24.00');
    assert.ok((await page.getByText('Paying as').innerText()).includes('ada.checkout@example.com'));
    assert.equal(await page.getByLabel('Email address').count(), 0, 'details are not asked twice');
    assert.equal((await attempts(txn.id)).length, 0);
    assert.equal((await api(txn.id)).status, 'ready');
    await screenshot(page, 'checkout-new-total');
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await thankYou(page);
    await screenshot(page, 'thank-you');

    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    assert.equal(paid.details.totals.grand_total, '2400', 'taxed for the address the buyer gave');
    assert.match(paid.invoice_number, /^\d{4}-\d{5}$/);
    assert.equal(paid.payments.length, 1);
    const [payment] = paid.payments;
    assert.equal(payment.status, 'captured');
    assert.equal(payment.amount, '2400');
    assert.deepEqual(payment.method_details.card, {
      type: 'visa',
      last4: '4242',
      expiry_month: 9,
      expiry_year: 2000 + Number(await expiryYear()),
      cardholder_name: 'Ada Lovelace',
    });
    assert.match(payment.payment_method_id, /^paymtd_[a-z\d]{26}$/);

    const customers = await t().request('GET', '/customers?email=ada.checkout@example.com');
    assert.equal(customers.body.data.length, 1);
    const customer = customers.body.data[0];
    assert.equal(paid.customer_id, customer.id);
    const address = await t().request('GET', `/customers/${customer.id}/addresses/${paid.address_id}`);
    assert.equal(address.body.data.country_code, 'FR');
    assert.equal(address.body.data.postal_code, '75001');
    const methods = await t().request('GET', `/customers/${customer.id}/payment-methods`);
    assert.deepEqual(
      methods.body.data.map((m: any) => [m.id, m.card.last4, m.address_id]),
      [[payment.payment_method_id, '4242', paid.address_id]],
    );

    // The thank-you page: amount, card, email, and a working invoice link.
    const text = await page.locator('main').innerText();
    for (const needle of ['€24.00', 'Visa ending in 4242', 'ada.checkout@example.com', txn.id])
      assert.ok(text.includes(needle), `${needle} in ${text}`);
    const invoiceHref = await page.getByRole('link', { name: 'Download invoice (PDF)' }).getAttribute('href');
    assert.ok(invoiceHref);
    const invoice = await fetch(new URL(invoiceHref, t().baseUrl));
    assert.equal(invoice.status, 200);
    assert.equal(invoice.headers.get('content-type'), 'application/pdf');

    // The events the checkout recorded, in order.
    const events = await eventTypesSince(mark);
    assert.deepEqual(events, [
      'product.created',
      'price.created',
      'transaction.created',
      'customer.created',
      'address.created',
      'transaction.updated',
      'transaction.ready',
      'payment_method.saved',
      'transaction.updated',
      'transaction.paid',
      'transaction.updated',
      'transaction.completed',
    ]);

    // Opening the link again shows the thank-you page, not a second form.
    await page.goto(txn.checkout.url);
    await thankYou(page);
  });

  it('follows Paddle’s subscription_creation scenario event for event when the checkout buys a subscription', async () => {
    const txn = await transactionWithoutCustomer({ billing_cycle: MONTHLY });
    const mark = await lastEventId(t());
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    await page.getByLabel('Email address').fill('sub.checkout@example.com');
    await page.getByLabel('Country').selectOption('DE');
    await page.getByLabel('Postal code').fill('10115');
    await fillCard(page, '4242424242424242');
    await pay(page);
    await page.getByText('The amount due for your country is €23.80', { exact: false }).waitFor();
    await fillCard(page, '4242424242424242');
    await pay(page);
    await thankYou(page);
    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    assert.match(paid.subscription_id, /^sub_[a-z\d]{26}$/);
    const events = await eventTypesSince(mark);
    // Paddle (paddle-behaviour.md 6.6, after transaction.created): the same order, payment_method.saved aside.
    assert.deepEqual(
      events.filter((type) => type !== 'payment_method.saved'),
      [
        'customer.created',
        'address.created',
        'transaction.updated',
        'transaction.ready',
        'transaction.updated',
        'transaction.paid',
        'subscription.created',
        'subscription.activated',
        'transaction.updated',
        'transaction.updated',
        'transaction.completed',
      ],
    );
    assert.ok(events.indexOf('payment_method.saved') < events.indexOf('transaction.completed'));
    const method = await t().request('GET', `/customers/${paid.customer_id}/payment-methods`);
    assert.equal(method.body.data[0].origin, 'subscription');
  });

  it('shows a decline and the form again, records the failed attempt, then takes another card on the same page', async () => {
    const { txn, customer } = await transactionWithCustomer();
    assert.equal(txn.status, 'ready');
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    // The buyer is known: no details fieldset, "Paying as …".
    assert.equal(await page.getByLabel('Email address').count(), 0);
    assert.equal(await page.getByLabel('Country').count(), 0);
    assert.ok((await page.getByText('Paying as').innerText()).includes(customer.email));
    await fillCard(page, '4000 0000 0000 0002');
    await pay(page);
    await page.getByText('Your card was declined. Try another card.').waitFor();
    await screenshot(page, 'declined');
    assert.ok(await page.getByRole('alert').isVisible());
    assert.equal(await page.getByLabel('Card number').inputValue(), '', 'card fields are never refilled');
    const declined = await api(txn.id);
    assert.equal(declined.status, 'ready');
    assert.deepEqual(
      declined.payments.map((p: any) => [p.status, p.error_code]),
      [['error', 'declined']],
    );
    assert.equal(declined.invoice_number, null);

    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await thankYou(page);
    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    assert.deepEqual(
      paid.payments.map((p: any) => [p.status, p.error_code]),
      [
        ['captured', null],
        ['error', 'declined'],
      ],
    );
  });

  it('runs the 3-D Secure challenge for 4000 0038 0000 0446: completed pays, failed does not', async () => {
    const { txn } = await transactionWithCustomer();
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    await fillCard(page, '4000 0038 0000 0446');
    await pay(page);
    await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor();
    await screenshot(page, 'three-d-secure');
    assert.ok((await page.locator('main').innerText()).includes('Visa ending in 0446'));
    const pending = await api(txn.id);
    assert.equal(pending.status, 'ready');
    assert.deepEqual(
      pending.payments.map((p: any) => p.status),
      ['action_required'],
    );
    assert.deepEqual(
      Object.keys(pending.payments[0].method_details),
      ['type', 'card', 'paypal', 'south_korea_local_card', 'underlying_details'],
      'nothing but Paddle fields in method_details',
    );
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await thankYou(page);
    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    assert.deepEqual(
      paid.payments.map((p: any) => [p.status, p.method_details.card.last4]),
      [['captured', '0446']],
    );

    const other = await transactionWithCustomer();
    const second = await browser.page();
    await second.goto(other.txn.checkout.url);
    await fillCard(second, '4000003800000446');
    await pay(second);
    await second.getByRole('button', { name: 'Fail authentication' }).click();
    await second.getByText('Authentication failed, so your card was not charged.', { exact: false }).waitFor();
    assert.ok(await second.getByLabel('Card number').isVisible(), 'back to the form');
    const failed = await api(other.txn.id);
    assert.equal(failed.status, 'ready');
    assert.deepEqual(
      failed.payments.map((p: any) => [p.status, p.error_code]),
      [['error', 'authentication_failed']],
    );
    assert.equal((await t().request('GET', `/customers/${other.customer.id}/payment-methods`)).body.data.length, 0);
  });

  it('pays with 4000 0027 6000 3184 now and saves a method whose later charges decline', async () => {
    const { txn, customer } = await transactionWithCustomer();
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    await fillCard(page, '4000002760003184');
    await pay(page);
    await thankYou(page);
    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    const row = await t()
      .db.selectFrom('payment_methods')
      .selectAll()
      .where('id', '=', paid.payments[0].payment_method_id)
      .executeTakeFirstOrThrow();
    assert.equal(row.customer_id, customer.id);
    assert.equal(row.later_charges, 'decline');
  });

  it('makes one payment attempt when the form is submitted twice', async () => {
    const { txn } = await transactionWithCustomer();
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    await fillCard(page, '4242 4242 4242 4242');
    const form = await page.evaluate(() => {
      const element = document.querySelector('form[action*="/pay"]') as HTMLFormElement;
      return {
        action: element.action,
        fields: Object.fromEntries(new FormData(element) as unknown as Iterable<[string, string]>),
      };
    });
    // Two submits of the same form, as a double click sends them.
    await page.evaluate(() => {
      const element = document.querySelector('form[action*="/pay"]') as HTMLFormElement;
      element.requestSubmit();
      element.requestSubmit();
    });
    await thankYou(page);
    // … and the same form once more, later (the back button and "resubmit").
    const replay = await page.request.post(form.action, { form: form.fields });
    assert.equal(replay.status(), 200);
    assert.ok((await replay.text()).includes('Thank you, your payment is complete'));
    const paid = await api(txn.id);
    assert.equal(paid.status, 'completed');
    assert.equal((await attempts(txn.id)).length, 1);

    // A declined form sent twice is one declined attempt, too.
    const other = await transactionWithCustomer();
    const second = await browser.page();
    await second.goto(other.txn.checkout.url);
    await fillCard(second, '4000000000000002');
    const declinedForm = await second.evaluate(() => {
      const element = document.querySelector('form[action*="/pay"]') as HTMLFormElement;
      return {
        action: element.action,
        fields: Object.fromEntries(new FormData(element) as unknown as Iterable<[string, string]>),
      };
    });
    const first = await second.request.post(declinedForm.action, { form: declinedForm.fields });
    const again = await second.request.post(declinedForm.action, { form: declinedForm.fields });
    assert.equal(first.status(), 402);
    assert.equal(again.status(), 402);
    assert.ok((await again.text()).includes('Your card was declined.'));
    assert.equal((await attempts(other.txn.id)).length, 1);
  });

  it('shows field errors without creating anything, and keeps what the buyer typed', async () => {
    const txn = await transactionWithoutCustomer();
    const mark = await lastEventId(t());
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByLabel('Country').selectOption('US');
    await fillCard(page, '4242 4242 4242 4241');
    await pay(page);
    await page.getByRole('alert').waitFor();
    const alert = await page.getByRole('alert').innerText();
    assert.ok(alert.includes('Enter a valid email address.'), alert);
    assert.ok(alert.includes('This card number is not valid.'), alert);
    assert.ok(alert.includes('postal code'), alert);
    assert.equal(await page.getByLabel('Email address').inputValue(), 'not-an-email');
    assert.equal(await page.getByLabel('Country').inputValue(), 'US');
    assert.deepEqual(await eventTypesSince(mark), [], 'no customer, address or payment attempt was made');
    assert.equal((await api(txn.id)).status, 'draft');

    await page.getByLabel('Email address').fill('grace@example.com');
    await page.getByLabel('Postal code').fill('10001');
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await thankYou(page);
    assert.equal((await api(txn.id)).status, 'completed');
  });

  it('shows a new total instead of charging it when credit the page counted on was spent meanwhile', async () => {
    const { customer, address } = await aBuyer(t(), 'US');
    const ctx = {
      db: t().db,
      dialect: t().dialect,
      clock: new OffsetClock(t().clock, 0n),
      tenant: { seller_id: DEFAULT_SELLER_ID, environment: 'sandbox' as const },
      config: t().config,
      wiring: t().wiring,
    };
    await withTransaction(ctx, (ctx) => moveCredit(ctx, customer.id, 'USD', { kind: 'add', amount: 500n }));
    const usd = await aPrice(t(), { unit_price: { amount: '2500', currency_code: 'USD' } });
    const body = { items: [{ price_id: usd.id, quantity: 1 }], customer_id: customer.id, address_id: address.id };
    const txn = await aTransaction(t(), body);
    const page = await browser.page();
    await page.goto(txn.checkout.url);
    assert.ok((await page.locator('.summary').innerText()).includes('Credit applied'));
    assert.equal(await page.getByRole('button', { name: /^Pay / }).innerText(), 'Pay $20.00');
    // Another transaction spends the credit before this page is submitted.
    const other = await aTransaction(t(), body);
    assert.equal(
      (await t().request('POST', `/test-helpers/transactions/${other.id}/pay`, { body: {} })).body.data.status,
      'completed',
    );
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await page.getByText('The amount due is now $25.00 (it was $20.00).', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Pay / }).innerText(), 'Pay $25.00');
    assert.equal((await attempts(txn.id)).length, 0, 'nothing was charged');
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await thankYou(page);
    const paid = await api(txn.id);
    assert.deepEqual(
      paid.payments.map((p: any) => [p.status, p.amount]),
      [['captured', '2500']],
    );
  });

  it('shows "unavailable" for a canceled transaction and for unknown links', async () => {
    const { customer, address } = await aBuyer(t(), 'GB');
    const txn = await aTransaction(t(), {
      items: [{ price_id: (await price()).id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
      collection_mode: 'manual',
      billing_details: { enable_checkout: true, payment_terms: { interval: 'day', frequency: 14 } },
    });
    assert.ok(txn.checkout.url);
    await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'billed' } });
    const canceled = await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'canceled' } });
    assert.equal(canceled.body.data.status, 'canceled', canceled.text);
    const page = await browser.page();
    const response = await page.goto(txn.checkout.url);
    assert.equal(response?.status(), 409);
    await page.getByRole('heading', { name: 'This checkout was canceled' }).waitFor();
    assert.equal(await page.locator('form').count(), 0);
    // Posting the old form is refused the same way, with no attempt.
    const post = await page.request.post(txn.checkout.url.replace('?', '/pay?'), {
      form: { number: '4242424242424242' },
    });
    assert.equal(post.status(), 409);
    assert.equal((await attempts(txn.id)).length, 0);

    const unknown = await page.goto(txn.checkout.url.replace(txn.id, 'txn_01h8441jn5pcwrfhwh78jqt8hk'));
    assert.equal(unknown?.status(), 404);
    await page.getByRole('heading', { name: 'Checkout not found' }).waitFor();

    // A manual invoice without checkout enabled has no checkout link, and its page is unavailable.
    const closed = await aTransaction(t(), {
      items: [{ price_id: (await price()).id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
      collection_mode: 'manual',
      billing_details: { enable_checkout: false, payment_terms: { interval: 'day', frequency: 14 } },
    });
    assert.equal(closed.checkout, null);
    const closedPage = await page.goto(txn.checkout.url.replace(txn.id, closed.id));
    assert.equal(closedPage?.status(), 409);
    await page.getByRole('heading', { name: 'This checkout cannot be paid' }).waitFor();
  });
});
