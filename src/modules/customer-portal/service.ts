// Customer portal sessions (`POST /customers/{id}/portal-sessions`) and the legacy buyer-portal links. Sessions are
// not stored: the response is a set of links that all carry one freshly minted `pga_` token.
import { decodeJwt } from 'jose';
import type { Ctx } from '../../context.js';
import type { Environment, SubscriptionRow } from '../../db/tables.js';
import { PaddleError, invalidField, type FieldError } from '../../kernel/errors.js';
import { isId, newId } from '../../kernel/ids.js';
import { toStoredTime, toWireTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import { findPortal, type PortalTenant } from '../sellers/service.js';
import { getSubscriptionRow } from '../subscriptions/service.js';
import { portalBase, portalLink, type PortalAction } from '../sellers/portal-links.js';
import { portalsOf as portalsOfEnvironment } from '../sellers/service.js';
import { mintPortalToken, verifyPortalToken } from '../sellers/portal-tokens.js';

export const MAX_SESSION_SUBSCRIPTIONS = 25;

export interface CustomerPortalSessionEntity {
  id: string;
  customer_id: string;
  urls: {
    general: { overview: string };
    subscriptions: Array<{ id: string; cancel_subscription: string; update_subscription_payment_method: string }>;
  };
  created_at: string;
}

/** A subscription's row, or undefined when the tenant has none with that id. */
async function findSubscriptionRow(ctx: Ctx, id: string): Promise<SubscriptionRow | undefined> {
  try {
    return await getSubscriptionRow(ctx, id);
  } catch (error) {
    if (error instanceof PaddleError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * The subscriptions named in the request, in request order; each must be one of the customer's.
 * @NOTE Paddle does not say how it answers another customer's (or an unknown) subscription: Paddock answers 400
 * invalid_field naming the array entry, with one message for both cases so the answer does not tell them apart.
 */
async function customerSubscriptions(ctx: Ctx, customerId: string, ids: readonly string[]): Promise<SubscriptionRow[]> {
  const errors: FieldError[] = [];
  const rows: SubscriptionRow[] = [];
  for (const [index, id] of ids.entries()) {
    const row = await findSubscriptionRow(ctx, id);
    if (row && row.customer_id === customerId) rows.push(row);
    else
      errors.push({
        field: `subscription_ids[${index}]`,
        message: `must be the id of a subscription of customer ${customerId}`,
      });
  }
  if (errors.length > 0) throw invalidField(errors);
  return rows;
}

/**
 * Paddle: links for a paused or canceled subscription open that subscription's overview page, and so does the
 * payment-method link of a manually-collected one. Paddock's overview link for one subscription is
 * `?action=overview&subscription_id=…`.
 */
function sessionLinks(base: string, portalId: string, row: SubscriptionRow, token: string) {
  const inactive = row.status === 'paused' || row.status === 'canceled';
  const overview = portalLink(base, portalId, 'overview', row.id, token);
  return {
    id: row.id,
    cancel_subscription: inactive ? overview : portalLink(base, portalId, 'cancel_subscription', row.id, token),
    update_subscription_payment_method:
      inactive || row.collection_mode !== 'automatic'
        ? overview
        : portalLink(base, portalId, 'update_subscription_payment_method', row.id, token),
  };
}

export async function createPortalSession(
  ctx: Ctx,
  portalId: string,
  customerId: string,
  subscriptionIds: readonly string[] = [],
): Promise<CustomerPortalSessionEntity> {
  await getCustomerRow(ctx, customerId);
  if (subscriptionIds.length > MAX_SESSION_SUBSCRIPTIONS) {
    throw invalidField([
      { field: 'subscription_ids', message: `must contain at most ${MAX_SESSION_SUBSCRIPTIONS} items` },
    ]);
  }
  const rows = await customerSubscriptions(ctx, customerId, subscriptionIds);
  const portal = await findPortal(ctx.db, portalId);
  if (!portal) throw new Error(`no portal ${portalId} for ${ctx.tenant.seller_id}/${ctx.tenant.environment}`);
  const now = ctx.clock.now();
  // @NOTE one token for every link of the session (Paddle's observed behaviour), minted now and never stored.
  const token = await mintPortalToken(portal.signingSecret, {
    customerId,
    tenant: ctx.tenant,
    usage: 'customer-portal-session',
    now,
  });
  const base = portalBase(ctx.config, ctx.tenant.environment);
  return {
    id: newId('customer_portal_session'),
    customer_id: customerId,
    urls: {
      general: { overview: portalLink(base, portalId, 'overview', undefined, token) },
      subscriptions: rows.map((row) => sessionLinks(base, portalId, row, token)),
    },
    created_at: toWireTime(toStoredTime(now)),
  };
}

// ---- Legacy buyer-portal links ------------------------------------------------------------------------------

export type LegacyAction = 'update-payment-method' | 'cancel';

const LEGACY_ACTIONS: Record<LegacyAction, PortalAction> = {
  'update-payment-method': 'update_subscription_payment_method',
  cancel: 'cancel_subscription',
};

/** The seller a token says it is for, read without checking it: only to decide which tenant to look in first. */
function claimedSeller(token: string | undefined): string | undefined {
  if (!token?.startsWith('pga_')) return undefined;
  try {
    const seller = decodeJwt(token.slice(4))['seller-id'];
    return typeof seller === 'string' ? seller : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where an old `/[sandbox-]buyer-portal/subscriptions/{sub}/{action}` link goes now: the matching customer-portal
 * link, or undefined when no seller of that environment has the subscription. The environment comes from the
 * path; the seller is found by asking each seller of that environment for the subscription, every lookup scoped
 * to one tenant (the seller a token names is asked first). A token is kept only when it verifies for that tenant
 * and names the subscription's customer; otherwise it is dropped and the portal asks the customer to sign in.
 */
export async function legacyPortalLink(
  ctxOf: (portal: PortalTenant) => Ctx,
  db: Ctx['db'],
  environment: Environment,
  subscriptionId: string,
  action: LegacyAction,
  token: string | undefined,
): Promise<string | undefined> {
  if (!isId('subscription', subscriptionId)) return undefined;
  const hint = claimedSeller(token);
  const portals = (await portalsOfEnvironment(db, environment)).sort(
    (a, b) => Number(b.seller_id === hint) - Number(a.seller_id === hint),
  );
  for (const { portal_id } of portals) {
    const portal = await findPortal(db, portal_id);
    if (!portal) continue;
    const ctx = ctxOf(portal);
    const row = await findSubscriptionRow(ctx, subscriptionId);
    if (!row) continue;
    let kept: string | undefined;
    if (token) {
      const check = await verifyPortalToken(portal.signingSecret, token, portal.tenant, ctx.clock.now());
      if (check.ok && check.claims.customerId === row.customer_id) kept = token;
    }
    return portalLink(portalBase(ctx.config, environment), portal.portalId, LEGACY_ACTIONS[action], row.id, kept);
  }
  return undefined;
}
