// Invoices of transactions: the API hands out a signed link valid for one hour (Paddle's rule); the link
// itself needs no API key and serves a PDF rendered from the transaction as it is now.
import type { Ctx } from '../../context.js';
import { formatMoney } from '../../billing/currencies.js';
import { invalidField } from '../../kernel/errors.js';
import { getAddress } from '../addresses/service.js';
import { getBusiness } from '../businesses/service.js';
import { getCustomer } from '../customers/service.js';
import type { PortalTenant } from '../sellers/service.js';
import { getTransaction } from '../transactions/service.js';
import type { TransactionEntity } from '../transactions/serialize.js';
import { invoiceDocumentFrom, renderInvoicePdf, type InvoiceTransaction } from './pdf.js';
import { invoiceAvailability, requireInvoiceAvailable } from './rules.js';
import {
  invoiceLinkExpiry,
  signInvoiceLink,
  verifyInvoiceLink,
  type InvoiceDisposition,
  type InvoiceLinkParts,
} from './signed-link.js';

function requireAvailable(transaction: TransactionEntity): void {
  const totals = transaction.details.totals as { total: string };
  requireInvoiceAvailable({
    status: transaction.status,
    collection_mode: transaction.collection_mode,
    total: totals.total,
  });
}

export async function invoiceLink(
  ctx: Ctx,
  portal: PortalTenant,
  transactionId: string,
  disposition: InvoiceDisposition = 'attachment',
) {
  const transaction = await getTransaction(ctx, portal, transactionId);
  requireAvailable(transaction);
  const expiresAt = invoiceLinkExpiry(ctx.clock.now());
  const url = signInvoiceLink({
    baseUrl: ctx.config.publicUrl,
    portalId: portal.portalId,
    transactionId,
    disposition,
    expiresAt,
    secret: portal.signingSecret,
  });
  return { url, expiresAt };
}

/** A fresh link to the transaction's invoice (as the API would give), or null while it has none. */
export async function invoiceLinkIfAvailable(
  ctx: Ctx,
  portal: PortalTenant,
  transaction: TransactionEntity,
  disposition: InvoiceDisposition = 'attachment',
): Promise<string | null> {
  const totals = transaction.details.totals as { total: string };
  if (
    !invoiceAvailability({
      status: transaction.status,
      collection_mode: transaction.collection_mode,
      total: totals.total,
    }).ok
  )
    return null;
  return (await invoiceLink(ctx, portal, transaction.id, disposition)).url;
}

export type InvoicePdf =
  | { kind: 'pdf'; body: Buffer; filename: string; disposition: InvoiceDisposition }
  | { kind: 'expired' | 'bad_signature' };

/** Serves a signed link: verified against the tenant's clock, then the invoice is rendered. */
export async function invoicePdf(ctx: Ctx, portal: PortalTenant, parts: InvoiceLinkParts): Promise<InvoicePdf> {
  const verdict = verifyInvoiceLink(parts, portal.signingSecret, ctx.clock.now());
  if (verdict !== 'ok') return { kind: verdict };
  const transaction = await getTransaction(ctx, portal, parts.transactionId);
  requireAvailable(transaction);
  if (!transaction.customer_id || !transaction.address_id)
    throw invalidField([{ field: 'transaction_id', message: 'the transaction has no customer or address' }]);
  const [customer, address, business] = await Promise.all([
    getCustomer(ctx, transaction.customer_id),
    getAddress(ctx, transaction.customer_id, transaction.address_id),
    transaction.business_id
      ? getBusiness(ctx, transaction.customer_id, transaction.business_id)
      : Promise.resolve(null),
  ]);
  const document = invoiceDocumentFrom(
    transaction as unknown as InvoiceTransaction,
    {
      seller: { name: portal.sellerName, address_lines: [] },
      customer: { name: customer.name, email: customer.email },
      address,
      business,
    },
    (amount, currency) => formatMoney(amount, currency),
  );
  const body = await renderInvoicePdf(document);
  const number = (transaction.invoice_number ?? transaction.id).replace(/[^A-Za-z0-9_-]/g, '_');
  return {
    kind: 'pdf',
    body,
    filename: `invoice_${number}.pdf`,
    disposition: parts.disposition === 'inline' ? 'inline' : 'attachment',
  };
}
