import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aCustomer, anAddress, aPrice, aProduct, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';

async function pdfText(pdf: Uint8Array): Promise<string> {
  const document = await getDocument({ data: pdf, isEvalSupported: false, disableFontFace: true, verbosity: 0 })
    .promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await document.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}

const MANUAL = {
  enable_checkout: false,
  purchase_order_number: 'PO-77',
  payment_terms: { interval: 'day', frequency: 30 },
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function completedTransaction() {
    const product = await aProduct(t(), { name: 'Invoice Widget Deluxe' });
    const price = await aPrice(t(), { product_id: product.id, unit_price: { amount: '1999', currency_code: 'EUR' } });
    const customer = await aCustomer(t(), {
      email: `invoice-${dialect}-${randomUUID().slice(0, 8)}@example.com`,
      name: 'Ada Lovelace',
    });
    const address = await anAddress(t(), customer.id, {
      country_code: 'DE',
      postal_code: '10115',
      city: 'Berlin',
      first_line: 'Unter den Linden 1',
    });
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 3 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
    assert.equal(paid.body.data.status, 'completed', paid.text);
    return { txn: paid.body.data, customer };
  }

  describe('GET /transactions/{id}/invoice', () => {
    it('gives a completed automatic transaction a signed one-hour link to its PDF', async () => {
      const { txn, customer } = await completedTransaction();
      const res = await t().request('GET', `/transactions/${txn.id}/invoice`);
      assertMatchesSpec('get-transaction-invoice', res);
      assert.deepEqual(Object.keys(res.body.data), ['url']);
      const url = new URL(res.body.data.url);
      assert.equal(url.origin, t().baseUrl);
      assert.match(url.pathname, new RegExp(`^/invoices/cpl_[a-z\\d]{26}/${txn.id}\\.pdf$`));
      assert.equal(url.searchParams.get('disposition'), 'attachment');
      // Expires: an HTTP date one hour from now on the sandbox clock.
      const clock = await t().request('GET', '/test-helpers/clock');
      const expires = Date.parse(String(res.headers.expires));
      const hourLater = Date.parse(clock.body.data.now) + 3600_000;
      assert.ok(Math.abs(expires - hourLater) < 5000, `${res.headers.expires} vs ${clock.body.data.now}`);
      assert.equal(Number(url.searchParams.get('expires')), Math.floor(expires / 1000));

      // Fetched over HTTP with no API key, as a browser would.
      const pdf = await fetch(url);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.equal(pdf.headers.get('content-disposition'), `attachment; filename="invoice_${txn.invoice_number}.pdf"`);
      const bytes = new Uint8Array(await pdf.arrayBuffer());
      assert.equal(Buffer.from(bytes.slice(0, 5)).toString(), '%PDF-');
      const text = await pdfText(bytes);
      for (const needle of [
        txn.invoice_number,
        customer.email,
        'Ada Lovelace',
        'Invoice Widget Deluxe',
        'Berlin',
        '€59.97',
        '€11.39',
        '€71.36',
      ]) {
        assert.ok(text.includes(needle), `the invoice shows ${needle}: ${text}`);
      }
      assert.equal(txn.details.totals.subtotal, '5997');
      assert.equal(txn.details.totals.tax, '1139');
      assert.equal(txn.details.totals.total, '7136');
    });

    it('serves inline when asked, and refuses tampered and expired links', async () => {
      const { txn } = await completedTransaction();
      const inline = await t().request('GET', `/transactions/${txn.id}/invoice?disposition=inline`);
      assertMatchesSpec('get-transaction-invoice', inline);
      const url = new URL(inline.body.data.url);
      assert.equal(url.searchParams.get('disposition'), 'inline');
      const shown = await fetch(url);
      assert.equal(shown.status, 200);
      assert.match(String(shown.headers.get('content-disposition')), /^inline; filename="invoice_\d{4}-\d{5}\.pdf"$/);
      assertPaddleError(
        await t().request('GET', `/transactions/${txn.id}/invoice?disposition=download`),
        400,
        'invalid_field',
      );

      const tamper = async (change: (u: URL) => void) => {
        const copy = new URL(url);
        change(copy);
        const res = await fetch(copy);
        return { status: res.status, body: (await res.json()) as any };
      };
      const sig = url.searchParams.get('signature')!;
      const flipped = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
      const badSignature = await tamper((u) => u.searchParams.set('signature', flipped));
      assert.equal(badSignature.status, 403);
      assert.equal(badSignature.body.error.code, 'forbidden');
      assert.equal(
        (await tamper((u) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 86400))))
          .status,
        403,
      );
      assert.equal((await tamper((u) => u.searchParams.set('disposition', 'attachment'))).status, 403);
      assert.equal((await tamper((u) => u.searchParams.delete('signature'))).status, 403);
      const other = await completedTransaction();
      assert.equal((await tamper((u) => (u.pathname = u.pathname.replace(txn.id, other.txn.id)))).status, 403);
      assert.equal(
        (await tamper((u) => (u.pathname = u.pathname.replace(/cpl_[a-z\d]+/, 'cpl_01h8441jn5pcwrfhwh78jqt8hk'))))
          .status,
        404,
      );

      // One hour later (on the sandbox clock) the same link has expired.
      assert.equal((await fetch(url)).status, 200);
      const advanced = await t().request('POST', '/test-helpers/clock/advance', { body: { by: 'PT61M' } });
      assert.equal(advanced.status, 200, advanced.text);
      const expired = await fetch(url);
      assert.equal(expired.status, 403);
      const body = (await expired.json()) as any;
      assert.equal(body.error.code, 'invoice_link_expired');
      // A fresh link works again.
      const fresh = await t().request('GET', `/transactions/${txn.id}/invoice`);
      assert.equal((await fetch(fresh.body.data.url)).status, 200);
    });

    it('is not available before completion (automatic) or before billing (manual)', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const ready = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      assertPaddleError(
        await t().request('GET', `/transactions/${ready.id}/invoice`),
        400,
        'transaction_invoice_not_available',
      );
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      assertPaddleError(
        await t().request('GET', `/transactions/${draft.id}/invoice`),
        400,
        'transaction_invoice_not_available',
      );

      const manual = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        collection_mode: 'manual',
        billing_details: MANUAL,
      });
      assertPaddleError(
        await t().request('GET', `/transactions/${manual.id}/invoice`),
        400,
        'transaction_invoice_not_available',
      );
      const billed = await t().request('PATCH', `/transactions/${manual.id}`, { body: { status: 'billed' } });
      assert.equal(billed.body.data.status, 'billed', billed.text);
      const link = await t().request('GET', `/transactions/${manual.id}/invoice`);
      assertMatchesSpec('get-transaction-invoice', link);
      const pdf = await fetch(link.body.data.url);
      assert.equal(pdf.status, 200);
      const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
      assert.ok(text.includes(billed.body.data.invoice_number), text);
      assert.ok(text.includes('PO-77'), text);

      // A canceled invoice is not available any more (Paddle: billed or completed only).
      await t().request('PATCH', `/transactions/${manual.id}`, { body: { status: 'canceled' } });
      assertPaddleError(
        await t().request('GET', `/transactions/${manual.id}/invoice`),
        400,
        'transaction_invoice_not_available',
      );
      assert.equal(
        (await fetch(link.body.data.url)).status,
        400,
        'an issued link stops serving when the invoice is no longer available',
      );
    });

    it('needs transaction.read and keeps tenants apart', async () => {
      const { txn } = await completedTransaction();
      const noRead = await t().createKey('sandbox', ['customer.read']);
      assertPaddleError(await t().request('GET', `/transactions/${txn.id}/invoice`, { key: noRead }), 403, 'forbidden');
      const readOnly = await t().createKey('sandbox', ['transaction.read']);
      assertMatchesSpec(
        'get-transaction-invoice',
        await t().request('GET', `/transactions/${txn.id}/invoice`, { key: readOnly }),
      );
      assertPaddleError(
        await t().request('GET', `/transactions/${txn.id}/invoice`, { key: t().keys.live }),
        404,
        'not_found',
      );
      const other = await t().createSeller(`sel_inv_${dialect}`);
      assertPaddleError(
        await t().request('GET', `/transactions/${txn.id}/invoice`, { key: other.sandbox }),
        404,
        'not_found',
      );
      assertPaddleError(
        await t().request('GET', '/transactions/txn_01h8441jn5pcwrfhwh78jqt8hk/invoice'),
        404,
        'not_found',
      );
      // A link signed for one environment does not open another's transaction.
      const link = new URL((await t().request('GET', `/transactions/${txn.id}/invoice`)).body.data.url);
      const livePortal = await t()
        .db.selectFrom('seller_environments')
        .select('portal_id')
        .where('environment', '=', 'live')
        .where('seller_id', '=', 'sel_default')
        .executeTakeFirstOrThrow();
      link.pathname = link.pathname.replace(/cpl_[a-z\d]+/, livePortal.portal_id);
      assert.equal((await fetch(link)).status, 403);
    });
  });

  describe('official Node SDK', () => {
    it('gets the invoice link', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const { txn } = await completedTransaction();
      const invoice = await paddle.transactions.getInvoicePDF(txn.id, { disposition: 'inline' });
      assert.match(
        invoice.url,
        /\/invoices\/cpl_[a-z\d]{26}\/txn_[a-z\d]{26}\.pdf\?disposition=inline&expires=\d+&signature=[0-9a-f]{64}$/,
      );
      assert.equal((await fetch(invoice.url)).status, 200);
    });
  });
});
