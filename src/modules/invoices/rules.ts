// Which transactions have an invoice PDF (Paddle, "Get a PDF invoice for a transaction"): manually-collected
// ones once `billed` or `completed`, automatically-collected ones once `completed`, and never zero-value ones.
import { PaddleError } from '../../kernel/errors.js';

/**
 * @NOTE Paddle's error catalogue has no code for this case, so Paddock names one in Paddle's style.
 * Kept in one constant so it can follow Paddle if Paddle ever documents its own.
 */
export const INVOICE_NOT_AVAILABLE = 'transaction_invoice_not_available';

export interface InvoiceCandidate {
  status: string;
  /** `automatic` or `manual`. */
  collection_mode: string;
  /** Paddle's `details.totals.total`, in the lowest denomination. */
  total: string | bigint;
}

export type InvoiceAvailability =
  { ok: true } | { ok: false; status: 400; code: typeof INVOICE_NOT_AVAILABLE; detail: string };

const STATUSES_WITH_INVOICE = {
  manual: ['billed', 'completed'],
  automatic: ['completed'],
} as const satisfies Record<string, readonly string[]>;

export function invoiceAvailability(transaction: InvoiceCandidate): InvoiceAvailability {
  const mode = transaction.collection_mode === 'manual' ? 'manual' : 'automatic';
  const allowed: readonly string[] = STATUSES_WITH_INVOICE[mode];
  if (!allowed.includes(transaction.status)) {
    const wanted = allowed.map((status) => `\`${status}\``).join(' or ');
    return {
      ok: false,
      status: 400,
      code: INVOICE_NOT_AVAILABLE,
      detail: `Invoice PDFs for ${mode}ally-collected transactions are only available when the transaction is ${wanted}, not \`${transaction.status}\``,
    };
  }
  // @NOTE "zero-value" is read as `details.totals.total` = 0 (nothing was sold), so a sale paid entirely with
  // credit (grand_total 0, total > 0) still has its invoice.
  if (BigInt(transaction.total) === 0n) {
    return {
      ok: false,
      status: 400,
      code: INVOICE_NOT_AVAILABLE,
      detail: 'Invoice PDFs are not available for zero-value transactions',
    };
  }
  return { ok: true };
}

/** Throws the Paddle-shaped error when the transaction has no invoice. */
export function requireInvoiceAvailable(transaction: InvoiceCandidate): void {
  const availability = invoiceAvailability(transaction);
  if (!availability.ok) throw new PaddleError(availability.status, availability.code, availability.detail);
}
