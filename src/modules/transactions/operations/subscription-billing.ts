// Transactions a subscription makes for itself: a renewal (or activation, or resume into a new period) is a
// `billed` transaction with origin `subscription_recurring` and the period it pays for; automatic collection
// then charges the saved payment method. Paddle's renewal order: transaction.created, transaction.billed, then
// the payment's events.
import type { Ctx, TxCtx } from '../../../context.js';
import type { TotalsDiscount } from '../../../billing/totals.js';
import type { TransactionRow } from '../../../db/tables.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../kernel/ids.js';
import { toStoredTime } from '../../../kernel/time.js';
import type { ResolvedItem } from '../items.js';
import { priceTransaction } from '../pricing.js';
import { nextInvoiceNumber } from '../invoice-number.js';
import { listTransactions } from '../repository.js';
import { insertTransactionRow, updateTransactionRow, writePendingRows } from '../batch-rows.js';
import { storedItems } from '../items.js';
import { transactionEntity } from '../entity.js';
import { transactionColumns } from '../columns.js';

export interface SubscriptionBillInput {
  subscriptionId: string;
  customerId: string;
  addressId: string;
  businessId: string | null;
  currencyCode: string;
  collectionMode: 'automatic' | 'manual';
  billingDetails: string | null;
  countryCode: string | null;
  items: ResolvedItem[];
  /** Stored-form period this transaction pays for; null for charges outside a period (one-time charges). */
  billingPeriod: { starts_at: string; ends_at: string } | null;
  origin:
    'subscription_recurring' | 'subscription_update' | 'subscription_charge' | 'subscription_payment_method_change';
  portalId: string;
  /** `billed` (the default: an invoice number, charged next) or `ready` (paid by the customer at checkout). */
  status?: 'billed' | 'ready';
  /** The subscription's discount when it covers this charge (subscriptions/discount.ts), with its terms. */
  discount?: { id: string; totals: TotalsDiscount };
}

/** Creates the billed transaction (with invoice number) inside the caller's database transaction. */
export async function createSubscriptionTransaction(ctx: TxCtx, input: SubscriptionBillInput): Promise<TransactionRow> {
  const now = ctx.clock.now();
  const stamp = toStoredTime(now);
  const priced = await priceTransaction(ctx, {
    items: input.items,
    currencyCode: input.currencyCode,
    countryCode: input.countryCode,
    customerId: input.customerId,
    discount: input.discount?.totals ?? null,
  });
  const billed = (input.status ?? 'billed') === 'billed';
  const id = newId('transaction');
  const invoiceNumber = billed ? await nextInvoiceNumber(ctx, id) : null;
  const row: TransactionRow = {
    ...ctx.tenant,
    id,
    status: billed ? 'billed' : 'ready',
    customer_id: input.customerId,
    address_id: input.addressId,
    business_id: input.businessId,
    custom_data: null,
    currency_code: priced.currency_code,
    origin: input.origin,
    subscription_id: input.subscriptionId,
    invoice_id: billed ? newId('invoice') : null,
    invoice_number: invoiceNumber,
    collection_mode: input.collectionMode,
    discount_id: input.discount?.id ?? null,
    billing_details: input.billingDetails,
    billing_period: transactionColumns.billing_period.encode(input.billingPeriod),
    items: transactionColumns.items.encode(storedItems(input.items)),
    details: transactionColumns.details.encode(priced.details),
    grand_total: priced.grand_total,
    credit_used: priced.credit_used,
    checkout_url: null,
    created_at: stamp,
    updated_at: stamp,
    billed_at: billed ? stamp : null,
    revised_at: null,
  };
  await insertTransactionRow(ctx, row);
  // A transaction made just now has no payment attempts yet.
  const entity = await transactionEntity(ctx, row, input.portalId, []);
  await recordEvent(ctx, 'transaction.created', entity);
  await recordEvent(ctx, billed ? 'transaction.billed' : 'transaction.ready', entity);
  return row;
}

/**
 * How many transactions of the given origins a subscription got at or after `since` (stored form). The
 * immediate-charge limits count these from the database, so every process sees the same numbers.
 */
export async function countSubscriptionTransactions(
  ctx: Ctx,
  subscriptionId: string,
  origins: SubscriptionBillInput['origin'][],
  since: string,
): Promise<number> {
  await writePendingRows(ctx);
  const page = await listTransactions(
    ctx.db,
    ctx.tenant,
    { subscription_id: [subscriptionId], origin: origins, created_at: [{ operator: 'GTE', at: since }] },
    { perPage: 1, orderBy: { field: 'id', direction: 'DESC' } },
  );
  return page.estimatedTotal;
}

/**
 * A past-due subscription that pauses or is canceled forgives what it owed: its past-due renewal transactions
 * are canceled (Paddle keeps past-due one-time charges and updates as they are).
 */
export async function cancelPastDueRenewals(ctx: TxCtx, subscriptionId: string, portalId: string): Promise<void> {
  await writePendingRows(ctx);
  const page = await listTransactions(
    ctx.db,
    ctx.tenant,
    { subscription_id: [subscriptionId], status: ['past_due'], origin: ['subscription_recurring'] },
    {
      perPage: 100,
      orderBy: { field: 'id', direction: 'ASC' },
    },
  );
  for (const row of page.rows) {
    const canceled: TransactionRow = { ...row, status: 'canceled', updated_at: toStoredTime(ctx.clock.now()) };
    await updateTransactionRow(ctx, canceled);
    const entity = await transactionEntity(ctx, canceled, portalId);
    await recordEvent(ctx, 'transaction.updated', entity);
    await recordEvent(ctx, 'transaction.canceled', entity);
  }
}
