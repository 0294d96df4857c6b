// Which transactions have an invoice PDF (Paddle, "Get a PDF invoice for a transaction"): manually-collected
// ones once `billed` or `completed`, automatically-collected ones once `completed`, and never zero-value ones.
import { PaddleError, type ErrorCode } from '../../kernel/errors.js';

/**
 * @NOTE Paddle's error catalogue has no code for this case, so Paddock names one in Paddle's style.
 * Kept in one constant so it can follow Paddle if Paddle ever documents its own.
 */
export const INVOICE_NOT_AVAILABLE = 'transaction_invoice_not_available' satisfies ErrorCode;

export interface InvoiceCandidate {
  status: string;
  /** `automatic` or `manual`. */
  collection_mode: string;
  /** Paddle's `details.totals.total`, in the lowest denomination. */
  total: string | bigint;
}

/** The refusal is the error itself (its status comes from the error catalogue, like every other error's). */
export type InvoiceRefusal = PaddleError & { readonly ok: false };

export type InvoiceAvailability = { ok: true } | InvoiceRefusal;

function refusal(detail: string): InvoiceRefusal {
  return Object.assign(new PaddleError(INVOICE_NOT_AVAILABLE, detail), { ok: false as const });
}

const STATUSES_WITH_INVOICE = {
  manual: ['billed', 'completed'],
  automatic: ['completed'],
} as const satisfies Record<string, readonly string[]>;

export function invoiceAvailability(transaction: InvoiceCandidate): InvoiceAvailability {
  const mode = transaction.collection_mode === 'manual' ? 'manual' : 'automatic';
  const allowed: readonly string[] = STATUSES_WITH_INVOICE[mode];
  if (!allowed.includes(transaction.status)) {
    const wanted = allowed.map((status) => `\`${status}\``).join(' or ');
    return refusal(
      `Invoice PDFs for ${mode}ally-collected transactions are only available when the transaction is ${wanted}, not \`${transaction.status}\``,
    );
  }
  // @NOTE "zero-value" is read as `details.totals.total` = 0 (nothing was sold), so a sale paid entirely with
  // credit (grand_total 0, total > 0) still has its invoice.
  if (BigInt(transaction.total) === 0n) {
    return refusal('Invoice PDFs are not available for zero-value transactions');
  }
  return { ok: true };
}

/** Throws `transaction_invoice_not_available` when the transaction has no invoice. */
export function requireInvoiceAvailable(transaction: InvoiceCandidate): void {
  const availability = invoiceAvailability(transaction);
  if (!availability.ok) throw availability;
}
