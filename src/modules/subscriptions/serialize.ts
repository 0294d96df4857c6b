import type { SubscriptionRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';
import { managementUrls } from '../sellers/portal-links.js';
import { billingDetailsEntity } from '../transactions/serialize.js';
import { storedItems } from './state.js';
import { subscriptionColumns } from './columns.js';

const period = (stored: { starts_at: string; ends_at: string } | null) =>
  stored ? { starts_at: toWireTime(stored.starts_at), ends_at: toWireTime(stored.ends_at) } : null;

/**
 * Row → Paddle's subscription entity as webhooks carry it: without `management_urls` (Paddle leaves the
 * temporary links out of webhook payloads).
 */
export function serializeSubscriptionForEvent(row: SubscriptionRow) {
  const change = subscriptionColumns.scheduled_change.decode(row.scheduled_change);
  return {
    id: row.id,
    status: row.status,
    customer_id: row.customer_id,
    address_id: row.address_id,
    business_id: row.business_id,
    currency_code: row.currency_code,
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    started_at: toWireTime(row.started_at),
    first_billed_at: toWireTime(row.first_billed_at),
    next_billed_at: toWireTime(row.next_billed_at),
    paused_at: toWireTime(row.paused_at),
    canceled_at: toWireTime(row.canceled_at),
    discount: subscriptionColumns.discount.decode(row.discount),
    collection_mode: row.collection_mode,
    billing_details: billingDetailsEntity(subscriptionColumns.billing_details.decode(row.billing_details)),
    current_billing_period: period(subscriptionColumns.current_billing_period.decode(row.current_billing_period)),
    billing_cycle: subscriptionColumns.billing_cycle.decode(row.billing_cycle),
    scheduled_change: change
      ? {
          action: change.action,
          effective_at: toWireTime(change.effective_at),
          resume_at: toWireTime(change.resume_at),
        }
      : null,
    items: storedItems(row).map((item) => ({
      status: item.status,
      quantity: item.quantity,
      recurring: item.recurring,
      created_at: toWireTime(item.created_at),
      updated_at: toWireTime(item.updated_at),
      previously_billed_at: toWireTime(item.previously_billed_at),
      next_billed_at: toWireTime(item.next_billed_at),
      trial_dates: period(item.trial_dates),
      price: item.price,
      product: item.product,
    })),
    custom_data: subscriptionColumns.custom_data.decode(row.custom_data),
    import_meta: subscriptionColumns.import_meta.decode(row.import_meta),
  };
}

export interface LinkContext {
  portalBase: string;
  portalId: string;
  /** Present when the caller's key holds customer_portal_session.write: appended as `&token=`. */
  tokenFor?: (customerId: string) => Promise<string>;
}

/** The entity's `management_urls`, with a fresh token when allowed: what the API adds to the event form. */
export async function subscriptionManagementUrls(row: SubscriptionRow, links: LinkContext) {
  const token = links.tokenFor ? await links.tokenFor(row.customer_id) : undefined;
  return managementUrls(links.portalBase, links.portalId, row, token);
}

/** Row → the entity the API returns: the event form plus `management_urls` (with a fresh token when allowed). */
export async function serializeSubscription(row: SubscriptionRow, links: LinkContext) {
  return { ...serializeSubscriptionForEvent(row), management_urls: await subscriptionManagementUrls(row, links) };
}

export type SubscriptionEntity = Awaited<ReturnType<typeof serializeSubscription>>;
