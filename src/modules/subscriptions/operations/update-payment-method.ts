// `GET /subscriptions/{id}/update-payment-method-transaction`: the transaction a customer pays in checkout to
// give an automatically-collected subscription a new card. Past due → the latest past-due transaction (paying it
// also brings the subscription back to active); otherwise a new zero-value transaction, origin
// `subscription_payment_method_change`, status `ready`. The paid hook below makes the card that paid either one
// the subscription's payment method. The customer portal's "Update payment method" goes through here too.
import { type Ctx, withTransaction, type TxCtx } from '../../../context.js';
import type { SubscriptionRow, TransactionRow } from '../../../db/tables.js';
import { assertCanUpdatePaymentMethod, renewalPaid } from '../../../billing/subscription-lifecycle.js';
import { toWireTime } from '../../../kernel/time.js';
import { getAddressRow } from '../../addresses/service.js';
import { withIncludes } from '../../transactions/includes.js';
import type { TransactionReaction } from '../../module.js';
import { createSubscriptionTransaction } from '../../transactions/operations/subscription-billing.js';
import type { TransactionEntity } from '../../transactions/serialize.js';
import { transactionEntity, type PortalRef } from '../../transactions/entity.js';
import { findPastDueTransaction, listTransactions } from '../../transactions/service.js';
import { storeTransition, subscriptionItems } from '../billing.js';
import { lockSubscription, updateSubscription } from '../repository.js';
import { getSubscriptionRow } from '../service.js';
import { stateOf } from '../state.js';
import { subscriptionColumns } from '../columns.js';

export const PAYMENT_METHOD_CHANGE_ORIGIN = 'subscription_payment_method_change';

/** The subscription's items priced at nothing: a proration rate of 0 over the current billing period. */
async function createZeroTransaction(ctx: TxCtx, portal: PortalRef, row: SubscriptionRow): Promise<TransactionRow> {
  const current = subscriptionColumns.current_billing_period.decode(row.current_billing_period);
  const period = current ? { starts_at: toWireTime(current.starts_at), ends_at: toWireTime(current.ends_at) } : null;
  const items = subscriptionItems(row).map((item) => ({
    ...item,
    proration: period ? { rate: '0', billing_period: period } : null,
  }));
  const address = await getAddressRow(ctx, row.customer_id, row.address_id);
  return createSubscriptionTransaction(ctx, {
    subscriptionId: row.id,
    customerId: row.customer_id,
    addressId: row.address_id,
    businessId: row.business_id,
    currencyCode: row.currency_code,
    collectionMode: 'automatic',
    billingDetails: null,
    countryCode: address.country_code,
    items,
    // @NOTE Paddle's example: an empty period at the start of the current one (nothing is billed for it).
    billingPeriod: current ? { starts_at: current.starts_at, ends_at: current.starts_at } : null,
    origin: PAYMENT_METHOD_CHANGE_ORIGIN,
    portalId: portal.portalId,
    status: 'ready',
  });
}

/** The newest still-`ready` payment-method-change transaction of the subscription, if any. */
async function openPaymentMethodChange(
  ctx: Ctx,
  portal: PortalRef,
  subscriptionId: string,
): Promise<TransactionEntity | undefined> {
  const { data } = await listTransactions(
    ctx,
    portal,
    { subscription_id: [subscriptionId], origin: [PAYMENT_METHOD_CHANGE_ORIGIN], status: ['ready'] },
    { perPage: 1, orderBy: { field: 'id', direction: 'DESC' } },
  );
  return data[0];
}

export interface UpdatePaymentMethodOptions {
  /**
   * Hand back the subscription's open zero-value transaction instead of making another (the portal, where a
   * declined card is simply tried again). The API makes a new one on every call, as Paddle does.
   */
  reuseOpen?: boolean;
}

export async function getUpdatePaymentMethodTransaction(
  ctx: Ctx,
  portal: PortalRef,
  subscriptionId: string,
  options: UpdatePaymentMethodOptions = {},
): Promise<TransactionEntity> {
  const row = await getSubscriptionRow(ctx, subscriptionId);
  assertCanUpdatePaymentMethod(stateOf(row));
  if (row.status === 'past_due') {
    const pastDue = await findPastDueTransaction(ctx, row.id);
    if (pastDue) return transactionEntity(ctx, pastDue, portal.portalId);
  }
  if (options.reuseOpen) {
    const open = await openPaymentMethodChange(ctx, portal, row.id);
    if (open) return open;
  }
  return withTransaction(ctx, async (ctx) => {
    const transaction = await createZeroTransaction(ctx, portal, row);
    return transactionEntity(ctx, transaction, portal.portalId);
  });
}

/**
 * After a subscription's transaction is paid with a card the subscription does not have yet (checkout, the pay
 * test helper): that card becomes the subscription's payment method, and a past-due subscription whose overdue
 * transaction it paid is active again. A renewal or retry charged with the saved method is left to `collect`.
 */
export const useNewPaymentMethod: TransactionReaction = async (ctx, transaction, paid) => {
  if (!transaction.subscription_id || !paid.paymentMethodId || paid.subscriptionsOwnMethod) return transaction;
  const row = await lockSubscription(ctx.db, ctx.tenant, transaction.subscription_id, ctx.dialect);
  if (!row || row.collection_mode !== 'automatic' || row.status === 'canceled') return transaction;
  const methodChange = transaction.origin === PAYMENT_METHOD_CHANGE_ORIGIN;
  if (!methodChange && paid.paymentMethodId === row.payment_method_id) return transaction;
  const next: SubscriptionRow = { ...row, payment_method_id: paid.paymentMethodId };
  if (row.status === 'past_due' && !methodChange) {
    await storeTransition(ctx, next, renewalPaid(stateOf(next)), { past_due_since: null, retry_at: null });
  } else {
    // @NOTE the payment method is not part of Paddle's subscription entity: nothing to announce.
    await updateSubscription(ctx.db, next);
  }
  return transaction;
};

/**
 * What the response carries besides the transaction (Paddle: customer, address, business, discount and
 * adjustments only when the key may read them; available payment methods always).
 */
export async function withReadableRelations(
  ctx: Ctx,
  entity: TransactionEntity,
  canRead: (permission: string) => boolean,
): Promise<Record<string, unknown>> {
  const related = new Set<string>(['available_payment_methods']);
  for (const name of ['customer', 'address', 'business']) if (canRead(`${name}.read`)) related.add(name);
  if (canRead('adjustment.read')) {
    related.add('adjustments');
    related.add('adjustments_totals');
  }
  return withIncludes(ctx, entity, related);
}
