// What a signed-in customer sees and does in the portal. Every read is scoped to the portal's tenant and then to
// the session's customer: another customer's subscription is "not found", exactly like an unknown one.
// Changes go through the same code as the API (cancel, update-payment-method transaction, checkout payment).
import type { ParsedCard } from '../../billing/test-cards.js';
import type { Ctx } from '../../context.js';
import { PaddleError, notFound } from '../../kernel/errors.js';
import { getCustomer } from '../customers/service.js';
import type { CustomerEntity } from '../customers/serialize.js';
import { invoiceLink } from '../invoices/service.js';
import type { CardDetails } from '../payment-methods/serialize.js';
import { getPaymentMethod } from '../payment-methods/service.js';
import type { PortalTenant } from '../sellers/service.js';
import {
  getUpdatePaymentMethodTransaction,
  PAYMENT_METHOD_CHANGE_ORIGIN,
} from '../subscriptions/operations/update-payment-method.js';
import type { SubscriptionEntity } from '../subscriptions/serialize.js';
import { cancelSubscription, getSubscriptionRow, listSubscriptions, type Viewer } from '../subscriptions/service.js';
import { payWithCard, type PaymentOutcome } from '../transactions/operations/pay.js';
import type { TransactionEntity } from '../transactions/serialize.js';
import { getTransaction, listTransactions } from '../transactions/service.js';

/** Portal pages never show management_urls, so they are built without a token. */
const viewerOf = (portal: PortalTenant): Viewer => ({ portalId: portal.portalId, canMintPortalTokens: false });

export interface PortalSubscription {
  subscription: SubscriptionEntity;
  /** The card renewals are charged to; null for manual collection or when none is saved. */
  card: CardDetails | null;
}

export interface PortalPayment {
  transaction: TransactionEntity;
  /** A signed link to the invoice PDF (valid one hour), when the transaction has one. */
  invoiceUrl: string | null;
}

const isNotFound = (error: unknown) => error instanceof PaddleError && error.code === 'not_found';

export async function portalCustomer(ctx: Ctx, customerId: string): Promise<CustomerEntity | undefined> {
  try {
    return await getCustomer(ctx, customerId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function cardOf(ctx: Ctx, subscription: SubscriptionEntity): Promise<CardDetails | null> {
  if (subscription.collection_mode !== 'automatic') return null;
  const row = await getSubscriptionRow(ctx, subscription.id);
  if (!row.payment_method_id) return null;
  try {
    return (await getPaymentMethod(ctx, row.customer_id, row.payment_method_id)).card;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The customer's subscriptions, newest first. */
export async function portalSubscriptions(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
): Promise<PortalSubscription[]> {
  const subscriptions: SubscriptionEntity[] = [];
  let after: string | undefined;
  for (;;) {
    const page = { perPage: 200, orderBy: { field: 'id', direction: 'DESC' as const }, ...(after ? { after } : {}) };
    const result = await listSubscriptions(ctx, viewerOf(portal), { customer_id: [customerId] }, page);
    subscriptions.push(...result.data);
    if (!result.page.hasMore) break;
    after = result.data[result.data.length - 1]?.id;
  }
  return Promise.all(
    subscriptions.map(async (subscription) => ({ subscription, card: await cardOf(ctx, subscription) })),
  );
}

/** One of the customer's subscriptions; undefined when the id is unknown or belongs to someone else. */
export async function portalSubscription(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  subscriptionId: string,
): Promise<PortalSubscription | undefined> {
  let row;
  try {
    row = await getSubscriptionRow(ctx, subscriptionId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (row.customer_id !== customerId) return undefined;
  const [subscription] = (
    await listSubscriptions(
      ctx,
      viewerOf(portal),
      { id: [row.id] },
      { perPage: 1, orderBy: { field: 'id', direction: 'ASC' } },
    )
  ).data;
  if (!subscription) return undefined;
  return { subscription, card: await cardOf(ctx, subscription) };
}

const PAYMENT_STATUSES = ['billed', 'paid', 'completed', 'past_due'];

/**
 * The customer's payments ("payments" is the portal's word for transactions), newest first: billed, paid,
 * completed and past-due ones. Zero-value payment-method changes are not payments and are left out.
 */
export async function portalPayments(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  options: { subscriptionId?: string; limit?: number } = {},
): Promise<PortalPayment[]> {
  const limit = options.limit ?? 10;
  const { data } = await listTransactions(
    ctx,
    portal,
    {
      customer_id: [customerId],
      status: PAYMENT_STATUSES,
      ...(options.subscriptionId ? { subscription_id: [options.subscriptionId] } : {}),
    },
    { perPage: limit * 2, orderBy: { field: 'id', direction: 'DESC' } },
  );
  const payments = data.filter(
    (transaction) =>
      !(
        transaction.origin === PAYMENT_METHOD_CHANGE_ORIGIN &&
        BigInt((transaction.details.totals as { total: string }).total) === 0n
      ),
  );
  return Promise.all(
    payments.slice(0, limit).map(async (transaction) => {
      let invoiceUrl: string | null = null;
      try {
        invoiceUrl = (await invoiceLink(ctx, portal, transaction.id)).url;
      } catch (error) {
        if (!(error instanceof PaddleError) || error.type === 'api_error') throw error;
      }
      return { transaction, invoiceUrl };
    }),
  );
}

async function requireOwn(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  subscriptionId: string,
): Promise<PortalSubscription> {
  const own = await portalSubscription(ctx, portal, customerId, subscriptionId);
  if (!own) throw notFound(subscriptionId);
  return own;
}

/** Paddle: a cancel from the portal takes effect at the end of the billing period (the API's code path). */
export async function cancelFromPortal(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  subscriptionId: string,
): Promise<SubscriptionEntity> {
  await requireOwn(ctx, portal, customerId, subscriptionId);
  return cancelSubscription(ctx, viewerOf(portal), subscriptionId, { effective_from: 'next_billing_period' });
}

/** The transaction a new card pays: the overdue one of a past-due subscription, else a zero-value one. */
export async function paymentMethodTransaction(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  subscriptionId: string,
): Promise<TransactionEntity> {
  await requireOwn(ctx, portal, customerId, subscriptionId);
  return getUpdatePaymentMethodTransaction(ctx, portal, subscriptionId, { reuseOpen: true });
}

export interface PortalPaymentOptions {
  /** The transaction the form was shown for; another one (or none) falls back to the subscription's current one. */
  transactionId?: string;
  /** The form's one-time key: the same form sent twice is one payment attempt. */
  attemptKey?: string;
}

/** The form's transaction when it is still this subscription's payment-method transaction (or was just paid by it). */
async function formTransaction(
  ctx: Ctx,
  portal: PortalTenant,
  subscriptionId: string,
  transactionId: string | undefined,
): Promise<TransactionEntity | undefined> {
  if (!transactionId) return undefined;
  let transaction: TransactionEntity;
  try {
    transaction = await getTransaction(ctx, portal, transactionId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (transaction.subscription_id !== subscriptionId) return undefined;
  return transaction.origin === PAYMENT_METHOD_CHANGE_ORIGIN ||
    transaction.status === 'past_due' ||
    transaction.status === 'completed'
    ? transaction
    : undefined;
}

/** Pays the update-payment-method transaction with the card typed in the portal; the paid hook saves it on the subscription. */
export async function updatePaymentMethodFromPortal(
  ctx: Ctx,
  portal: PortalTenant,
  customerId: string,
  subscriptionId: string,
  card: ParsedCard,
  options: PortalPaymentOptions = {},
): Promise<PaymentOutcome> {
  await requireOwn(ctx, portal, customerId, subscriptionId);
  const transaction =
    (await formTransaction(ctx, portal, subscriptionId, options.transactionId)) ??
    (await getUpdatePaymentMethodTransaction(ctx, portal, subscriptionId, { reuseOpen: true }));
  return payWithCard(ctx, portal, transaction.id, card, options.attemptKey ? { attemptKey: options.attemptKey } : {});
}
