// The customer portal in Chromium (SQLite): signing in from a tokened link and by emailed link, canceling at the
// period end, a new card for an active and a past-due subscription, someone else's subscription refused, forms
// without their CSRF token refused. Screenshots go to /tmp/portal-*.png.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useTestApp } from '../../../test/support/app.js';
import { useBrowser } from '../../../test/support/browser.js';
import {
  advanceClock,
  eventTypesFor,
  paymentMethodIdOf,
  portalRow,
  subscribe,
  subscribeManually,
} from '../../../test/support/portal.js';

const DECLINES_LATER = '4000002760003184';

describe('customer portal pages', () => {
  const t = useTestApp('sqlite');
  const browser = useBrowser();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `/tmp/portal-${name}.png`, fullPage: true });
  }

  /** Every visible form control has a label, and every button a name. */
  async function assertLabelled(page: Page): Promise<void> {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((element) => (element as HTMLInputElement).labels?.length === 0)
        .map((element) => element.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button')].filter((b) => b.innerText.trim() === '').map((b) => b.outerHTML),
    );
    assert.deepEqual(unnamed, []);
  }

  async function sessionLinks(customerId: string, subscriptionIds: string[] = [], key?: string) {
    const res = await t().request('POST', `/customers/${customerId}/portal-sessions`, {
      body: { subscription_ids: subscriptionIds },
      ...(key ? { key } : {}),
    });
    assert.equal(res.status, 201, res.text);
    return res.body.data.urls;
  }

  async function fillCard(page: Page, number: string): Promise<void> {
    await page.getByLabel('Name on card').fill('Sam Miller');
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry month (MM)').fill('12');
    await page.getByLabel('Expiry year (YY)').fill('35');
    await page.getByLabel('Security code (CVC)').fill('100');
  }

  it('cancels from a management_urls link of a key with customer_portal_session.write', async () => {
    const { sub } = await subscribe(t());
    const got = await t().request('GET', `/subscriptions/${sub.id}`);
    const link: string = got.body.data.management_urls.cancel;
    assert.match(link, /\?action=cancel_subscription&subscription_id=sub_[a-z\d]+&token=pga_/);
    const page = await browser.page();
    const response = await page.goto(link);
    assert.equal(response?.status(), 200);
    // Signed in, and the token is gone from the address bar.
    assert.equal(page.url(), link.split('&token=')[0]);
    const { portal_id: cpl } = await portalRow(t(), 'sandbox');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'paddock_portal_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.secure, false);
    assert.equal(cookie.path, `/sandbox-customer-portal/${cpl}`);

    assert.equal(await page.getByRole('heading', { level: 1, name: 'Cancel AeroEdit Pro' }).count(), 1);
    assert.match(await page.getByRole('main').innerText(), /stays active until/);
    await assertLabelled(page);
    await shot(page, 'cancel');
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await page.waitForURL(/notice=canceled/);
    assert.match(await page.getByRole('status').first().innerText(), /Your subscription will be canceled on/);
    await shot(page, 'canceled');

    const after = (await t().request('GET', `/subscriptions/${sub.id}`)).body.data;
    assert.equal(after.status, 'active');
    assert.deepEqual(after.scheduled_change, { action: 'cancel', effective_at: sub.next_billed_at, resume_at: null });
    assert.equal((await eventTypesFor(t(), sub.id)).at(-1), 'subscription.updated');

    // Opening the cancel page again says it is already scheduled, with the date, and offers no button.
    await page.goto(link.split('&token=')[0]!);
    assert.match(await page.getByRole('main').innerText(), /already scheduled to cancel on \d{1,2} \w+ \d{4}/);
    assert.equal(await page.getByRole('button', { name: 'Cancel subscription' }).count(), 0);
    await shot(page, 'cancel-scheduled');
  });

  it('asks for an email without a token, mails a magic link, and the link signs in', async () => {
    const { sub, customer } = await subscribe(t());
    const key = await t().createKey('sandbox', ['subscription.read']);
    const link: string = (await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data.management_urls
      .cancel;
    assert.doesNotMatch(link, /token=/);
    const page = await browser.page();
    await page.goto(link);
    assert.equal(
      await page.getByRole('heading', { level: 1, name: 'Sign in to manage your subscriptions' }).count(),
      1,
    );
    await assertLabelled(page);
    await shot(page, 'sign-in');
    await page.getByLabel('Email address').fill(customer.email.toUpperCase());
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Check your email' }).count(), 1);
    await shot(page, 'check-email');

    const emails = await t().request('GET', `/test-helpers/emails?to=${encodeURIComponent(customer.email)}`);
    assert.equal(emails.status, 200);
    assert.equal(emails.body.data.length, 1);
    const email = emails.body.data[0];
    assert.equal(email.to, customer.email);
    assert.match(email.subject, /Sign in/);
    const magic = /(http\S+token=pga_\S+)/.exec(email.text)?.[1] ?? '';
    assert.ok(magic.startsWith(link), `${magic} continues ${link}`);
    assert.ok(email.html.includes(magic.replaceAll('&', '&amp;')));

    // Opening the link only asks to confirm (a mail scanner's GET uses nothing); the button signs in.
    await page.goto(magic);
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Continue to your account' }).count(), 1);
    assert.equal((await page.context().cookies()).length, 0, 'no session before the button');
    await assertLabelled(page);
    await shot(page, 'confirm-link');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(link);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Cancel AeroEdit Pro' }).count(), 1);
    assert.match(
      await page.getByRole('navigation', { name: 'Your account' }).innerText(),
      new RegExp(customer.email.replace(/[.+]/g, '\\$&')),
    );

    // The link works once: opened again (in another browser), it is used up.
    const other = await browser.page();
    await other.goto(magic);
    assert.match(await other.getByRole('status').first().innerText(), /This link has already been used/);
  });

  it('signs in with the 6-digit code from the email, typed into its labelled field, once', async () => {
    const seller = await t().createSeller('sel_portal_code');
    const { sub, customer } = await subscribe(t(), { key: seller.sandbox });
    const { portal_id: cpl } = await portalRow(t(), 'sandbox', 'sel_portal_code');
    const target = `${t().baseUrl}/sandbox-customer-portal/${cpl}?action=overview&subscription_id=${sub.id}`;
    const page = await browser.page();
    await page.goto(target);
    await page.getByLabel('Email address').fill(customer.email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Check your email' }).count(), 1);
    await assertLabelled(page);
    const email = (await t().request('GET', '/test-helpers/emails', { key: seller.sandbox })).body.data[0];
    const code = /enter this code on the sign-in page: (\d{6})/.exec(email.text)?.[1];
    assert.ok(code, email.text);
    assert.ok(email.html.includes(code));

    // A wrong code first: the field says so and keeps the form.
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Sign-in code').fill(wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('main').innerText(), /That code isn't right/);
    assert.equal(await page.getByLabel('Sign-in code').getAttribute('aria-invalid'), 'true');
    await assertLabelled(page);
    await shot(page, 'code-wrong');

    await page.getByLabel('Sign-in code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(target);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'AeroEdit Pro' }).count(), 1);
    await shot(page, 'code-signed-in');

    // The same code again, from another browser: it no longer signs in.
    const other = await browser.page();
    await other.goto(target);
    await other.getByLabel('Email address').fill(customer.email);
    await other.getByRole('button', { name: 'Email me a sign-in link' }).click();
    // (that asked for a second email; the first code stays used)
    await other.getByLabel('Sign-in code').fill(code);
    await other.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await other.getByRole('heading', { level: 1, name: 'Check your email' }).count(), 1);
    assert.equal((await other.context().cookies()).length, 0);
  });

  it('answers an unknown email exactly like a known one, and sends nothing', async () => {
    const { sub, customer } = await subscribe(t());
    const { portal_id: cpl } = await portalRow(t(), 'sandbox');
    const page = await browser.page();
    const ask = async (email: string) => {
      await page.goto(`${t().baseUrl}/sandbox-customer-portal/${cpl}?action=overview&subscription_id=${sub.id}`);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      return (await page.getByRole('main').innerText()).replace(email, '<email>');
    };
    const unknown = 'nobody-here@example.com';
    assert.equal(await ask(unknown), await ask(customer.email));
    assert.deepEqual((await t().request('GET', `/test-helpers/emails?to=${unknown}`)).body.data, []);
  });

  it('refuses an emailed link after 15 minutes', async () => {
    const seller = await t().createSeller('sel_portal_expiry');
    const { sub, customer } = await subscribe(t(), { key: seller.sandbox });
    const { portal_id: cpl } = await portalRow(t(), 'sandbox', 'sel_portal_expiry');
    const page = await browser.page();
    await page.goto(
      `${t().baseUrl}/sandbox-customer-portal/${cpl}?action=cancel_subscription&subscription_id=${sub.id}`,
    );
    await page.getByLabel('Email address').fill(customer.email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const email = (await t().request('GET', '/test-helpers/emails', { key: seller.sandbox })).body.data[0];
    const magic = /(http\S+token=pga_\S+)/.exec(email.text)?.[1] ?? '';
    await advanceClock(t(), { by: 'PT16M' }, seller.sandbox);
    await page.goto(magic);
    assert.match(await page.getByRole('status').first().innerText(), /This link has expired/);
    assert.equal(
      await page.getByRole('heading', { level: 1, name: 'Sign in to manage your subscriptions' }).count(),
      1,
    );
    await shot(page, 'expired-link');
  });

  it('updates the card of an active subscription with 4242', async () => {
    const { sub, customer } = await subscribe(t(), { card: DECLINES_LATER });
    const before = await paymentMethodIdOf(t(), sub.id);
    const urls = await sessionLinks(customer.id, [sub.id]);
    const page = await browser.page();
    await page.goto(urls.subscriptions[0].update_subscription_payment_method);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Update payment method' }).count(), 1);
    assert.match(await page.getByRole('main').innerText(), /Current payment method: Visa ending in 3184/);
    await assertLabelled(page);
    await shot(page, 'payment-method');
    // A card the form refuses comes back with the error next to its field.
    await fillCard(page, '4242 4242 4242 4241');
    await page.getByRole('button', { name: 'Save card' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Your card was not saved/);
    assert.equal(await page.getByLabel('Card number').getAttribute('aria-invalid'), 'true');
    await shot(page, 'payment-method-error');
    await fillCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.waitForURL(/notice=payment_method_updated/);
    assert.match(await page.getByRole('status').first().innerText(), /Your payment method was updated/);
    assert.match(await page.getByRole('main').innerText(), /Visa ending in 4242/);
    await shot(page, 'payment-method-updated');
    const after = await paymentMethodIdOf(t(), sub.id);
    assert.notEqual(after, before);
    const method = (await t().request('GET', `/customers/${customer.id}/payment-methods/${after}`)).body.data;
    assert.equal(method.card.last4, '4242');
  });

  it('takes a form sent twice as one payment: one attempt, one saved card', async () => {
    const { sub, customer } = await subscribe(t());
    const urls = await sessionLinks(customer.id, [sub.id]);
    const page = await browser.page();
    await page.goto(urls.subscriptions[0].update_subscription_payment_method);
    const hidden = async (name: string) =>
      page.locator(`form[action$="/payment-method"] input[name="${name}"]`).inputValue();
    const form = {
      csrf_token: await hidden('csrf_token'),
      transaction_id: await hidden('transaction_id'),
      attempt_key: await hidden('attempt_key'),
      cardholder_name: 'Sam Miller',
      number: '4242424242424242',
      expiry_month: '12',
      expiry_year: '35',
      cvc: '100',
    };
    assert.match(form.transaction_id, /^txn_/);
    const action = (await page.locator('form[action$="/payment-method"]').getAttribute('action')) ?? '';
    const methodsBefore = (await t().request('GET', `/customers/${customer.id}/payment-methods`)).body.data.length;
    for (let i = 0; i < 2; i += 1) {
      const res = await page.request.post(new URL(action, page.url()).toString(), { form, maxRedirects: 0 });
      assert.equal(res.status(), 303);
      assert.match(res.headers().location ?? '', /notice=payment_method_updated/);
    }
    const txn = (await t().request('GET', `/transactions/${form.transaction_id}`)).body.data;
    assert.equal(txn.status, 'completed');
    assert.equal(txn.origin, 'subscription_payment_method_change');
    assert.equal(txn.payments.length, 1);
    assert.equal(
      (await t().request('GET', `/customers/${customer.id}/payment-methods`)).body.data.length,
      methodsBefore + 1,
    );
  });

  it('sends a 3-D Secure card through the checkout’s challenge, then saves it on the subscription', async () => {
    const { sub, customer } = await subscribe(t());
    const urls = await sessionLinks(customer.id, [sub.id]);
    const page = await browser.page();
    await page.goto(urls.subscriptions[0].update_subscription_payment_method);
    await fillCard(page, '4000 0038 0000 0446');
    await page.getByRole('button', { name: 'Save card' }).click();
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Confirm your payment' }).count(), 1);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(await page.getByRole('main').innerText(), /your payment is complete/i);
    const method = (
      await t().request('GET', `/customers/${customer.id}/payment-methods/${await paymentMethodIdOf(t(), sub.id)}`)
    ).body.data;
    assert.equal(method.card.last4, '0446');
  });

  it('pays a past-due subscription with the new card and shows it active again', async () => {
    const seller = await t().createSeller('sel_portal_past_due');
    const key = seller.sandbox;
    const { sub, customer } = await subscribe(t(), { key, card: DECLINES_LATER });
    await advanceClock(t(), { to: sub.next_billed_at }, key);
    assert.equal((await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data.status, 'past_due');
    const urls = await sessionLinks(customer.id, [sub.id], key);
    const page = await browser.page();
    await page.goto(urls.subscriptions[0].update_subscription_payment_method);
    assert.match(await page.getByRole('main').innerText(), /This subscription is past due/);
    await shot(page, 'past-due');
    await fillCard(page, '4242424242424242');
    await page.getByRole('button', { name: /^Pay .* and save card$/ }).click();
    await page.waitForURL(/notice=payment_method_updated/);
    assert.match(await page.getByRole('main').innerText(), /Status\s+Active/);
    assert.equal((await t().request('GET', `/subscriptions/${sub.id}`, { key })).body.data.status, 'active');
  });

  it('shows the overview with subscriptions and payments, invoices downloadable', async () => {
    const first = await subscribe(t());
    await subscribe(t(), { buyer: { customer: first.customer, address: first.address } });
    const urls = await sessionLinks(first.customer.id);
    const page = await browser.page();
    await page.goto(urls.general.overview);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Your subscriptions and payments' }).count(), 1);
    assert.equal(await page.getByRole('article').count(), 2);
    const payments = page.getByRole('table', { name: 'Your recent payments' });
    assert.equal(await payments.getByRole('row').count(), 3);
    const invoice = payments.getByRole('link', { name: /^Invoice/ }).first();
    const href = (await invoice.getAttribute('href')) ?? '';
    assert.match(href, /\/invoices\/cpl_[a-z\d]+\/txn_[a-z\d]+\.pdf\?/);
    const pdf = await page.request.get(href);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await assertLabelled(page);
    await shot(page, 'overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'overview-phone');

    // One subscription's own page.
    await page
      .getByRole('link', { name: /^View subscription/ })
      .first()
      .click();
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Subscription details' }).count(), 1);
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'subscription');

    // Sign out: the cookie goes, the portal asks to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal(
      await page.getByRole('heading', { level: 1, name: 'Sign in to manage your subscriptions' }).count(),
      1,
    );
    assert.equal(
      (await page.context().cookies()).some((c) => c.name === 'paddock_portal_session'),
      false,
    );
  });

  it('shows paused and canceled subscriptions without a cancel button, manual ones without a card form', async () => {
    const paused = await subscribe(t());
    const canceled = await subscribe(t(), { buyer: { customer: paused.customer, address: paused.address } });
    await t().request('POST', `/subscriptions/${paused.sub.id}/pause`, { body: { effective_from: 'immediately' } });
    await t().request('POST', `/subscriptions/${canceled.sub.id}/cancel`, { body: { effective_from: 'immediately' } });
    const page = await browser.page();
    const { portal_id: cpl } = await portalRow(t(), 'sandbox');
    const urls = await sessionLinks(paused.customer.id);
    await page.goto(urls.general.overview);
    await shot(page, 'overview-inactive');
    const base = `${t().baseUrl}/sandbox-customer-portal/${cpl}`;
    for (const [sub, state] of [
      [paused.sub, /This subscription is paused/],
      [canceled.sub, /This subscription was canceled on/],
    ] as const) {
      await page.goto(`${base}?action=cancel_subscription&subscription_id=${sub.id}`);
      assert.match(await page.getByRole('main').innerText(), state);
      assert.equal(await page.getByRole('button', { name: 'Cancel subscription' }).count(), 0);
      assert.equal(await page.getByRole('link', { name: /Cancel subscription/ }).count(), 0);
    }
    await shot(page, 'cancel-canceled');

    const manual = await subscribeManually(t());
    const manualUrls = await sessionLinks(manual.customer.id, [manual.sub.id]);
    await page.goto(
      `${base}?action=update_subscription_payment_method&subscription_id=${manual.sub.id}&token=${manualUrls.general.overview.split('&token=')[1]}`,
    );
    assert.match(await page.getByRole('status').first().innerText(), /paid by invoice/);
    assert.equal(await page.getByLabel('Card number').count(), 0);
    assert.match(await page.getByRole('main').innerText(), /Payment method\s+Paid by invoice/);
    await shot(page, 'manual');
  });

  it("refuses someone else's subscription, forms without the CSRF token, and the other environment's path", async () => {
    const mine = await subscribe(t());
    const theirs = await subscribe(t());
    const { portal_id: cpl } = await portalRow(t(), 'sandbox');
    const base = `${t().baseUrl}/sandbox-customer-portal/${cpl}`;
    const page = await browser.page();
    await page.goto((await sessionLinks(mine.customer.id, [mine.sub.id])).subscriptions[0].cancel_subscription);
    const csrf = await page.locator('input[name="csrf_token"]').first().inputValue();

    for (const action of ['overview', 'cancel_subscription', 'update_subscription_payment_method']) {
      const response = await page.goto(`${base}?action=${action}&subscription_id=${theirs.sub.id}`);
      assert.equal(response?.status(), 404, action);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Page not found' }).count(), 1);
    }
    await shot(page, 'not-found');
    // Posting to their subscription with my session and token changes nothing.
    const posted = await page.request.post(`${base}/subscriptions/${theirs.sub.id}/cancel`, {
      form: { csrf_token: csrf },
    });
    assert.equal(posted.status(), 404);
    // My own subscription, without the token or with another: refused, nothing changed.
    for (const form of [{}, { csrf_token: 'forged' }] as Array<Record<string, string>>) {
      const res = await page.request.post(`${base}/subscriptions/${mine.sub.id}/cancel`, { form });
      assert.equal(res.status(), 403);
      assert.match(await res.text(), /This form has expired/);
    }
    const crossSite = await page.request.post(`${base}/subscriptions/${mine.sub.id}/cancel`, {
      form: { csrf_token: csrf },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(crossSite.status(), 403);
    for (const id of [mine.sub.id, theirs.sub.id]) {
      assert.equal((await t().request('GET', `/subscriptions/${id}`)).body.data.scheduled_change, null);
    }
    // With the token, the same post works.
    const ok = await page.request.post(`${base}/subscriptions/${mine.sub.id}/cancel`, {
      form: { csrf_token: csrf },
      maxRedirects: 0,
    });
    assert.equal(ok.status(), 303);
    assert.equal(
      (await t().request('GET', `/subscriptions/${mine.sub.id}`)).body.data.scheduled_change.action,
      'cancel',
    );

    // A sandbox portal under the live path does not exist.
    const wrongEnvironment = await page.goto(`${t().baseUrl}/customer-portal/${cpl}?action=overview`);
    assert.equal(wrongEnvironment?.status(), 404);
  });
});
