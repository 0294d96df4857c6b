// Customer-portal links, exactly as Paddle builds them:
//   {portal base}/{cpl_id}?action=overview|cancel_subscription|update_subscription_payment_method
//   [&subscription_id=sub_…][&token=pga_…]
// `{portal base}` is the environment's portal URL (PADDOCK_[SANDBOX_]CUSTOMER_PORTAL_URL).
// @NOTE in sellers (whose environments own the portal id), not customer-portal: subscriptions build these links
// for `management_urls`, and customer-portal calls subscriptions, so the links must sit below both.
import type { Config } from '../../config.js';
import type { Environment } from '../../db/tables.js';

export type PortalAction = 'overview' | 'cancel_subscription' | 'update_subscription_payment_method';

export function portalBase(config: Config, environment: Environment): string {
  return environment === 'sandbox' ? config.sandboxCustomerPortalUrl : config.customerPortalUrl;
}

export function portalLink(
  base: string,
  portalId: string,
  action: PortalAction,
  subscriptionId?: string,
  token?: string,
): string {
  // @NOTE parameters in Paddle's order: action, subscription_id, token.
  let url = `${base}/${portalId}?action=${action}`;
  if (subscriptionId) url += `&subscription_id=${subscriptionId}`;
  if (token) url += `&token=${token}`;
  return url;
}

export interface ManagementUrls {
  update_payment_method: string | null;
  cancel: string;
}

/** A subscription's `management_urls`: no payment-method link for manually-collected subscriptions. */
export function managementUrls(
  base: string,
  portalId: string,
  subscription: { id: string; collection_mode: string },
  token?: string,
): ManagementUrls {
  return {
    update_payment_method:
      subscription.collection_mode === 'manual'
        ? null
        : portalLink(base, portalId, 'update_subscription_payment_method', subscription.id, token),
    cancel: portalLink(base, portalId, 'cancel_subscription', subscription.id, token),
  };
}
