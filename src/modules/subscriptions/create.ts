// Subscriptions come into being as in Paddle: when an automatically-collected transaction with recurring items
// is paid, or a manually-collected one is billed. No API creates them directly.
import type { TxCtx } from '../../context.js';
import type { SubscriptionRow, TransactionRow } from '../../db/tables.js';
import type { Duration } from '../../billing/periods.js';
import { start, type SubscriptionState } from '../../billing/subscription-lifecycle.js';
import { recordEvent } from '../../events/record.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import type { ProductEntity } from '../products/serialize.js';
import { transactionColumns } from '../transactions/columns.js';
import { findSubscriptionByOriginTransaction, insertSubscription } from './repository.js';
import { serializeSubscriptionForEvent } from './serialize.js';
import { newStoredItem, withState, type StoredItem } from './state.js';
import { subscriptionColumns } from './columns.js';
import { checkoutDiscount } from './discount.js';
import { writePendingSubscriptions } from './pending.js';

/**
 * Creates the subscription for a paid (automatic) or billed (manual) transaction with recurring items, and
 * returns the transaction row with `subscription_id` and `billing_period` set. Idempotent: a transaction that
 * already made a subscription makes no second one.
 */
export async function createSubscriptionFromTransaction(
  ctx: TxCtx,
  transaction: TransactionRow,
  paymentMethodId: string | null,
): Promise<TransactionRow> {
  return (await subscriptionFromTransaction(ctx, transaction, paymentMethodId)).row;
}

/**
 * `createSubscriptionFromTransaction`, saying whether it made the subscription just now (`made`: with
 * `paymentMethodId` as its payment method) or left the transaction as it was or with the one it already made.
 */
export async function subscriptionFromTransaction(
  ctx: TxCtx,
  transaction: TransactionRow,
  paymentMethodId: string | null,
): Promise<{ row: TransactionRow; made: boolean }> {
  const unchanged = { row: transaction, made: false };
  if (transaction.subscription_id || !transaction.customer_id || !transaction.address_id) return unchanged;
  if (transaction.origin !== 'api' && transaction.origin !== 'web') return unchanged;
  const items = transactionColumns.items.decode(transaction.items).filter((item) => item.price.billing_cycle !== null);
  if (items.length === 0) return unchanged;
  await writePendingSubscriptions(ctx);
  const existing = await findSubscriptionByOriginTransaction(ctx.db, ctx.tenant, transaction.id);
  if (existing) return { row: { ...transaction, subscription_id: existing.id }, made: false };

  const now = ctx.clock.now();
  const stamp = toStoredTime(now);
  const started = start({
    now,
    billing_cycle: items[0]!.price.billing_cycle as Duration,
    trial_period:
      (items.map((item) => item.price.trial_period).find((period) => period !== null) as Duration | undefined) ?? null,
    collection_mode: transaction.collection_mode as SubscriptionState['collection_mode'],
    price_ids: items.map((item) => item.price_id),
  });
  const products = new Map(
    transactionColumns.details.decode(transaction.details).line_items.map((line) => [line.price_id, line.product]),
  );
  // @NOTE status and billing dates are the lifecycle's (start); withState writes them over these blanks.
  const storedItems: StoredItem[] = items.map((item) =>
    newStoredItem(item.price, products.get(item.price_id) as ProductEntity, item.quantity, stamp),
  );
  const blank: SubscriptionRow = {
    ...ctx.tenant,
    id: newId('subscription'),
    status: started.status,
    customer_id: transaction.customer_id,
    address_id: transaction.address_id,
    business_id: transaction.business_id,
    currency_code: transaction.currency_code,
    collection_mode: transaction.collection_mode,
    billing_details: transaction.billing_details,
    billing_cycle: subscriptionColumns.billing_cycle.encode(started.billing_cycle),
    billing_anchor: stamp,
    started_at: null,
    first_billed_at: null,
    next_billed_at: null,
    paused_at: null,
    canceled_at: null,
    current_billing_period: null,
    scheduled_change: null,
    on_resume: null,
    past_due_when_paused: 0n,
    discount: null,
    items: subscriptionColumns.items.encode(storedItems),
    custom_data: transaction.custom_data,
    import_meta: null,
    payment_method_id: paymentMethodId,
    origin_transaction_id: transaction.id,
    next_period_lines: subscriptionColumns.next_period_lines.encode([]),
    past_due_since: null,
    retry_at: null,
    next_due_at: null,
    created_at: stamp,
    updated_at: stamp,
  };
  const stated = withState(blank, started, now);
  const row: SubscriptionRow = { ...stated, discount: await checkoutDiscount(ctx, transaction, stated) };
  await insertSubscription(ctx.db, row);
  const entity = serializeSubscriptionForEvent(row);
  // Paddle: subscription.created carries the transaction that created it.
  await recordEvent(ctx, 'subscription.created', { ...entity, transaction_id: transaction.id });
  await recordEvent(ctx, started.status === 'trialing' ? 'subscription.trialing' : 'subscription.activated', entity);
  const period = started.current_billing_period!;
  return {
    row: {
      ...transaction,
      subscription_id: row.id,
      billing_period: transactionColumns.billing_period.encode({
        starts_at: toStoredTime(period.starts_at),
        ends_at: toStoredTime(period.ends_at),
      }),
    },
    made: true,
  };
}
