// The invoice view model: everything a PDF invoice shows, already formatted for display, plus the mapping
// from a Paddle-shaped transaction entity to it. The renderer (pdf.ts) does layout only.
import { formatRate, parseRate } from '../../kernel/money.js';
import { Temporal } from '../../kernel/time.js';

export interface InvoiceLineItem {
  description: string;
  /** A second, smaller line under the description (the price's name or description), or null. */
  detail: string | null;
  quantity: string;
  unit_price: string;
  /** e.g. "20%", "8.25%", "0%". */
  tax_rate: string;
  /** Quantity × unit price, before discount and tax (Paddle's line `totals.subtotal`). */
  amount: string;
}

export interface InvoiceTaxLine {
  /** e.g. "Tax (20%)". */
  label: string;
  amount: string;
}

export interface InvoiceTotals {
  subtotal: string;
  /** Null when there is no discount. */
  discount: string | null;
  /** One line per rate used (Paddle's `details.tax_rates_used`). */
  taxes: InvoiceTaxLine[];
  total: string;
  /** Null when no credit was applied. */
  credit: string | null;
  grand_total: string;
  /** "Amount paid" once completed, "Amount due" before. */
  settlement_label: 'Amount paid' | 'Amount due';
  settlement_amount: string;
}

export interface InvoiceManualTerms {
  /** e.g. "Net 30 days". */
  payment_terms: string;
  due_date: string;
  purchase_order_number: string | null;
  additional_information: string | null;
}

export interface InvoiceDocument {
  seller: { name: string; address_lines: string[] };
  invoice_number: string;
  /** Display date of `billed_at`, e.g. "24 Nov 2026". */
  issue_date: string;
  transaction_id: string;
  customer: { name: string | null; email: string };
  billing_address: {
    lines: string[];
    city: string | null;
    postal_code: string | null;
    region: string | null;
    country_name: string;
  };
  business: { name: string; company_number: string | null; tax_identifier: string | null } | null;
  currency_code: string;
  line_items: InvoiceLineItem[];
  totals: InvoiceTotals;
  /** Present for manually-collected transactions only. */
  manual: InvoiceManualTerms | null;
  /** True once the transaction is `completed`: the invoice is stamped PAID. */
  paid: boolean;
}

// ---- Mapping from Paddle's transaction entity --------------------------------------------------------

interface PaddleTotals {
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
}

/**
 * The parts of Paddle's transaction entity (as the API returns it) that an invoice shows. A serialized entity
 * whose `items`/`details` are typed as plain JSON can be passed with a cast.
 */
export interface InvoiceTransaction {
  id: string;
  status: string;
  collection_mode: string;
  currency_code: string;
  invoice_number: string | null;
  billed_at: string | null;
  created_at: string;
  billing_details: {
    purchase_order_number?: string | null;
    additional_information?: string | null;
    payment_terms: { interval: string; frequency: number };
  } | null;
  items: Array<{ price: { id: string; name: string | null; description: string } | null; quantity: number }>;
  details: {
    tax_rates_used: Array<{ tax_rate: string; totals: PaddleTotals }>;
    totals: PaddleTotals & { credit: string; balance: string; grand_total: string };
    line_items: Array<{
      price_id: string;
      quantity: number;
      tax_rate: string;
      unit_totals: PaddleTotals;
      totals: PaddleTotals;
      product: { name: string; description?: string | null } | null;
    }>;
  };
}

export interface InvoiceParties {
  seller: { name: string; address_lines: string[] };
  customer: { name: string | null; email: string };
  /** Paddle's address entity (only the fields an invoice shows). */
  address: {
    first_line: string | null;
    second_line: string | null;
    city: string | null;
    postal_code: string | null;
    region: string | null;
    country_code: string;
  };
  business: { name: string; company_number: string | null; tax_identifier: string | null } | null;
}

/** Formats an amount in the lowest denomination (Paddle's decimal string) as display money. */
export type MoneyFormatter = (amount: string, currency: string) => string;

const DURATION_UNITS: Record<string, 'days' | 'weeks' | 'months' | 'years'> = {
  day: 'days',
  week: 'weeks',
  month: 'months',
  year: 'years',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function displayDate(date: Temporal.PlainDate): string {
  return `${date.day} ${MONTHS[date.month - 1]} ${date.year}`;
}

/** "0.2" → "20%", "0.0825" → "8.25%" (exact decimal arithmetic, no floats). */
export function percentFromRate(rate: string): string {
  const { numerator, denominator } = parseRate(rate);
  return `${formatRate({ numerator: numerator * 100n, denominator })}%`;
}

/** English country name for an ISO 3166-1 alpha-2 code; the code itself when the runtime has no name. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

function isZero(amount: string): boolean {
  return BigInt(amount) === 0n;
}

function paymentTermsLabel(terms: { interval: string; frequency: number }): string {
  const unit = terms.frequency === 1 ? terms.interval : `${terms.interval}s`;
  return `Net ${terms.frequency} ${unit}`;
}

function manualTerms(transaction: InvoiceTransaction, issued: Temporal.PlainDate): InvoiceManualTerms | null {
  const details = transaction.billing_details;
  if (transaction.collection_mode !== 'manual' || details === null) return null;
  const { interval, frequency } = details.payment_terms;
  const unit = DURATION_UNITS[interval];
  if (!unit) throw new Error(`Unknown payment terms interval: ${interval}`);
  const due = issued.add({ [unit]: frequency });
  return {
    payment_terms: paymentTermsLabel(details.payment_terms),
    due_date: displayDate(due),
    purchase_order_number: details.purchase_order_number || null,
    additional_information: details.additional_information || null,
  };
}

/**
 * Maps a Paddle-shaped transaction (items, details, billing_details…) and the parties named on it to the
 * invoice view model. Money comes from `details`, Paddle's source of truth for totals.
 */
export function invoiceDocumentFrom(
  transaction: InvoiceTransaction,
  parties: InvoiceParties,
  format: MoneyFormatter,
): InvoiceDocument {
  const currency = transaction.currency_code;
  const money = (amount: string) => format(amount, currency);
  const issued = Temporal.Instant.from(transaction.billed_at ?? transaction.created_at)
    .toZonedDateTimeISO('UTC')
    .toPlainDate();
  const prices = new Map(
    transaction.items.flatMap((item) => (item.price ? [[item.price.id, item.price] as const] : [])),
  );
  const totals = transaction.details.totals;
  const completed = transaction.status === 'completed';
  const { address } = parties;

  return {
    seller: parties.seller,
    invoice_number: transaction.invoice_number ?? transaction.id,
    issue_date: displayDate(issued),
    transaction_id: transaction.id,
    customer: parties.customer,
    billing_address: {
      lines: [address.first_line, address.second_line].filter((line): line is string => !!line),
      city: address.city || null,
      postal_code: address.postal_code || null,
      region: address.region || null,
      country_name: countryName(address.country_code),
    },
    business: parties.business,
    currency_code: currency,
    line_items: transaction.details.line_items.map((line) => {
      const price = prices.get(line.price_id);
      return {
        description: line.product?.name ?? price?.name ?? line.price_id,
        // @NOTE a price's `description` is internal to the seller; its `name` is what customers see.
        detail: line.product ? (price?.name ?? null) : null,
        quantity: String(line.quantity),
        unit_price: money(line.unit_totals.subtotal),
        tax_rate: percentFromRate(line.tax_rate),
        amount: money(line.totals.subtotal),
      };
    }),
    totals: {
      subtotal: money(totals.subtotal),
      discount: isZero(totals.discount) ? null : money(totals.discount),
      taxes:
        transaction.details.tax_rates_used.length > 0
          ? transaction.details.tax_rates_used.map((used) => ({
              label: `Tax (${percentFromRate(used.tax_rate)})`,
              amount: money(used.totals.tax),
            }))
          : [{ label: 'Tax', amount: money(totals.tax) }],
      total: money(totals.total),
      credit: isZero(totals.credit) ? null : money(totals.credit),
      grand_total: money(totals.grand_total),
      settlement_label: completed ? 'Amount paid' : 'Amount due',
      settlement_amount: completed ? money(totals.grand_total) : money(totals.balance),
    },
    manual: manualTerms(transaction, issued),
    paid: completed,
  };
}
