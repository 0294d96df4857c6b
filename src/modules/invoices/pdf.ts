// Renders an invoice view model as an A4 PDF with pdfkit's bundled standard fonts (Helvetica). Layout only:
// every string arrives formatted (see document.ts). Long item lists flow onto further pages, each of which
// repeats the table header and carries a "Page n of m" footer.
import type { InvoiceDocument, InvoiceLineItem } from './document.js';

export { invoiceDocumentFrom } from './document.js';
export type * from './document.js';

type Doc = PDFKit.PDFDocument;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = PAGE.width - MARGIN;
const CONTENT_WIDTH = RIGHT - MARGIN;
/** Content never goes below this line; the footer lives underneath it. */
const CONTENT_BOTTOM = PAGE.height - 72;

const INK = '#111827';
const MUTED = '#6b7280';
const RULE = '#e5e7eb';
const BAND = '#f3f4f6';
const PAID = '#15803d';

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

interface Column {
  key: keyof Pick<InvoiceLineItem, 'description' | 'quantity' | 'unit_price' | 'tax_rate' | 'amount'>;
  title: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}

const COLUMNS: Column[] = [
  { key: 'description', title: 'Description', x: MARGIN, width: 215, align: 'left' },
  { key: 'quantity', title: 'Qty', x: 270, width: 40, align: 'right' },
  { key: 'unit_price', title: 'Unit price', x: 315, width: 85, align: 'right' },
  { key: 'tax_rate', title: 'Tax', x: 405, width: 45, align: 'right' },
  { key: 'amount', title: 'Amount', x: 455, width: RIGHT - 455, align: 'right' },
];
const CELL_PAD = 6;

// ---- Text the standard fonts can draw -----------------------------------------------------------------

/** Code points outside Latin-1 that WinAnsiEncoding (the standard fonts' encoding) still has. */
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c,
  0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Latin letters that Unicode does not decompose into a base letter plus accent. */
const BASE_LETTERS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't' };

function drawable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(code);
}

/**
 * The standard fonts only cover WinAnsi (Western European). Other characters are first reduced to their
 * base letter (ő → o), and otherwise drawn as `fallback`, so a name in another script never corrupts the page.
 */
export function toWinAnsi(text: string, fallback = '?'): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (drawable(char)) {
      out += char;
      continue;
    }
    const base = BASE_LETTERS[char] ?? char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += base.length > 0 && [...base].every(drawable) ? base : fallback;
  }
  return out;
}

/** Money whose symbol the fonts lack (₹, ₩, ₺…) is shown with the currency code instead: "INR 1,000.00". */
function moneyText(amount: string, currency: string): string {
  if ([...amount].every(drawable)) return amount;
  const replaced = amount.replace(/[^\x20-\x7e\u00a0-\u00ff]+/gu, ' ');
  return toWinAnsi(`${currency} ${replaced.trim()}`.replace(/\s+/g, ' ').replace(/ -/, ' -'));
}

// ---- Drawing helpers -------------------------------------------------------------------------------------

function text(
  doc: Doc,
  value: string,
  x: number,
  y: number,
  options: PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string } = {},
) {
  const { font = REGULAR, size = 9, color = INK, ...rest } = options;
  doc
    .font(font)
    .fontSize(size)
    .fillColor(color)
    .text(toWinAnsi(value), x, y, { lineGap: 1, ...rest });
}

function height(doc: Doc, value: string, width: number, font = REGULAR, size = 9): number {
  return doc.font(font).fontSize(size).heightOfString(toWinAnsi(value), { width, lineGap: 1 });
}

function rule(doc: Doc, y: number, color = RULE) {
  doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.75).strokeColor(color).stroke();
}

/** Label/value pairs, right-aligned block; returns the y under it. */
function keyValues(
  doc: Doc,
  rows: Array<[string, string]>,
  x: number,
  y: number,
  labelWidth: number,
  valueWidth: number,
): number {
  for (const [label, value] of rows) {
    text(doc, label, x, y, { color: MUTED, width: labelWidth });
    text(doc, value, x + labelWidth, y, { width: valueWidth, align: 'right' });
    y += Math.max(height(doc, value, valueWidth), 12) + 3;
  }
  return y;
}

// ---- Sections --------------------------------------------------------------------------------------------

function header(doc: Doc, invoice: InvoiceDocument): number {
  text(doc, invoice.seller.name, MARGIN, MARGIN, { font: BOLD, size: 16, width: 280 });
  let left = doc.y + 4;
  for (const line of invoice.seller.address_lines) {
    text(doc, line, MARGIN, left, { color: MUTED, width: 280 });
    left = doc.y;
  }

  text(doc, 'Invoice', RIGHT - 200, MARGIN - 2, { font: BOLD, size: 24, width: 200, align: 'right' });
  let right = doc.y + 6;
  if (invoice.paid) {
    const badgeWidth = 58;
    doc
      .roundedRect(RIGHT - badgeWidth, right, badgeWidth, 20, 4)
      .lineWidth(1.5)
      .strokeColor(PAID)
      .stroke();
    text(doc, 'PAID', RIGHT - badgeWidth, right + 5.5, {
      font: BOLD,
      size: 11,
      color: PAID,
      width: badgeWidth,
      align: 'center',
    });
    right += 28;
  }
  return Math.max(left, right) + 18;
}

function billToAndMeta(doc: Doc, invoice: InvoiceDocument, top: number): number {
  text(doc, 'BILL TO', MARGIN, top, { font: BOLD, size: 8, color: MUTED, characterSpacing: 0.6 });
  let y = top + 14;
  const billTo: Array<{ value: string; bold?: boolean; muted?: boolean }> = [];
  if (invoice.business) billTo.push({ value: invoice.business.name, bold: true });
  if (invoice.customer.name) billTo.push({ value: invoice.customer.name, bold: !invoice.business });
  billTo.push({ value: invoice.customer.email, muted: true });
  const address = invoice.billing_address;
  for (const line of address.lines) billTo.push({ value: line });
  const region = address.region && address.region !== address.city ? address.region : null;
  const locality = [address.city, region, address.postal_code].filter((part): part is string => !!part).join(', ');
  if (locality) billTo.push({ value: locality });
  billTo.push({ value: address.country_name });
  if (invoice.business?.company_number)
    billTo.push({ value: `Company number: ${invoice.business.company_number}`, muted: true });
  if (invoice.business?.tax_identifier)
    billTo.push({ value: `Tax ID: ${invoice.business.tax_identifier}`, muted: true });
  for (const line of billTo) {
    text(doc, line.value, MARGIN, y, { font: line.bold ? BOLD : REGULAR, color: line.muted ? MUTED : INK, width: 250 });
    y = doc.y + 1;
  }

  const meta: Array<[string, string]> = [
    ['Invoice number', invoice.invoice_number],
    ['Date of issue', invoice.issue_date],
  ];
  if (invoice.manual) {
    meta.push(['Date due', invoice.manual.due_date], ['Payment terms', invoice.manual.payment_terms]);
    if (invoice.manual.purchase_order_number) meta.push(['Purchase order', invoice.manual.purchase_order_number]);
  }
  meta.push(['Transaction', invoice.transaction_id], ['Currency', invoice.currency_code]);
  const metaBottom = keyValues(doc, meta, RIGHT - 245, top, 90, 155);
  return Math.max(y, metaBottom) + 22;
}

function tableHeader(doc: Doc, y: number): number {
  doc.rect(MARGIN, y, CONTENT_WIDTH, 20).fill(BAND);
  for (const column of COLUMNS) {
    const x = column.align === 'left' ? column.x + CELL_PAD : column.x;
    const width = column.width - CELL_PAD;
    text(doc, column.title.toUpperCase(), x, y + 6.5, {
      font: BOLD,
      size: 7.5,
      color: MUTED,
      width,
      align: column.align,
      characterSpacing: 0.4,
    });
  }
  return y + 26;
}

function rowHeight(doc: Doc, item: InvoiceLineItem): number {
  const description = height(doc, item.description, COLUMNS[0]!.width - CELL_PAD);
  const detail = item.detail ? height(doc, item.detail, COLUMNS[0]!.width - CELL_PAD, REGULAR, 8) : 0;
  return description + detail + 10;
}

function tableRow(doc: Doc, item: InvoiceLineItem, currency: string, y: number): number {
  const rowHeightValue = rowHeight(doc, item);
  for (const column of COLUMNS) {
    if (column.key === 'description') {
      text(doc, item.description, column.x + CELL_PAD, y, { width: column.width - CELL_PAD });
      if (item.detail)
        text(doc, item.detail, column.x + CELL_PAD, doc.y, { size: 8, color: MUTED, width: column.width - CELL_PAD });
      continue;
    }
    const raw = item[column.key];
    const value = column.key === 'unit_price' || column.key === 'amount' ? moneyText(raw, currency) : raw;
    text(doc, value, column.x, y, { width: column.width - CELL_PAD, align: 'right' });
  }
  const bottom = y + rowHeightValue;
  rule(doc, bottom - 5);
  return bottom;
}

function newPage(doc: Doc): number {
  doc.addPage({ size: 'A4', margin: MARGIN });
  return MARGIN;
}

function lineItems(doc: Doc, invoice: InvoiceDocument, top: number): number {
  let y = tableHeader(doc, top);
  for (const item of invoice.line_items) {
    if (y + rowHeight(doc, item) > CONTENT_BOTTOM) y = tableHeader(doc, newPage(doc));
    y = tableRow(doc, item, invoice.currency_code, y);
  }
  return y + 8;
}

function totals(doc: Doc, invoice: InvoiceDocument, top: number): number {
  const t = invoice.totals;
  const money = (amount: string) => moneyText(amount, invoice.currency_code);
  const rows: Array<{ label: string; value: string; strong?: boolean; ruleAbove?: boolean }> = [
    { label: 'Subtotal', value: money(t.subtotal) },
  ];
  if (t.discount) rows.push({ label: 'Discount', value: `-${money(t.discount)}` });
  for (const tax of t.taxes) rows.push({ label: tax.label, value: money(tax.amount) });
  rows.push({ label: 'Total', value: money(t.total), ruleAbove: true });
  if (t.credit) rows.push({ label: 'Credit applied', value: `-${money(t.credit)}` });
  rows.push({ label: 'Grand total', value: money(t.grand_total), strong: true });
  rows.push({ label: t.settlement_label, value: money(t.settlement_amount), strong: true, ruleAbove: true });

  const blockHeight = rows.length * 18 + 12;
  let y = top + blockHeight > CONTENT_BOTTOM ? newPage(doc) : top;
  const x = RIGHT - 250;
  for (const row of rows) {
    if (row.ruleAbove) {
      doc
        .moveTo(x, y - 3)
        .lineTo(RIGHT, y - 3)
        .lineWidth(0.75)
        .strokeColor(RULE)
        .stroke();
      y += 3;
    }
    const font = row.strong ? BOLD : REGULAR;
    text(doc, row.label, x, y, { font, size: 9.5, color: row.strong ? INK : MUTED, width: 130 });
    text(doc, row.value, x + 130, y, { font, size: 9.5, width: 120 - CELL_PAD, align: 'right' });
    y += 18;
  }
  return y + 12;
}

function notes(doc: Doc, invoice: InvoiceDocument, top: number): void {
  const manual = invoice.manual;
  const lines: Array<[string, string]> = [];
  if (manual) {
    const due = moneyText(invoice.totals.settlement_amount, invoice.currency_code);
    lines.push([
      'Payment terms',
      `${manual.payment_terms}. Please pay ${due} by ${manual.due_date}, quoting invoice ${invoice.invoice_number}.`,
    ]);
    if (manual.additional_information) lines.push(['Notes', manual.additional_information]);
  }
  let y = top;
  for (const [title, body] of lines) {
    const needed = 14 + height(doc, body, CONTENT_WIDTH);
    if (y + needed > CONTENT_BOTTOM) y = newPage(doc);
    text(doc, title.toUpperCase(), MARGIN, y, { font: BOLD, size: 8, color: MUTED, characterSpacing: 0.6 });
    text(doc, body, MARGIN, y + 13, { width: CONTENT_WIDTH });
    y = doc.y + 12;
  }
}

function footers(doc: Doc, invoice: InvoiceDocument): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // @NOTE writing under the bottom margin would make pdfkit start a new page; lift the margin first.
    doc.page.margins.bottom = 0;
    const y = PAGE.height - 50;
    rule(doc, y - 8);
    text(doc, `${invoice.seller.name} · Invoice ${invoice.invoice_number}`, MARGIN, y, {
      size: 8,
      color: MUTED,
      width: 330,
      lineBreak: false,
    });
    text(doc, `Page ${index - range.start + 1} of ${range.count}`, RIGHT - 150, y, {
      size: 8,
      color: MUTED,
      width: 150,
      align: 'right',
      lineBreak: false,
    });
  }
}

/**
 * Renders the invoice as PDF bytes. @NOTE pdfkit (and its fonts) is loaded on the first invoice, not at start-up:
 * it is most of what a start would otherwise load for a page few requests ask for.
 */
export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: toWinAnsi(`Invoice ${invoice.invoice_number}`), Author: toWinAnsi(invoice.seller.name) },
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let y = header(doc, invoice);
  y = billToAndMeta(doc, invoice, y);
  y = lineItems(doc, invoice, y);
  y = totals(doc, invoice, y);
  notes(doc, invoice, y);
  footers(doc, invoice);
  doc.end();
  return done;
}
