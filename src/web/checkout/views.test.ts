// Renders each checkout page, serves it with the real stylesheet from a throwaway Fastify server, and checks it
// in Chromium the way a customer (or a screen reader) finds things: by label and role name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { useBrowser } from '../../../test/support/browser.js';
import { assetRoutes } from '../shared/assets.js';
import {
  checkoutCountries,
  renderChallengePage,
  renderCheckoutPage,
  renderCheckoutUnavailablePage,
  renderPaidPage,
  type CheckoutPageVm,
  type CheckoutUnavailableReason,
  type PaidPageVm,
} from './views.js';

const XSS = '<script>alert(1)</script>';

const checkoutVm: CheckoutPageVm = {
  seller_name: 'AeroEdit & Co',
  transaction_id: 'txn_01hv8wptq8987qeep44cyrewp9',
  action: '/checkout/txn_01hv8wptq8987qeep44cyrewp9/pay',
  attempt_key: 'att_3f1c',
  items: [
    { product_name: 'AeroEdit Pro', price_description: 'Monthly (per seat)', quantity: 2, line_total: '€20.00' },
    { product_name: XSS, price_description: 'One-time setup', quantity: 1, line_total: '€5.00' },
  ],
  totals: {
    subtotal: '€25.00',
    discount: null,
    taxes: [{ label: 'Tax (20%)', amount: '€5.00' }],
    total: '€30.00',
    credit: '€6.00',
    amount_due: '€24.00',
  },
  customer_email: null,
  ask_email: true,
  ask_address: true,
  values: {},
  errors: [],
  show_test_card_hint: true,
};

const paidVm: PaidPageVm = {
  seller_name: 'AeroEdit & Co',
  transaction_id: checkoutVm.transaction_id,
  items: checkoutVm.items,
  totals: checkoutVm.totals,
  card_description: 'Visa ending in 4242',
  customer_email: 'ada@example.com',
  invoice_url: '/invoices/txn_01hv8wptq8987qeep44cyrewp9.pdf?sig=a%26b',
  return_url: 'https://aeroedit.example/welcome',
};

// ---- A throwaway server: GET /page serves whatever HTML the test sets; form posts are recorded. ----------

let server: FastifyInstance;
let baseUrl = '';
let currentHtml = '';
const posts: Array<{ url: string; body: Record<string, string> }> = [];

before(async () => {
  server = Fastify();
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  assetRoutes(server);
  server.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(currentHtml));
  server.post('/*', async (request, reply) => {
    posts.push({ url: request.url, body: request.body as Record<string, string> });
    return reply.type('text/html; charset=utf-8').send('<!doctype html><title>Received</title><p>Received</p>');
  });
  baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
});
after(() => server.close());

const browser = useBrowser();

async function open(html: string, options?: { javaScriptEnabled?: boolean; width?: number }): Promise<Page> {
  currentHtml = html;
  const page = await browser.page({
    javaScriptEnabled: options?.javaScriptEnabled ?? true,
    viewport: { width: options?.width ?? 1280, height: 900 },
  });
  page.on('dialog', (dialog) => {
    throw new Error(`a script ran and opened a dialog: ${dialog.message()}`);
  });
  const response = await page.goto(`${baseUrl}/page`);
  assert.equal(response?.status(), 200);
  return page;
}

/** The texts an element's aria-describedby points to, as a screen reader would read them after the label. */
async function description(page: Page, label: string): Promise<string> {
  const ids = (await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

const CARD_LABELS = ['Name on card', 'Card number', 'Expiry month (MM)', 'Expiry year (YY)', 'Security code (CVC)'];
const CUSTOMER_LABELS = ['Email address', 'Country', 'Postal code'];

describe('renderCheckoutPage', () => {
  it('finds every field by its label and the pay button by its name, and shows the totals', async () => {
    const page = await open(renderCheckoutPage(checkoutVm));
    for (const label of [...CUSTOMER_LABELS, ...CARD_LABELS]) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
      assert.ok(await page.getByLabel(label, { exact: true }).isVisible(), label);
    }
    assert.equal(await page.getByRole('button', { name: 'Pay €24.00' }).count(), 1);
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Checkout' }).count(), 1);
    const summary = page.getByRole('table', { name: 'Items and totals' });
    const totals: Array<[string, string]> = [
      ['Subtotal', '€25.00'],
      ['Tax (20%)', '€5.00'],
      ['Total', '€30.00'],
      ['Credit applied', '€6.00'],
      ['Amount due', '€24.00'],
    ];
    for (const [label, amount] of totals) {
      const row = summary.getByRole('row', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')} `) });
      assert.equal(await row.getByRole('cell').last().innerText(), amount, label);
    }
    assert.equal(await summary.getByRole('row', { name: /Discount/ }).count(), 0, 'no discount row without a discount');
    const pro = summary.getByRole('row', { name: /AeroEdit Pro/ });
    assert.match(await pro.innerText(), /AeroEdit Pro\s+Monthly \(per seat\)\s+2\s+€20\.00/);
    assert.equal(await page.title(), 'Checkout · AeroEdit & Co');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('header').innerText(), 'AeroEdit & Co');
  });

  it('shows a product named like a script as text, and runs no script', async () => {
    const page = await open(renderCheckoutPage(checkoutVm));
    assert.equal(await page.getByText(XSS, { exact: true }).count(), 1);
    assert.equal(await page.locator('main script').count(), 0);
    assert.equal(await page.locator('script').count(), 0, 'the checkout needs no JavaScript at all');
  });

  it('gives the card number a numeric keyboard and card autofill, and the fields their autocomplete hints', async () => {
    const page = await open(renderCheckoutPage(checkoutVm));
    const number = page.getByLabel('Card number');
    assert.equal(await number.getAttribute('inputmode'), 'numeric');
    assert.equal(await number.getAttribute('autocomplete'), 'cc-number');
    const expected: Array<[string, string]> = [
      ['Email address', 'email'],
      ['Country', 'country'],
      ['Postal code', 'postal-code'],
      ['Name on card', 'cc-name'],
      ['Expiry month (MM)', 'cc-exp-month'],
      ['Expiry year (YY)', 'cc-exp-year'],
      ['Security code (CVC)', 'cc-csc'],
    ];
    for (const [label, autocomplete] of expected) {
      assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('autocomplete'), autocomplete, label);
    }
    assert.equal(await page.getByLabel('Email address').getAttribute('type'), 'email');
    assert.match(await description(page, 'Security code (CVC)'), /3 digits on the back of the card/);
  });

  it('lists the supported countries by name, with ISO codes as values', async () => {
    const page = await open(renderCheckoutPage(checkoutVm));
    const country = page.getByLabel('Country');
    assert.equal(await country.locator('option').count(), 230, '229 countries and the empty choice');
    assert.equal(await country.locator('option[value="GB"]').innerText(), 'United Kingdom');
    assert.equal(await country.locator('option[value="DE"]').innerText(), 'Germany');
    assert.equal(await country.inputValue(), '');
    assert.deepEqual(
      checkoutCountries('de').find((entry) => entry.code === 'DE'),
      { code: 'DE', name: 'Deutschland' },
    );
  });

  it('submits every field as a plain form, without JavaScript', async () => {
    posts.length = 0;
    const page = await open(renderCheckoutPage(checkoutVm), { javaScriptEnabled: false });
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByLabel('Country').selectOption('GB');
    await page.getByLabel('Postal code').fill('SW1A 1AA');
    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry month (MM)').fill('12');
    await page.getByLabel('Expiry year (YY)').fill('29');
    await page.getByLabel('Security code (CVC)').fill('100');
    await page.getByRole('button', { name: 'Pay €24.00' }).click();
    await page.getByText('Received').waitFor();
    assert.deepEqual(posts, [
      {
        url: checkoutVm.action,
        body: {
          attempt_key: 'att_3f1c',
          email: 'ada@example.com',
          country_code: 'GB',
          postal_code: 'SW1A 1AA',
          cardholder_name: 'Ada Lovelace',
          number: '4242 4242 4242 4242',
          expiry_month: '12',
          expiry_year: '29',
          cvc: '100',
        },
      },
    ]);
  });

  it('shows errors above the form in an alert and next to each field, keeping non-card values', async () => {
    const vm: CheckoutPageVm = {
      ...checkoutVm,
      values: { email: 'ada@example', country_code: 'FR', postal_code: '"><b>75001' },
      errors: [
        { field: 'email', message: 'Enter an email address like name@example.com.' },
        { field: 'number', message: 'This card number is not valid. Check it for typing mistakes.' },
        { field: null, message: 'Your card was declined. Try another card.' },
      ],
    };
    const page = await open(renderCheckoutPage(vm));
    const alert = page.getByRole('alert');
    assert.equal(await alert.count(), 1);
    const alertText = await alert.innerText();
    for (const error of vm.errors) assert.ok(alertText.includes(error.message), error.message);
    assert.equal(
      await alert.getByRole('link', { name: /card number is not valid/ }).getAttribute('href'),
      '#checkout-number',
    );

    assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
    assert.match(await description(page, 'Email address'), /Enter an email address like name@example\.com\./);
    assert.match(await description(page, 'Card number'), /card number is not valid/);
    assert.equal(await page.getByLabel('Name on card').getAttribute('aria-invalid'), null);
    assert.equal(await page.getByLabel('Name on card').getAttribute('aria-describedby'), null);

    assert.equal(await page.getByLabel('Email address').inputValue(), 'ada@example');
    assert.equal(await page.getByLabel('Country').inputValue(), 'FR');
    assert.equal(await page.getByLabel('Postal code').inputValue(), '"><b>75001', 'kept, escaped inside the attribute');
    for (const label of CARD_LABELS)
      assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), '', `${label} is not refilled`);
  });

  it('asks no customer details when the transaction has a customer and address, and names the email', async () => {
    const page = await open(
      renderCheckoutPage({ ...checkoutVm, customer_email: 'ada@example.com', ask_email: false, ask_address: false }),
    );
    for (const label of CUSTOMER_LABELS) assert.equal(await page.getByLabel(label, { exact: true }).count(), 0, label);
    assert.equal(await page.getByText('Paying as ada@example.com').count(), 1);
    assert.equal(await page.getByRole('group', { name: 'Your details' }).count(), 0);
    assert.equal(await page.getByRole('group', { name: 'Card details' }).count(), 1);
  });

  it('asks only for the address when the customer is known, and takes a custom button label', async () => {
    const page = await open(
      renderCheckoutPage({
        ...checkoutVm,
        customer_email: 'ada@example.com',
        ask_email: false,
        submit_label: 'Save card',
        show_test_card_hint: false,
      }),
    );
    assert.equal(await page.getByLabel('Email address').count(), 0);
    assert.equal(await page.getByLabel('Country').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Save card' }).count(), 1);
    assert.equal(await page.getByText(/test card/).count(), 0);
  });

  it('loads the stylesheet: a readable, styled page with a visible focus ring', async () => {
    const page = await open(renderCheckoutPage(checkoutVm));
    const button = page.getByRole('button', { name: 'Pay €24.00' });
    assert.equal(await button.evaluate((element) => getComputedStyle(element).backgroundColor), 'rgb(29, 78, 216)');
    const input = page.getByLabel('Card number');
    await input.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await input.evaluate(
      (element) => getComputedStyle(element).outlineStyle + ' ' + getComputedStyle(element).outlineWidth,
    );
    assert.equal(outline, 'solid 3px');
    await page.screenshot({ path: '/tmp/checkout.png', fullPage: true });
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await open(
      renderCheckoutPage({
        ...checkoutVm,
        errors: [{ field: 'cvc', message: 'Enter the 3-digit security code (CVC).' }],
      }),
      {
        width: 360,
      },
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.equal(overflow, 0);
    await page.screenshot({ path: '/tmp/checkout-phone.png', fullPage: true });
  });
});

describe('renderChallengePage', () => {
  const vm = {
    seller_name: 'AeroEdit',
    transaction_id: 'txn_01hv8wptq8987qeep44cyrewp9',
    amount: '€24.00',
    card_description: 'Visa ending in 0446',
    complete_action: '/checkout/txn_01/challenge/complete',
    fail_action: '/checkout/txn_01/challenge/fail',
    attempt_key: 'att_9',
  };

  it('explains the simulation and offers both outcomes as buttons', async () => {
    const page = await open(renderChallengePage(vm));
    assert.equal(await page.getByText(/sandbox simulation of 3-D Secure/).count(), 1);
    assert.match(await page.getByRole('main').innerText(), /€24\.00 to AeroEdit with your Visa ending in 0446/);
    assert.equal(await page.getByRole('button', { name: 'Complete authentication' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Fail authentication' }).count(), 1);
  });

  for (const [button, action] of [
    ['Complete authentication', vm.complete_action],
    ['Fail authentication', vm.fail_action],
  ] as const) {
    it(`"${button}" posts to its own action without JavaScript`, async () => {
      posts.length = 0;
      const page = await open(renderChallengePage(vm), { javaScriptEnabled: false });
      await page.getByRole('button', { name: button }).click();
      await page.getByText('Received').waitFor();
      assert.deepEqual(posts, [{ url: action, body: { attempt_key: 'att_9' } }]);
    });
  }
});

describe('renderPaidPage', () => {
  it('says what was paid, the transaction id, and links the invoice and the way back', async () => {
    const page = await open(renderPaidPage(paidVm));
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Thank you, your payment is complete');
    const main = await page.getByRole('main').innerText();
    assert.match(main, /Amount paid\s+€24\.00/);
    assert.match(main, /Visa ending in 4242/);
    assert.match(main, /txn_01hv8wptq8987qeep44cyrewp9/);
    assert.equal(await page.getByText(XSS, { exact: true }).count(), 1);
    assert.equal(
      await page.getByRole('link', { name: 'Download invoice (PDF)' }).getAttribute('href'),
      paidVm.invoice_url,
    );
    assert.equal(
      await page.getByRole('link', { name: 'Return to AeroEdit & Co' }).getAttribute('href'),
      paidVm.return_url,
    );
    assert.equal(await page.getByRole('row', { name: /Amount due/ }).count(), 0);
  });

  it('leaves out the links that are not given', async () => {
    const page = await open(renderPaidPage({ ...paidVm, invoice_url: null, return_url: null, card_description: null }));
    assert.equal(await page.getByRole('link', { name: /invoice|Return/ }).count(), 0);
    assert.equal(await page.getByText('Paid with').count(), 0);
  });
});

describe('renderCheckoutUnavailablePage', () => {
  const table: Array<[CheckoutUnavailableReason, string, RegExp]> = [
    ['already_paid', 'This checkout is already paid', /nothing more to pay/],
    ['canceled', 'This checkout was canceled', /can no longer be paid/],
    ['not_found', 'Checkout not found', /no checkout at this address/],
    ['not_payable', 'This checkout cannot be paid', /Contact the seller/],
  ];
  for (const [reason, heading, sentence] of table) {
    it(`${reason}: says so in a heading and one sentence, with no form`, async () => {
      const page = await open(
        renderCheckoutUnavailablePage({
          seller_name: reason === 'not_found' ? null : 'AeroEdit',
          reason,
          transaction_id: reason === 'not_found' ? null : 'txn_01',
        }),
      );
      assert.equal(await page.getByRole('heading', { level: 1, name: heading }).count(), 1);
      assert.match(await page.getByRole('main').innerText(), sentence);
      assert.equal(await page.locator('form').count(), 0);
      assert.equal(await page.locator('header').innerText(), reason === 'not_found' ? 'Paddock' : 'AeroEdit');
    });
  }
});
