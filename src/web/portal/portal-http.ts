// What every portal request shares: finding the portal (cpl) of the path's environment, the signed-in customer
// from the session cookie (its idle expiry moved on at each request), form posts checked for their CSRF token
// and origin, and the headers every portal page carries.
import { sessionIsLive } from '../../modules/customer-portal/session-store.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.js';
import type { Environment } from '../../db/tables.js';
import { ctxFor, type ServerDeps } from '../../http/operation.js';
import type { Instant } from '../../kernel/time.js';
import { portalCustomer } from '../../modules/customer-portal/account.js';
import { portalBase, type PortalAction } from '../../modules/sellers/portal-links.js';
import {
  csrfToken,
  csrfTokenMatches,
  readSession,
  refreshSession,
  SESSION_COOKIE,
  type PortalSession,
} from '../../modules/customer-portal/session.js';
import type { CustomerEntity } from '../../modules/customers/serialize.js';
import { findPortal, type PortalTenant } from '../../modules/sellers/service.js';
import { cookieHeader, readCookie } from './cookies.js';
import type { SubscriptionLinks } from './view-models.js';
import { renderFormExpiredPage, renderNotFoundPage, type PortalFrameVm } from './views.js';
import { formFields, pathParam, type FormFields } from '../../http/request-values.js';
import { sendHtml } from '../shared/respond.js';

export const PORTAL_PATHS: Record<Environment, string> = {
  live: '/customer-portal',
  sandbox: '/sandbox-customer-portal',
};

export const ACTIONS: readonly PortalAction[] = [
  'overview',
  'cancel_subscription',
  'update_subscription_payment_method',
];

export type Notice = 'canceled' | 'payment_method_updated';

export interface Portal {
  portal: PortalTenant;
  ctx: Ctx;
  /** `/customer-portal/cpl_…` (the portal base's path and the cpl): the pages' path, and the cookie's. */
  path: string;
  secure: boolean;
}

export interface SignedIn extends Portal {
  session: PortalSession;
  customer: CustomerEntity;
  csrf: string;
}

export type Form = FormFields;

/** The portal page a link or form asks for; anything else shows the overview. */
export function portalAction(requested: string | null | undefined): PortalAction {
  return ACTIONS.find((action) => action === requested) ?? 'overview';
}

export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect(location, 303);
}

export function pageUrl(path: string, action: PortalAction, subscriptionId?: string, notice?: Notice): string {
  const query = new URLSearchParams({ action });
  if (subscriptionId) query.set('subscription_id', subscriptionId);
  if (notice) query.set('notice', notice);
  return `${path}?${query.toString()}`;
}

export function linksFor(path: string): SubscriptionLinks {
  return {
    overview: (subscriptionId) => pageUrl(path, 'overview', subscriptionId),
    cancel: (subscriptionId) => pageUrl(path, 'cancel_subscription', subscriptionId),
    updatePaymentMethod: (subscriptionId) => pageUrl(path, 'update_subscription_payment_method', subscriptionId),
  };
}

export async function resolvePortal(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
): Promise<Portal | undefined> {
  const portalId = pathParam(request, 'portalId');
  const portal = await findPortal(deps.db, portalId);
  if (!portal || portal.tenant.environment !== environment) return undefined;
  const ctx = ctxFor(deps, portal);
  const base = portalBase(deps.config, environment);
  const secure = request.protocol === 'https' || base.startsWith('https:');
  // @NOTE pages, forms and the cookie live under the configured portal base's path (by default the same as the
  // route's), so a proxy that serves the portal at its own address and forwards to these routes keeps working.
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  return { portal, ctx, path: `${basePath}/${portal.portalId}`, secure };
}

export function setSessionCookie(
  reply: FastifyReply,
  p: Portal,
  cookie: string,
  expiresAt: number,
  now: Instant,
): void {
  const maxAge = expiresAt - Math.floor(now.epochMilliseconds / 1000);
  reply.header(
    'set-cookie',
    cookieHeader(SESSION_COOKIE, cookie, { path: p.path, maxAgeSeconds: maxAge, secure: p.secure }),
  );
}

export function clearSessionCookie(reply: FastifyReply, p: Portal): void {
  reply.header('set-cookie', cookieHeader(SESSION_COOKIE, '', { path: p.path, maxAgeSeconds: 0, secure: p.secure }));
}

/** The signed-in customer, with the session's idle expiry moved on; undefined when not signed in. */
export async function signedIn(request: FastifyRequest, reply: FastifyReply, p: Portal): Promise<SignedIn | undefined> {
  const now = p.ctx.clock.now();
  const current = readSession(
    p.portal.signingSecret,
    p.portal.portalId,
    readCookie(request.headers.cookie, SESSION_COOKIE),
    now,
  );
  if (!current) return undefined;
  // @NOTE a well-sealed cookie is not enough: its session must still be live on the server (not signed out).
  const customer = (await sessionIsLive(p.ctx, current)) ? await portalCustomer(p.ctx, current.customerId) : undefined;
  if (!customer) {
    clearSessionCookie(reply, p);
    return undefined;
  }
  const { session, cookie } = refreshSession(p.portal.signingSecret, p.portal.portalId, current, now);
  setSessionCookie(reply, p, cookie, session.expiresAt, now);
  return { ...p, session, customer, csrf: csrfToken(p.portal.signingSecret, p.portal.portalId, session) };
}

export function frameVm(p: Portal, me: SignedIn | undefined, flash: PortalFrameVm['flash'] = null): PortalFrameVm {
  return {
    seller_name: p.portal.sellerName,
    customer_email: me?.customer.email ?? null,
    overview_url: pageUrl(p.path, 'overview'),
    sign_out: me ? { action: `${p.path}/sign-out`, csrf_token: me.csrf } : null,
    sandbox: p.portal.tenant.environment === 'sandbox',
    flash,
  };
}

export function notFoundPage(reply: FastifyReply, p: Portal | undefined, me?: SignedIn): FastifyReply {
  const frame = p
    ? frameVm(p, me)
    : { seller_name: null, customer_email: null, overview_url: '', sign_out: null, sandbox: false };
  return sendHtml(reply, 404, renderNotFoundPage(frame));
}

/**
 * Whether a form post comes from the portal's own pages, as far as the browser says (`Sec-Fetch-Site`, `Origin`):
 * a post from another site is refused (e.g. one signing the visitor in with someone else's link: login CSRF).
 */
export function postedFromThisSite(deps: ServerDeps, request: FastifyRequest, p: Portal): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = request.headers.origin;
  // @NOTE under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts: then Sec-Fetch-Site
  // (and, for signed-in forms, the CSRF token) decide.
  if (origin === undefined || origin === 'null') return true;
  const allowed = [
    `${request.protocol}://${request.headers.host}`,
    new URL(deps.config.publicUrl).origin,
    new URL(portalBase(deps.config, p.portal.tenant.environment)).origin,
  ];
  return allowed.includes(origin);
}

/**
 * A form post is accepted only from a signed-in session with its CSRF token, and not from another site
 * (`Origin`/`Sec-Fetch-Site`, when the browser sends them). Otherwise: a 403 page, nothing changed.
 */
export async function formSession(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  p: Portal,
): Promise<SignedIn | undefined> {
  if (!postedFromThisSite(deps, request, p)) return undefined;
  const me = await signedIn(request, reply, p);
  const form = formFields(request);
  if (!me || !csrfTokenMatches(p.portal.signingSecret, p.portal.portalId, me.session, form.csrf_token))
    return undefined;
  return me;
}

export function formExpired(reply: FastifyReply, p: Portal): FastifyReply {
  return sendHtml(reply, 403, renderFormExpiredPage(frameVm(p, undefined)));
}
