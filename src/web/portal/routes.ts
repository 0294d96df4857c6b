// The customer portal: `{portal base}/{cpl_id}?action=overview|cancel_subscription|update_subscription_payment_method
// [&subscription_id=sub_…][&token=pga_…]`, served at /customer-portal/ (live) and /sandbox-customer-portal/
// (sandbox); the cpl must belong to the environment of its path. A valid token signs the customer in (session
// cookie, then a redirect to the same address without the token); without a session the page asks for an email
// and mails a sign-in link. Every form posts to `{path}/{cpl}/…` with the session's CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declineMessage, parseCardInput } from '../../billing/test-cards.js';
import type { Ctx } from '../../context.js';
import type { Environment } from '../../db/tables.js';
import { ctxFor, type ServerDeps } from '../../http/operation.js';
import { PaddleError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Instant } from '../../kernel/time.js';
import {
  cancelFromPortal,
  paymentMethodTransaction,
  portalCustomer,
  portalPayments,
  portalSubscription,
  portalSubscriptions,
  updatePaymentMethodFromPortal,
  type PortalSubscription,
} from '../../modules/customer-portal/account.js';
import { portalBase, type PortalAction } from '../../modules/customer-portal/links.js';
import { customerPortalRoutes } from '../../modules/customer-portal/routes.js';
import {
  csrfToken,
  csrfTokenMatches,
  readSession,
  refreshSession,
  SESSION_COOKIE,
  startSession,
  type PortalSession,
} from '../../modules/customer-portal/session.js';
import { requestSignInLink, signInWithToken, SIGN_IN_LINK_LIFETIME_SECONDS } from '../../modules/customer-portal/sign-in.js';
import type { CustomerEntity } from '../../modules/customers/serialize.js';
import { emailRoutes } from '../../modules/emails/routes.js';
import { findPortal, type PortalTenant } from '../../modules/sellers/service.js';
import { totalsVm } from '../checkout/view-models.js';
import { cookieHeader, readCookie } from './cookies.js';
import { legacyRoutes } from './legacy.js';
import { offersPaymentMethodUpdate, paymentVm, portalDate, subscriptionVm, type SubscriptionLinks } from './view-models.js';
import {
  renderCancelPage,
  renderCheckEmailPage,
  renderFormExpiredPage,
  renderNotFoundPage,
  renderOverviewPage,
  renderPaymentMethodPage,
  renderSignInEmail,
  renderSignInPage,
  renderSubscriptionPage,
  type CancelState,
  type CardField,
  type PortalFrameVm,
} from './views.js';

export const PORTAL_PATHS: Record<Environment, string> = { live: '/customer-portal', sandbox: '/sandbox-customer-portal' };

const ACTIONS: readonly PortalAction[] = ['overview', 'cancel_subscription', 'update_subscription_payment_method'];

type Notice = 'canceled' | 'payment_method_updated';

interface Portal {
  portal: PortalTenant;
  ctx: Ctx;
  /** `/customer-portal/cpl_…`: the page's path, and the cookie's. */
  path: string;
  secure: boolean;
}

interface SignedIn extends Portal {
  session: PortalSession;
  customer: CustomerEntity;
  csrf: string;
}

type Form = Record<string, string | undefined>;

// ---- Plumbing --------------------------------------------------------------------------------------------

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    // @NOTE Paddle asks sellers not to embed the portal in an iframe; no scripts run on these pages.
    .header('content-security-policy', "default-src 'self'; script-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    .type('text/html; charset=utf-8')
    .send(body);
}

function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 303);
}

function pageUrl(path: string, action: PortalAction, subscriptionId?: string, notice?: Notice): string {
  const query = new URLSearchParams({ action });
  if (subscriptionId) query.set('subscription_id', subscriptionId);
  if (notice) query.set('notice', notice);
  return `${path}?${query.toString()}`;
}

function linksFor(path: string): SubscriptionLinks {
  return {
    overview: (subscriptionId) => pageUrl(path, 'overview', subscriptionId),
    cancel: (subscriptionId) => pageUrl(path, 'cancel_subscription', subscriptionId),
    updatePaymentMethod: (subscriptionId) => pageUrl(path, 'update_subscription_payment_method', subscriptionId),
  };
}

async function resolvePortal(deps: ServerDeps, environment: Environment, request: FastifyRequest): Promise<Portal | undefined> {
  const { portalId } = request.params as { portalId: string };
  const portal = await findPortal(deps.db, portalId);
  if (!portal || portal.tenant.environment !== environment) return undefined;
  const ctx = ctxFor(deps, { tenant: portal.tenant, clockOffsetMicros: portal.clockOffsetMicros });
  const secure = request.protocol === 'https' || portalBase(deps.config, environment).startsWith('https:');
  return { portal, ctx, path: `${PORTAL_PATHS[environment]}/${portal.portalId}`, secure };
}

function setSessionCookie(reply: FastifyReply, p: Portal, cookie: string, expiresAt: number, now: Instant): void {
  const maxAge = expiresAt - Math.floor(now.epochMilliseconds / 1000);
  reply.header('set-cookie', cookieHeader(SESSION_COOKIE, cookie, { path: p.path, maxAgeSeconds: maxAge, secure: p.secure }));
}

function clearSessionCookie(reply: FastifyReply, p: Portal): void {
  reply.header('set-cookie', cookieHeader(SESSION_COOKIE, '', { path: p.path, maxAgeSeconds: 0, secure: p.secure }));
}

/** The signed-in customer, with the session's idle expiry moved on; undefined when not signed in. */
async function signedIn(request: FastifyRequest, reply: FastifyReply, p: Portal): Promise<SignedIn | undefined> {
  const now = p.ctx.clock.now();
  const current = readSession(p.portal.signingSecret, p.portal.portalId, readCookie(request.headers.cookie, SESSION_COOKIE), now);
  if (!current) return undefined;
  const customer = await portalCustomer(p.ctx, current.customerId);
  if (!customer) {
    clearSessionCookie(reply, p);
    return undefined;
  }
  const { session, cookie } = refreshSession(p.portal.signingSecret, p.portal.portalId, current, now);
  setSessionCookie(reply, p, cookie, session.expiresAt, now);
  return { ...p, session, customer, csrf: csrfToken(p.portal.signingSecret, p.portal.portalId, session) };
}

function frameVm(p: Portal, me: SignedIn | undefined, flash: PortalFrameVm['flash'] = null): PortalFrameVm {
  return {
    seller_name: p.portal.sellerName,
    customer_email: me?.customer.email ?? null,
    overview_url: pageUrl(p.path, 'overview'),
    sign_out: me ? { action: `${p.path}/sign-out`, csrf_token: me.csrf } : null,
    sandbox: p.portal.tenant.environment === 'sandbox',
    flash,
  };
}

function notFoundPage(reply: FastifyReply, p: Portal | undefined, me?: SignedIn): FastifyReply {
  const frame = p ? frameVm(p, me) : { seller_name: null, customer_email: null, overview_url: '', sign_out: null, sandbox: false };
  return sendHtml(reply, 404, renderNotFoundPage(frame));
}

/**
 * A form post is accepted only from a signed-in session with its CSRF token, and not from another site
 * (`Origin`/`Sec-Fetch-Site`, when the browser sends them). Otherwise: a 403 page, nothing changed.
 */
async function formSession(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, p: Portal): Promise<SignedIn | undefined> {
  if (request.headers['sec-fetch-site'] === 'cross-site') return undefined;
  const origin = request.headers.origin;
  // @NOTE under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts: then Sec-Fetch-Site
  // and the CSRF token decide.
  if (origin !== undefined && origin !== 'null') {
    const allowed = [`${request.protocol}://${request.headers.host}`, new URL(deps.config.publicUrl).origin, new URL(portalBase(deps.config, p.portal.tenant.environment)).origin];
    if (!allowed.includes(origin)) return undefined;
  }
  const me = await signedIn(request, reply, p);
  const form = (request.body ?? {}) as Form;
  if (!me || !csrfTokenMatches(p.portal.signingSecret, p.portal.portalId, me.session, form.csrf_token)) return undefined;
  return me;
}

function formExpired(reply: FastifyReply, p: Portal): FastifyReply {
  return sendHtml(reply, 403, renderFormExpiredPage(frameVm(p, undefined)));
}

// ---- Pages -------------------------------------------------------------------------------------------------

const SIGN_IN_REASONS = {
  expired: 'This link has expired. Enter your email address and we will send you a new one.',
  invalid: 'This link is not valid. Enter your email address and we will send you a sign-in link.',
} as const;

function signInPage(reply: FastifyReply, p: Portal, target: { action: PortalAction; subscriptionId?: string }, options: { email?: string; error?: string; reason?: string; status?: number } = {}): FastifyReply {
  return sendHtml(
    reply,
    options.status ?? 200,
    renderSignInPage({
      ...frameVm(p, undefined),
      action: `${p.path}/sign-in`,
      target: { action: target.action, subscription_id: target.subscriptionId ?? null },
      email: options.email ?? '',
      error: options.error ?? null,
      reason: options.reason ?? null,
    }),
  );
}

async function overviewPage(reply: FastifyReply, me: SignedIn, notice: string | null): Promise<FastifyReply> {
  const [subscriptions, payments] = await Promise.all([
    portalSubscriptions(me.ctx, me.portal, me.customer.id),
    portalPayments(me.ctx, me.portal, me.customer.id),
  ]);
  const links = linksFor(me.path);
  return sendHtml(
    reply,
    200,
    renderOverviewPage({
      ...frameVm(me, me, notice ? { kind: 'notice', message: notice } : null),
      customer_name: me.customer.name,
      subscriptions: subscriptions.map((own) => subscriptionVm(own, links)),
      payments: payments.map(paymentVm),
    }),
  );
}

async function subscriptionPage(reply: FastifyReply, me: SignedIn, own: PortalSubscription, notice: string | null): Promise<FastifyReply> {
  const payments = await portalPayments(me.ctx, me.portal, me.customer.id, { subscriptionId: own.subscription.id });
  return sendHtml(
    reply,
    200,
    renderSubscriptionPage({
      ...frameVm(me, me, notice ? { kind: 'notice', message: notice } : null),
      subscription: subscriptionVm(own, linksFor(me.path)),
      payments: payments.map(paymentVm),
    }),
  );
}

function cancelState(me: SignedIn, own: PortalSubscription): CancelState {
  const s = own.subscription;
  if (s.status === 'canceled') return { kind: 'unavailable', reason: `This subscription was canceled on ${portalDate(s.canceled_at) ?? 'an earlier date'}. There is nothing to cancel.` };
  if (s.status === 'paused') return { kind: 'unavailable', reason: 'This subscription is paused, so it cannot be canceled here. Contact the seller to cancel it.' };
  if (s.scheduled_change?.action === 'cancel') return { kind: 'scheduled', cancels_on: portalDate(s.scheduled_change.effective_at) ?? '' };
  if (s.scheduled_change) {
    return { kind: 'unavailable', reason: `This subscription has a change scheduled for ${portalDate(s.scheduled_change.effective_at)}, so it cannot be canceled until then. Contact the seller to cancel it sooner.` };
  }
  return { kind: 'confirm', action: `${me.path}/subscriptions/${s.id}/cancel`, csrf_token: me.csrf, ends_on: portalDate(s.next_billed_at) };
}

function cancelPage(reply: FastifyReply, me: SignedIn, own: PortalSubscription, error: PaddleError | null = null): FastifyReply {
  return sendHtml(
    reply,
    error ? error.status : 200,
    renderCancelPage({
      ...frameVm(me, me),
      subscription: subscriptionVm(own, linksFor(me.path)),
      state: cancelState(me, own),
      error: error ? `Your subscription was not canceled: ${error.detail}.` : null,
    }),
  );
}

async function paymentMethodPage(
  reply: FastifyReply,
  me: SignedIn,
  own: PortalSubscription,
  status = 200,
  errors: Array<{ field: CardField | null; message: string }> = [],
  form: Form = {},
): Promise<FastifyReply> {
  let amountDue: string | null = null;
  if (own.subscription.status === 'past_due') {
    const transaction = await paymentMethodTransaction(me.ctx, me.portal, me.customer.id, own.subscription.id);
    amountDue = totalsVm(transaction).amount_due;
  }
  return sendHtml(
    reply,
    status,
    renderPaymentMethodPage({
      ...frameVm(me, me),
      subscription: subscriptionVm(own, linksFor(me.path)),
      action: `${me.path}/subscriptions/${own.subscription.id}/payment-method`,
      csrf_token: me.csrf,
      amount_due: amountDue,
      errors,
      values: { cardholder_name: form.cardholder_name },
    }),
  );
}

function noticeText(notice: string | null, own: PortalSubscription | undefined): string | null {
  if (notice === 'canceled' && own?.subscription.scheduled_change?.action === 'cancel') {
    return `Your subscription will be canceled on ${portalDate(own.subscription.scheduled_change.effective_at)}. It stays active until then.`;
  }
  if (notice === 'payment_method_updated') return 'Your payment method was updated.';
  return null;
}

/** Why a deep link to a payment-method update shows the subscription's page instead (Paddle: manual, paused, canceled). */
function noPaymentMethodUpdate(own: PortalSubscription): string {
  const s = own.subscription;
  if (s.collection_mode !== 'automatic') return 'This subscription is paid by invoice, so there is no card to update.';
  return `This subscription is ${s.status === 'paused' ? 'paused' : 'canceled'}, so its payment method cannot be updated.`;
}

async function showPortal(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const query = new URLSearchParams(request.raw.url?.split('?')[1] ?? '');
  const requested = query.get('action');
  const action: PortalAction = ACTIONS.includes(requested as PortalAction) ? (requested as PortalAction) : 'overview';
  const subscriptionId = query.get('subscription_id') ?? undefined;
  const target = { action, ...(subscriptionId && isId('subscription', subscriptionId) ? { subscriptionId } : {}) };

  const token = query.get('token');
  if (token !== null) {
    query.delete('token');
    const clean = query.size > 0 ? `${p.path}?${query.toString()}` : p.path;
    const result = await signInWithToken(p.ctx, p.portal, token);
    const now = p.ctx.clock.now();
    if (result.ok) {
      const { session, cookie } = startSession(p.portal.signingSecret, p.portal.portalId, result.customerId, now);
      setSessionCookie(reply, p, cookie, session.expiresAt, now);
      return seeOther(reply, clean);
    }
    if (await signedIn(request, reply, p)) return seeOther(reply, clean);
    return signInPage(reply, p, target, { reason: SIGN_IN_REASONS[result.reason === 'expired' ? 'expired' : 'invalid'] });
  }

  const me = await signedIn(request, reply, p);
  if (!me) return signInPage(reply, p, target);
  const notice = query.get('notice');
  if (subscriptionId === undefined) return overviewPage(reply, me, noticeText(notice, undefined));
  const own = await portalSubscription(me.ctx, me.portal, me.customer.id, subscriptionId);
  if (!own) return notFoundPage(reply, p, me);
  if (action === 'cancel_subscription') return cancelPage(reply, me, own);
  if (action === 'update_subscription_payment_method') {
    if (!offersPaymentMethodUpdate(own.subscription)) return subscriptionPage(reply, me, own, noPaymentMethodUpdate(own));
    return paymentMethodPage(reply, me, own);
  }
  return subscriptionPage(reply, me, own, noticeText(notice, own));
}

// ---- Forms -------------------------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function signIn(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const form = (request.body ?? {}) as Form;
  const requested = form.action as PortalAction;
  const action: PortalAction = ACTIONS.includes(requested) ? requested : 'overview';
  const subscriptionId = form.subscription_id && isId('subscription', form.subscription_id) ? form.subscription_id : undefined;
  const target = { action, ...(subscriptionId ? { subscriptionId } : {}) };
  const email = (form.email ?? '').trim();
  if (!EMAIL.test(email) || email.length > 320) {
    return signInPage(reply, p, target, { email, error: 'Enter an email address like name@example.com.', status: 422 });
  }
  await requestSignInLink(p.ctx, p.portal, email, target, ({ link, sellerName, customerName, expiresInMinutes }) =>
    renderSignInEmail({ seller_name: sellerName, customer_name: customerName, link, expires_in_minutes: expiresInMinutes }),
  );
  return sendHtml(reply, 200, renderCheckEmailPage({ ...frameVm(p, undefined), email, retry_url: pageUrl(p.path, target.action, target.subscriptionId), expires_in_minutes: SIGN_IN_LINK_LIFETIME_SECONDS / 60 }));
}

async function signOut(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const me = await formSession(deps, request, reply, p);
  if (!me) return formExpired(reply, p);
  clearSessionCookie(reply, p);
  return seeOther(reply, pageUrl(p.path, 'overview'));
}

/** The signed-in customer's subscription named in the path, for a form post; or the reply already sent. */
async function formTarget(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<{ me: SignedIn; own: PortalSubscription } | FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const me = await formSession(deps, request, reply, p);
  if (!me) return formExpired(reply, p);
  const { subscriptionId } = request.params as { subscriptionId: string };
  const own = await portalSubscription(me.ctx, me.portal, me.customer.id, subscriptionId);
  if (!own) return notFoundPage(reply, p, me);
  return { me, own };
}

async function cancel(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const target = await formTarget(deps, environment, request, reply);
  if (!('me' in target)) return target;
  const { me, own } = target;
  try {
    await cancelFromPortal(me.ctx, me.portal, me.customer.id, own.subscription.id);
  } catch (error) {
    if (error instanceof PaddleError && error.status < 500 && error.status !== 404) return cancelPage(reply, me, own, error);
    throw error;
  }
  return seeOther(reply, pageUrl(me.path, 'overview', own.subscription.id, 'canceled'));
}

const CARD_FIELDS = new Set<string>(['cardholder_name', 'number', 'expiry_month', 'expiry_year', 'cvc']);

async function updatePaymentMethod(deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const target = await formTarget(deps, environment, request, reply);
  if (!('me' in target)) return target;
  const { me, own } = target;
  if (!offersPaymentMethodUpdate(own.subscription)) return subscriptionPage(reply, me, own, noPaymentMethodUpdate(own));
  const form = (request.body ?? {}) as Form;
  const parsed = parseCardInput(
    { number: form.number ?? '', expiry_month: form.expiry_month ?? '', expiry_year: form.expiry_year ?? '', cvc: form.cvc ?? '', cardholder_name: form.cardholder_name ?? '' },
    me.ctx.clock.now(),
  );
  if (!parsed.ok) {
    const errors = parsed.errors.map((e) => ({ field: CARD_FIELDS.has(e.field) ? (e.field as CardField) : null, message: e.message }));
    return paymentMethodPage(reply, me, own, 422, errors, form);
  }
  let outcome;
  try {
    outcome = await updatePaymentMethodFromPortal(me.ctx, me.portal, me.customer.id, own.subscription.id, parsed.card);
  } catch (error) {
    if (error instanceof PaddleError && error.status < 500 && error.status !== 404) return paymentMethodPage(reply, me, own, error.status, [{ field: null, message: error.detail }], form);
    throw error;
  }
  switch (outcome.kind) {
    case 'paid':
      return seeOther(reply, pageUrl(me.path, 'overview', own.subscription.id, 'payment_method_updated'));
    case 'action_required':
      // @NOTE the hosted checkout runs the 3-D Secure step; the paid hook saves the card when it passes.
      return seeOther(reply, `/checkout/${me.portal.portalId}/3ds/${outcome.paymentAttemptId}?_ptxn=${outcome.transaction.id}`);
    case 'declined':
      return paymentMethodPage(reply, me, own, 402, [{ field: null, message: declineMessage(parsed.card) }], form);
    case 'not_payable':
      return paymentMethodPage(reply, me, own, 409, [{ field: null, message: 'This payment cannot be taken right now. Reload the page and try again.' }], form);
  }
}

// ---- Registration ------------------------------------------------------------------------------------------

type PageHandler = (deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

export function portalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  for (const environment of ['live', 'sandbox'] as const) {
    const base = `${PORTAL_PATHS[environment]}/:portalId`;
    const route = (handler: PageHandler) => (request: FastifyRequest, reply: FastifyReply) => handler(deps, environment, request, reply);
    app.get(base, route(showPortal));
    app.post(`${base}/sign-in`, route(signIn));
    app.post(`${base}/sign-out`, route(signOut));
    app.post(`${base}/subscriptions/:subscriptionId/cancel`, route(cancel));
    app.post(`${base}/subscriptions/:subscriptionId/payment-method`, route(updatePaymentMethod));
  }
  legacyRoutes(app, deps);
  // @NOTE app.ts lists the portal once (WEB_ROUTES); the portal's API operation and the emails test helper are
  // registered from here, in a child context that drops the form-body parser so they accept JSON only, exactly
  // as the other API routes do.
  void app.register(async (api) => {
    api.removeContentTypeParser('application/x-www-form-urlencoded');
    customerPortalRoutes(api, deps);
    emailRoutes(api, deps);
  });
}
