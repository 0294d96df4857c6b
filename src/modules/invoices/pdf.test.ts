import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  countryName,
  invoiceDocumentFrom,
  percentFromRate,
  type InvoiceParties,
  type InvoiceTransaction,
  type MoneyFormatter,
} from './document.js';
import { renderInvoicePdf, toWinAnsi } from './pdf.js';

// ---- A Paddle-shaped transaction, with totals that add up --------------------------------------------

const RATES = ['0.2', '0.0825', '0'];
const DIGITS: Record<string, number> = { USD: 2, JPY: 0, INR: 2 };
const SYMBOLS: Record<string, string> = { USD: '$', JPY: '¥', INR: '₹' };

/** A stand-in for the billing formatter: "$1,234.50", "¥1,000", "-$5.00". */
const format: MoneyFormatter = (amount, currency) => {
  const minor = BigInt(amount);
  const digits = DIGITS[currency] ?? 2;
  const abs = minor < 0n ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${(abs % scale).toString().padStart(digits, '0')}` : '';
  return `${minor < 0n ? '-' : ''}${SYMBOLS[currency] ?? ''}${whole}${fraction}`;
};

interface SampleOptions {
  currency: string;
  items: number;
  status?: string;
  collection_mode?: 'automatic' | 'manual';
  discountPerLine?: bigint;
  credit?: bigint;
}

function productName(index: number): string {
  return `Widget ${String(index + 1).padStart(3, '0')}`;
}

function sampleTransaction(options: SampleOptions): InvoiceTransaction {
  const manual = options.collection_mode === 'manual';
  const unit = options.currency === 'JPY' ? 1000n : 1250n;
  const discountPerLine = options.discountPerLine ?? 0n;
  const byRate = new Map<string, { subtotal: bigint; discount: bigint; tax: bigint; total: bigint }>();
  const lineItems = Array.from({ length: options.items }, (_, index) => {
    const rate = RATES[index % RATES.length]!;
    const quantity = (index % 4) + 1;
    const subtotal = unit * BigInt(quantity);
    const taxable = subtotal - discountPerLine;
    const tax = (taxable * BigInt(Math.round(Number(rate) * 10000))) / 10000n;
    const sums = byRate.get(rate) ?? { subtotal: 0n, discount: 0n, tax: 0n, total: 0n };
    byRate.set(rate, {
      subtotal: sums.subtotal + subtotal,
      discount: sums.discount + discountPerLine,
      tax: sums.tax + tax,
      total: sums.total + taxable + tax,
    });
    const unitTax = (unit * BigInt(Math.round(Number(rate) * 10000))) / 10000n;
    return {
      id: `txnitm_${index}`,
      price_id: `pri_${index}`,
      quantity,
      tax_rate: rate,
      unit_totals: { subtotal: String(unit), discount: '0', tax: String(unitTax), total: String(unit + unitTax) },
      totals: {
        subtotal: String(subtotal),
        discount: String(discountPerLine),
        tax: String(tax),
        total: String(taxable + tax),
      },
      product: { name: productName(index), description: null },
    };
  });
  const sum = (key: 'subtotal' | 'discount' | 'tax' | 'total') =>
    [...byRate.values()].reduce((acc, s) => acc + s[key], 0n);
  const total = sum('total');
  const credit = options.credit ?? 0n;
  const status = options.status ?? 'completed';
  return {
    id: 'txn_01hv8wptq8987qeep44cyrewp9',
    status,
    collection_mode: options.collection_mode ?? 'automatic',
    currency_code: options.currency,
    invoice_number: '325-10566',
    billed_at: '2024-04-12T10:18:48.294633Z',
    created_at: '2024-04-12T10:10:00Z',
    billing_details: manual
      ? {
          purchase_order_number: 'PO-7781',
          additional_information: 'Bank transfer details are on your account page.',
          payment_terms: { interval: 'day', frequency: 30 },
        }
      : null,
    items: lineItems.map((line, index) => ({
      price: { id: line.price_id, name: index % 2 === 0 ? 'Monthly (per seat)' : null, description: 'internal note' },
      quantity: line.quantity,
    })),
    details: {
      tax_rates_used: [...byRate.entries()].map(([tax_rate, s]) => ({
        tax_rate,
        totals: {
          subtotal: String(s.subtotal),
          discount: String(s.discount),
          tax: String(s.tax),
          total: String(s.total),
        },
      })),
      totals: {
        subtotal: String(sum('subtotal')),
        discount: String(sum('discount')),
        tax: String(sum('tax')),
        total: String(total),
        credit: String(credit),
        grand_total: String(total - credit),
        balance: status === 'completed' ? '0' : String(total - credit),
      },
      line_items: lineItems,
    },
  };
}

const withBusiness: InvoiceParties = {
  seller: { name: 'Aeroedit Ltd', address_lines: ['1 Harbour Street', 'Bristol BS1 4RN', 'United Kingdom'] },
  customer: { name: 'Sam Miller', email: 'sam@example.com' },
  address: {
    first_line: 'Friedrichstraße 43',
    second_line: 'Aufgang B',
    city: 'Berlin',
    postal_code: '10117',
    region: 'Berlin',
    country_code: 'DE',
  },
  business: { name: 'ChatApp GmbH', company_number: 'HRB 123456', tax_identifier: 'DE123456789' },
};

const withoutBusiness: InvoiceParties = {
  ...withBusiness,
  customer: { name: 'Haruka Sato', email: 'haruka@example.jp' },
  address: {
    first_line: '1-2-3 Shibuya',
    second_line: null,
    city: 'Tokyo',
    postal_code: '150-0002',
    region: null,
    country_code: 'JP',
  },
  business: null,
};

// ---- Reading the PDF back ------------------------------------------------------------------------------

interface Extracted {
  pages: string[];
  /** Every page's text, whitespace collapsed. */
  all: string;
}

async function extractText(pdf: Buffer): Promise<Extracted> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/[ \t]+/g, ' '),
    );
  }
  await document.destroy();
  return { pages, all: pages.join('\n').replace(/\s+/g, ' ') };
}

function assertContains(haystack: string, needle: string) {
  assert.ok(haystack.includes(needle), `expected the PDF text to contain ${JSON.stringify(needle)}`);
}

async function render(transaction: InvoiceTransaction, parties: InvoiceParties) {
  const invoice = invoiceDocumentFrom(transaction, parties, format);
  const pdf = await renderInvoicePdf(invoice);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  return { invoice, pdf, text: await extractText(pdf) };
}

describe('invoice PDF', () => {
  it('renders a USD invoice with a business, 60 items flowing over several pages', async () => {
    const transaction = sampleTransaction({ currency: 'USD', items: 60, discountPerLine: 100n, credit: 500n });
    const { text, invoice } = await render(transaction, withBusiness);

    assert.ok(text.pages.length >= 2, `60 items should need more than one page, got ${text.pages.length}`);
    for (const [index, page] of text.pages.entries()) {
      assertContains(page.replace(/\s+/g, ' '), `Page ${index + 1} of ${text.pages.length}`);
      assertContains(page.toUpperCase(), 'DESCRIPTION'); // the table header repeats on every page
    }
    const all = text.all;
    for (const expected of [
      'Aeroedit Ltd',
      '1 Harbour Street',
      'Invoice',
      '325-10566',
      '12 Apr 2024',
      'txn_01hv8wptq8987qeep44cyrewp9',
    ]) {
      assertContains(all, expected);
    }
    for (const expected of [
      'Sam Miller',
      'sam@example.com',
      'Friedrichstraße 43',
      'Aufgang B',
      'Berlin',
      '10117',
      'Germany',
    ]) {
      assertContains(all, expected);
    }
    for (const expected of ['ChatApp GmbH', 'HRB 123456', 'DE123456789']) assertContains(all, expected);
    for (let index = 0; index < 60; index++) assertContains(all, productName(index));
    assertContains(all, 'Monthly (per seat)');
    assert.ok(!all.includes('internal note'), "a price's internal description is not printed");
    for (const rate of ['20%', '8.25%', '0%']) assertContains(all, rate);
    for (const label of ['Tax (20%)', 'Tax (8.25%)', 'Tax (0%)']) assertContains(all, label);

    const totals = transaction.details.totals;
    assertContains(all, format(totals.subtotal, 'USD'));
    assertContains(all, `Discount -${format(totals.discount, 'USD')}`);
    assertContains(all, `Total ${format(totals.total, 'USD')}`);
    assertContains(all, `Credit applied -${format(totals.credit, 'USD')}`);
    assertContains(all, `Grand total ${format(totals.grand_total, 'USD')}`);
    assertContains(all, `Amount paid ${format(totals.grand_total, 'USD')}`);
    for (const tax of transaction.details.tax_rates_used) assertContains(all, format(tax.totals.tax, 'USD'));
    for (const line of transaction.details.line_items.slice(0, 4))
      assertContains(all, format(line.totals.subtotal, 'USD'));
    assertContains(all, 'PAID');
    assert.equal(invoice.paid, true);
  });

  it('renders a JPY invoice without a business', async () => {
    const transaction = sampleTransaction({ currency: 'JPY', items: 3 });
    const { text } = await render(transaction, withoutBusiness);
    const all = text.all;

    assert.equal(text.pages.length, 1);
    for (const expected of [
      'Haruka Sato',
      'haruka@example.jp',
      '1-2-3 Shibuya',
      'Tokyo',
      '150-0002',
      'Japan',
      '325-10566',
    ]) {
      assertContains(all, expected);
    }
    for (let index = 0; index < 3; index++) assertContains(all, productName(index));
    assertContains(all, '¥1,000');
    const totals = transaction.details.totals;
    assert.equal(format(totals.subtotal, 'JPY'), '¥6,000');
    assertContains(all, `Subtotal ${format(totals.subtotal, 'JPY')}`);
    assertContains(all, `Grand total ${format(totals.grand_total, 'JPY')}`);
    assert.ok(!all.includes('Discount'), 'no discount row when there is no discount');
    assert.ok(!all.includes('Credit applied'), 'no credit row when no credit was applied');
    for (const absent of ['ChatApp GmbH', 'Company number', 'Tax ID'])
      assert.ok(!all.includes(absent), `${absent} is not printed`);
  });

  it('renders a manual invoice with payment terms, due date and purchase order, not yet paid', async () => {
    const transaction = sampleTransaction({ currency: 'USD', items: 2, status: 'billed', collection_mode: 'manual' });
    const { text, invoice } = await render(transaction, withBusiness);
    const all = text.all;

    assert.equal(invoice.paid, false);
    assert.ok(!/\bPAID\b/.test(all), 'a billed invoice is not stamped PAID');
    for (const expected of [
      'Net 30 days',
      'PO-7781',
      '12 May 2024',
      'Bank transfer details are on your account page.',
    ]) {
      assertContains(all, expected);
    }
    assertContains(all, `Amount due ${format(transaction.details.totals.balance, 'USD')}`);
  });

  it('draws characters the standard fonts lack as something readable', async () => {
    const transaction = sampleTransaction({ currency: 'INR', items: 1 });
    const parties: InvoiceParties = {
      ...withoutBusiness,
      customer: { name: 'Zoë Łukasz 山田', email: 'z@example.com' },
    };
    const { text } = await render(transaction, parties);

    assertContains(text.all, 'Zoë Lukasz ??');
    assertContains(text.all, `INR ${format(transaction.details.totals.total, 'INR').slice(1)}`);
    assert.ok(!text.all.includes('₹'));
  });
});

describe('invoice view model', () => {
  it('turns Paddle tax rates into percentages without floating point', () => {
    assert.equal(percentFromRate('0.2'), '20%');
    assert.equal(percentFromRate('0.0825'), '8.25%');
    assert.equal(percentFromRate('0'), '0%');
    assert.equal(percentFromRate('0.07'), '7%');
  });

  it('names countries in English', () => {
    assert.equal(countryName('DE'), 'Germany');
    assert.equal(countryName('us'), 'United States');
  });

  it('maps line items from details, with the price name as the detail line', () => {
    const invoice = invoiceDocumentFrom(sampleTransaction({ currency: 'USD', items: 2 }), withBusiness, format);
    assert.deepEqual(invoice.line_items[0], {
      description: 'Widget 001',
      detail: 'Monthly (per seat)',
      quantity: '1',
      unit_price: '$12.50',
      tax_rate: '20%',
      amount: '$12.50',
    });
    assert.equal(invoice.line_items[1]?.detail, null);
    assert.deepEqual(invoice.billing_address, {
      lines: ['Friedrichstraße 43', 'Aufgang B'],
      city: 'Berlin',
      postal_code: '10117',
      region: 'Berlin',
      country_name: 'Germany',
    });
    assert.equal(invoice.manual, null);
    assert.equal(invoice.totals.settlement_label, 'Amount paid');
  });

  it('computes the due date from billed_at and the payment terms', () => {
    const transaction = sampleTransaction({ currency: 'USD', items: 1, status: 'billed', collection_mode: 'manual' });
    transaction.billing_details = { payment_terms: { interval: 'month', frequency: 1 } };
    const invoice = invoiceDocumentFrom(transaction, withBusiness, format);
    assert.deepEqual(invoice.manual, {
      payment_terms: 'Net 1 month',
      due_date: '12 May 2024',
      purchase_order_number: null,
      additional_information: null,
    });
    assert.equal(invoice.totals.settlement_label, 'Amount due');
  });

  it('keeps Latin text and reduces the rest', () => {
    assert.equal(toWinAnsi('Crème brûlée – “ok” €5'), 'Crème brûlée – “ok” €5');
    assert.equal(toWinAnsi('Łódź'), 'Lódz');
    assert.equal(toWinAnsi('東京'), '??');
  });
});
