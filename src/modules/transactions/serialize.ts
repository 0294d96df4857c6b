import type { PaymentAttemptRow, TransactionRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';
import { paymentAttemptColumns, transactionColumns, type StoredMethodDetails } from './columns.js';

export interface TransactionLinks {
  /** Where the hosted checkout lives for this seller environment: `${publicUrl}/checkout/${cpl_id}`. */
  hostedCheckoutUrl: string;
}

export function serializePaymentAttempt(row: PaymentAttemptRow) {
  return {
    payment_attempt_id: row.id,
    // @NOTE the deprecated UUID is a string in the spec: left out when no payment method was used.
    ...(row.payment_method_id ? { stored_payment_method_id: paymentMethodUuid(row.payment_method_id) } : {}),
    payment_method_id: row.payment_method_id,
    amount: row.amount.toString(),
    status: row.status,
    error_code: row.error_code,
    method_details: methodDetails(paymentAttemptColumns.method_details.decode(row.method_details)),
    created_at: toWireTime(row.created_at),
    captured_at: toWireTime(row.captured_at),
  };
}

/**
 * Paddle's `method_details` as its SDKs read it today: every kind of method has its key, null unless the payment
 * was made that way (Paddock takes cards only).
 */
function methodDetails(stored: StoredMethodDetails) {
  return {
    type: stored.type,
    card: stored.card,
    paypal: null,
    south_korea_local_card: null,
    underlying_details: null,
  };
}

/**
 * The deprecated `stored_payment_method_id` is a UUID; derive a stable one from the payment method's ULID so it
 * stays the same across responses without storing it.
 */
function paymentMethodUuid(paymentMethodId: string): string {
  const hex = Buffer.from(paymentMethodId.slice(-26)).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function wirePeriod(period: { starts_at: string; ends_at: string } | null) {
  return period ? { starts_at: toWireTime(period.starts_at), ends_at: toWireTime(period.ends_at) } : null;
}

/** `checkout.url`: the caller's own payment link or the hosted checkout, with `_ptxn` as Paddle adds it. */
function checkoutOf(row: TransactionRow, links: TransactionLinks): { url: string } | null {
  const billingDetails = transactionColumns.billing_details.decode(row.billing_details);
  if (row.collection_mode === 'manual' && !billingDetails?.enable_checkout) return null;
  const base = row.checkout_url ?? links.hostedCheckoutUrl;
  const separator = base.includes('?') ? '&' : '?';
  return { url: `${base}${separator}_ptxn=${row.id}` };
}

/**
 * Billing details as Paddle returns them: `enable_checkout` is always present (false unless asked for, the spec's
 * default; the official SDKs read it as required) and `additional_information` is null when none was given.
 */
export function billingDetailsEntity<D extends object>(stored: D | null) {
  return stored && { enable_checkout: false, additional_information: null, ...stored };
}

/** Row (+ its payment attempts, newest first) → Paddle's transaction entity. */
export function serializeTransaction(row: TransactionRow, attempts: PaymentAttemptRow[], links: TransactionLinks) {
  return {
    id: row.id,
    status: row.status,
    customer_id: row.customer_id,
    address_id: row.address_id,
    business_id: row.business_id,
    custom_data: transactionColumns.custom_data.decode(row.custom_data),
    currency_code: row.currency_code,
    origin: row.origin,
    subscription_id: row.subscription_id,
    invoice_id: row.invoice_id,
    invoice_number: row.invoice_number,
    collection_mode: row.collection_mode,
    discount_id: row.discount_id,
    billing_details: billingDetailsEntity(transactionColumns.billing_details.decode(row.billing_details)),
    billing_period: wirePeriod(transactionColumns.billing_period.decode(row.billing_period)),
    items: transactionColumns.items.decode(row.items),
    details: transactionColumns.details.decode(row.details),
    payments: attempts.map(serializePaymentAttempt),
    checkout: checkoutOf(row, links),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    billed_at: toWireTime(row.billed_at),
    revised_at: toWireTime(row.revised_at),
  };
}

export type TransactionEntity = ReturnType<typeof serializeTransaction>;
