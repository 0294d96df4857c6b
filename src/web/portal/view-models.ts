// Portal data → view models: dates as "12 January 2027" (UTC), amounts formatted for their currency, Paddle's
// statuses in words.
import { formatMoney } from '../../billing/currencies.js';
import { canUpdatePaymentMethod, type SubscriptionState } from '../../billing/subscription-lifecycle.js';
import type { PortalPayment, PortalSubscription } from '../../modules/customer-portal/account.js';
import type { CardDetails } from '../../modules/payment-methods/serialize.js';
import type { SubscriptionEntity } from '../../modules/subscriptions/serialize.js';
import { Temporal } from '../../kernel/time.js';
import { cardDescription } from '../checkout/view-models.js';
import type { PaymentVm, SubscriptionVm } from './views.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "12 January 2027" for an RFC 3339 time; null stays null. */
export function portalDate(wire: string | null | undefined): string | null {
  if (!wire) return null;
  return dateFormat.format(Temporal.Instant.from(wire).epochMilliseconds);
}

const SUBSCRIPTION_STATUS: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Past due',
  paused: 'Paused',
  canceled: 'Canceled',
};

const PAYMENT_STATUS: Record<string, string> = {
  billed: 'Awaiting payment',
  paid: 'Paid',
  completed: 'Paid',
  past_due: 'Overdue',
};

export function billingCycleLabel(cycle: { interval: string; frequency: number }): string {
  return cycle.frequency === 1 ? `Every ${cycle.interval}` : `Every ${cycle.frequency} ${cycle.interval}s`;
}

function perCycle(cycle: { interval: string; frequency: number } | null): string {
  if (!cycle) return '';
  return cycle.frequency === 1 ? ` / ${cycle.interval}` : ` / ${cycle.frequency} ${cycle.interval}s`;
}

function scheduledChange(subscription: SubscriptionEntity): string | null {
  const change = subscription.scheduled_change;
  if (!change) return null;
  const on = portalDate(change.effective_at);
  switch (change.action) {
    case 'cancel':
      return `Cancels on ${on}`;
    case 'pause':
      return change.resume_at ? `Pauses on ${on}, resumes on ${portalDate(change.resume_at)}` : `Pauses on ${on}`;
    case 'resume':
      return `Resumes on ${on}`;
    default:
      return null;
  }
}

function paymentMethodLabel(subscription: SubscriptionEntity, card: CardDetails | null): string {
  if (subscription.collection_mode === 'manual') return 'Paid by invoice';
  return cardDescription(card) ?? 'No card saved';
}

export interface SubscriptionLinks {
  overview: (subscriptionId?: string) => string;
  cancel: (subscriptionId: string) => string;
  updatePaymentMethod: (subscriptionId: string) => string;
}

/** Whether the portal offers to cancel it: not paused or canceled, and no cancel already scheduled. */
export function offersCancel(subscription: SubscriptionEntity): boolean {
  return subscription.status !== 'paused' && subscription.status !== 'canceled';
}

/** Whether the portal offers a new card: automatic collection, and not paused or canceled (Paddle's rule). */
export function offersPaymentMethodUpdate(subscription: SubscriptionEntity): boolean {
  return canUpdatePaymentMethod(subscription as Pick<SubscriptionState, 'status' | 'collection_mode'>);
}

export function subscriptionVm({ subscription, card }: PortalSubscription, links: SubscriptionLinks): SubscriptionVm {
  const names = [...new Set(subscription.items.map((item) => item.product.name))];
  const cancelScheduled = subscription.scheduled_change?.action === 'cancel';
  return {
    id: subscription.id,
    title: names.join(', ') || 'Subscription',
    status: subscription.status,
    status_label: SUBSCRIPTION_STATUS[subscription.status] ?? subscription.status,
    items: subscription.items.map((item) => ({
      product_name: item.product.name,
      price_name: item.price.name ?? '',
      quantity: item.quantity,
      price_label:
        item.price.unit_price.currency_code === subscription.currency_code
          ? `${formatMoney(item.price.unit_price.amount, item.price.unit_price.currency_code)}${perCycle(item.price.billing_cycle)}`
          : null,
    })),
    next_billed_on:
      subscription.status === 'canceled' || subscription.status === 'paused'
        ? null
        : portalDate(subscription.next_billed_at),
    scheduled_change: scheduledChange(subscription),
    payment_method: paymentMethodLabel(subscription, card),
    billing_cycle: billingCycleLabel(subscription.billing_cycle),
    started_on: portalDate(subscription.started_at),
    canceled_on: portalDate(subscription.canceled_at),
    paused_on: subscription.status === 'paused' ? portalDate(subscription.paused_at) : null,
    url: links.overview(subscription.id),
    cancel_url: offersCancel(subscription) && !cancelScheduled ? links.cancel(subscription.id) : null,
    update_payment_method_url: offersPaymentMethodUpdate(subscription)
      ? links.updatePaymentMethod(subscription.id)
      : null,
  };
}

export function paymentVm({ transaction, invoiceUrl }: PortalPayment): PaymentVm {
  const lines = (transaction.details.line_items ?? []) as Array<{ product: { name: string } }>;
  const totals = transaction.details.totals as { grand_total?: string; total: string };
  const names = [...new Set(lines.map((line) => line.product.name))];
  return {
    date: portalDate(transaction.billed_at ?? transaction.created_at) ?? '',
    description: names.join(', ') || 'Payment',
    amount: formatMoney(totals.grand_total ?? totals.total, transaction.currency_code),
    status_label: PAYMENT_STATUS[transaction.status] ?? transaction.status,
    invoice_number: transaction.invoice_number,
    invoice_url: invoiceUrl,
  };
}
