// Signing in to the portal: with a `pga_` token from a link (API-minted or emailed), or by asking for an email
// with a sign-in link. The answer to "send me a link" never says whether the address belongs to a customer.
import type { Ctx } from '../../context.js';
import { PaddleError } from '../../kernel/errors.js';
import { emailsSentSince, sendEmail } from '../emails/service.js';
import { getCustomerRow, listCustomers } from '../customers/service.js';
import type { PortalTenant } from '../sellers/service.js';
import { portalBase, portalLink, type PortalAction } from '../sellers/portal-links.js';
import { mintPortalToken, verifyPortalToken } from '../sellers/portal-tokens.js';

/** Emailed sign-in links work for 15 minutes (portal research: magic links ≥128 bits, 15 min TTL). */
export const SIGN_IN_LINK_LIFETIME_SECONDS = 15 * 60;
export const SIGN_IN_EMAIL_KIND = 'portal_sign_in';
/** At most this many sign-in emails to one address per link lifetime; further requests send nothing. */
export const SIGN_IN_EMAILS_PER_WINDOW = 3;

export type TokenSignIn = { ok: true; customerId: string } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' };

/** Checks a link's token against the portal's secret and clock, and that its customer exists in the tenant. */
export async function signInWithToken(ctx: Ctx, portal: PortalTenant, token: string): Promise<TokenSignIn> {
  const check = await verifyPortalToken(portal.signingSecret, token, portal.tenant, ctx.clock.now());
  if (!check.ok) return check;
  try {
    await getCustomerRow(ctx, check.claims.customerId);
  } catch (error) {
    if (error instanceof PaddleError && error.code === 'not_found') return { ok: false, reason: 'invalid' };
    throw error;
  }
  return { ok: true, customerId: check.claims.customerId };
}

export interface SignInTarget {
  action: PortalAction;
  subscriptionId?: string;
}

export interface SignInEmail {
  subject: string;
  text: string;
  html: string;
}

/** Writes the email: the web layer owns the wording and markup. */
export type SignInEmailComposer = (input: {
  link: string;
  sellerName: string;
  customerName: string | null;
  expiresInMinutes: number;
}) => SignInEmail;

/**
 * Emails a sign-in link to the customer with this address, if there is one and it has not had too many
 * lately. Returns nothing either way: the page the customer sees is the same.
 */
export async function requestSignInLink(
  ctx: Ctx,
  portal: PortalTenant,
  email: string,
  target: SignInTarget,
  compose: SignInEmailComposer,
): Promise<void> {
  const found = await listCustomers(
    ctx,
    { email: [email] },
    { perPage: 1, orderBy: { field: 'id', direction: 'ASC' } },
  );
  const customer = found.rows[0];
  if (!customer) return;
  const now = ctx.clock.now();
  const windowStart = now.subtract({ seconds: SIGN_IN_LINK_LIFETIME_SECONDS });
  if ((await emailsSentSince(ctx, customer.email, SIGN_IN_EMAIL_KIND, windowStart)) >= SIGN_IN_EMAILS_PER_WINDOW)
    return;
  const token = await mintPortalToken(portal.signingSecret, {
    customerId: customer.id,
    tenant: portal.tenant,
    usage: 'magic-link',
    now,
    lifetimeSeconds: SIGN_IN_LINK_LIFETIME_SECONDS,
  });
  const link = portalLink(
    portalBase(ctx.config, portal.tenant.environment),
    portal.portalId,
    target.action,
    target.subscriptionId,
    token,
  );
  const content = compose({
    link,
    sellerName: portal.sellerName,
    customerName: customer.name,
    expiresInMinutes: SIGN_IN_LINK_LIFETIME_SECONDS / 60,
  });
  await sendEmail(ctx, { kind: SIGN_IN_EMAIL_KIND, to: customer.email, fromName: portal.sellerName, ...content });
}
