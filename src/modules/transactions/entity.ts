// The transaction entity as the API answers it, and the items as stored: what the service and every operation
// (pay, revise, subscription billing) build their answers from.
import type { Ctx } from '../../context.js';
import type { PaymentAttemptRow, TransactionRow } from '../../db/tables.js';
import type { ResolvedItem } from './items.js';
import { paymentAttemptsOfTransaction } from './batch-rows.js';
import { serializeTransaction, type TransactionEntity } from './serialize.js';
import { transactionColumns } from './columns.js';
import { showInvoiceNumberLater } from './invoice-number.js';

export interface PortalRef {
  portalId: string;
}

export function hostedCheckoutUrl(ctx: Ctx, portalId: string): string {
  return `${ctx.config.publicUrl}/checkout/${portalId}`;
}

/**
 * The transaction entity as the API returns it (payments and checkout link included). `attempts`: its payment
 * attempts when the caller already has them (a transaction it just made has none), else they are read.
 */
export async function transactionEntity(
  ctx: Ctx,
  row: TransactionRow,
  portalId: string,
  attempts?: readonly PaymentAttemptRow[],
): Promise<TransactionEntity> {
  const payments = attempts ?? (await paymentAttemptsOfTransaction(ctx, row.id));
  const entity = serializeTransaction(row, [...payments], { hostedCheckoutUrl: hostedCheckoutUrl(ctx, portalId) });
  // In a batch transaction the invoice number may still be a placeholder, set on the entity before the commit.
  showInvoiceNumberLater(ctx, entity);
  return entity;
}

/** The items as stored, with the product snapshots kept in details.line_items (no catalog lookup). */
export function itemsOf(row: TransactionRow): ResolvedItem[] {
  const lineItems = transactionColumns.details.decode(row.details).line_items ?? [];
  return transactionColumns.items.decode(row.items).map((item, index) => ({
    ...item,
    product: (lineItems[index] ?? lineItems.find((line) => line.price_id === item.price_id))!.product,
  }));
}
