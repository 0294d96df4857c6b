// The portal's GET pages: a token link signs in and redirects without the token; otherwise the signed-in
// customer sees the overview, one subscription, the cancel confirmation or the new-card form, and anyone else the
// sign-in page. Another customer's subscription is "not found".
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../db/tables.js';
import type { ServerDeps } from '../../http/operation.js';
import type { PaddleError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import {
  paymentMethodTransaction,
  portalPayments,
  portalSubscription,
  portalSubscriptions,
  type PortalSubscription,
} from '../../modules/customer-portal/account.js';
import type { PortalAction } from '../../modules/sellers/portal-links.js';
import { startSession } from '../../modules/customer-portal/session.js';
import { recordSession } from '../../modules/customer-portal/session-store.js';
import { openLink } from '../../modules/customer-portal/sign-in.js';
import { totalsVm } from '../checkout/view-models.js';
import {
  portalAction,
  frameVm,
  linksFor,
  notFoundPage,
  resolvePortal,
  seeOther,
  setSessionCookie,
  signedIn,
  type Form,
  type Portal,
  type SignedIn,
} from './portal-http.js';
import { sendHtml } from '../shared/respond.js';
import { offersPaymentMethodUpdate, paymentVm, portalDate, subscriptionVm } from './view-models.js';
import {
  renderCancelPage,
  renderConfirmSignInPage,
  renderOverviewPage,
  renderPaymentMethodPage,
  renderSignInPage,
  renderSubscriptionPage,
  type CancelState,
  type CardField,
} from './views.js';

export const SIGN_IN_REASONS = {
  expired: 'This link has expired. Enter your email address and we will send you a new one.',
  used: 'This link has already been used. Enter your email address and we will send you a new one.',
  invalid: 'This link is not valid. Enter your email address and we will send you a sign-in link.',
} as const;

/** The page an emailed link opens: a button that signs in (a POST with the link's token). */
export function confirmSignInPage(
  reply: FastifyReply,
  p: Portal,
  target: { action: PortalAction; subscriptionId?: string },
  token: string,
  email: string,
): FastifyReply {
  return sendHtml(
    reply,
    200,
    renderConfirmSignInPage({
      ...frameVm(p, undefined),
      action: `${p.path}/sign-in/link`,
      token,
      target: { action: target.action, subscription_id: target.subscriptionId ?? null },
      email,
    }),
  );
}

export function signInPage(
  reply: FastifyReply,
  p: Portal,
  target: { action: PortalAction; subscriptionId?: string },
  options: { email?: string; error?: string; reason?: string; status?: number } = {},
): FastifyReply {
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

export async function overviewPage(reply: FastifyReply, me: SignedIn, notice: string | null): Promise<FastifyReply> {
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

export async function subscriptionPage(
  reply: FastifyReply,
  me: SignedIn,
  own: PortalSubscription,
  notice: string | null,
): Promise<FastifyReply> {
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

export function cancelState(me: SignedIn, own: PortalSubscription): CancelState {
  const s = own.subscription;
  if (s.status === 'canceled')
    return {
      kind: 'unavailable',
      reason: `This subscription was canceled on ${portalDate(s.canceled_at) ?? 'an earlier date'}. There is nothing to cancel.`,
    };
  if (s.status === 'paused')
    return {
      kind: 'unavailable',
      reason: 'This subscription is paused, so it cannot be canceled here. Contact the seller to cancel it.',
    };
  if (s.scheduled_change?.action === 'cancel')
    return { kind: 'scheduled', cancels_on: portalDate(s.scheduled_change.effective_at) ?? '' };
  if (s.scheduled_change) {
    return {
      kind: 'unavailable',
      reason: `This subscription has a change scheduled for ${portalDate(s.scheduled_change.effective_at)}, so it cannot be canceled until then. Contact the seller to cancel it sooner.`,
    };
  }
  return {
    kind: 'confirm',
    action: `${me.path}/subscriptions/${s.id}/cancel`,
    csrf_token: me.csrf,
    ends_on: portalDate(s.next_billed_at),
  };
}

export function cancelPage(
  reply: FastifyReply,
  me: SignedIn,
  own: PortalSubscription,
  error: PaddleError | null = null,
): FastifyReply {
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

export async function paymentMethodPage(
  reply: FastifyReply,
  me: SignedIn,
  own: PortalSubscription,
  status = 200,
  errors: Array<{ field: CardField | null; message: string }> = [],
  form: Form = {},
): Promise<FastifyReply> {
  // @NOTE like Paddle's GET update-payment-method-transaction, showing the form readies the transaction the card
  // pays (an open zero-value one is reused); the form names it, so a form sent twice is one payment.
  const transaction = await paymentMethodTransaction(me.ctx, me.portal, me.customer.id, own.subscription.id);
  const amountDue = transaction.status === 'past_due' ? totalsVm(transaction).amount_due : null;
  return sendHtml(
    reply,
    status,
    renderPaymentMethodPage({
      ...frameVm(me, me),
      subscription: subscriptionVm(own, linksFor(me.path)),
      action: `${me.path}/subscriptions/${own.subscription.id}/payment-method`,
      csrf_token: me.csrf,
      transaction_id: transaction.id,
      attempt_key: randomUUID(),
      amount_due: amountDue,
      errors,
      values: { cardholder_name: form.cardholder_name },
    }),
  );
}

export function noticeText(notice: string | null, own: PortalSubscription | undefined): string | null {
  if (notice === 'canceled' && own?.subscription.scheduled_change?.action === 'cancel') {
    return `Your subscription will be canceled on ${portalDate(own.subscription.scheduled_change.effective_at)}. It stays active until then.`;
  }
  if (notice === 'payment_method_updated') return 'Your payment method was updated.';
  return null;
}

/** Why a deep link to a payment-method update shows the subscription's page instead (Paddle: manual, paused, canceled). */
export function noPaymentMethodUpdate(own: PortalSubscription): string {
  const s = own.subscription;
  if (s.collection_mode !== 'automatic') return 'This subscription is paid by invoice, so there is no card to update.';
  return `This subscription is ${s.status === 'paused' ? 'paused' : 'canceled'}, so its payment method cannot be updated.`;
}

export async function showPortal(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const query = new URLSearchParams(request.raw.url?.split('?')[1] ?? '');
  const requested = query.get('action');
  const action = portalAction(requested);
  const subscriptionId = query.get('subscription_id') ?? undefined;
  const target = { action, ...(subscriptionId && isId('subscription', subscriptionId) ? { subscriptionId } : {}) };

  const token = query.get('token');
  if (token !== null) {
    query.delete('token');
    const clean = query.size > 0 ? `${p.path}?${query.toString()}` : p.path;
    const opened = await openLink(p.ctx, p.portal, token);
    if (opened.kind === 'sign_in') {
      const now = p.ctx.clock.now();
      const { session, cookie } = startSession(p.portal.signingSecret, p.portal.portalId, opened.customerId, now);
      await recordSession(p.ctx, session);
      setSessionCookie(reply, p, cookie, session.expiresAt, now);
      return seeOther(reply, clean);
    }
    // @NOTE an emailed link only shows a page with a button: opening it (as mail scanners do) uses nothing.
    if (opened.kind === 'confirm') return confirmSignInPage(reply, p, target, token, opened.email);
    if (await signedIn(request, reply, p)) return seeOther(reply, clean);
    return signInPage(reply, p, target, { reason: SIGN_IN_REASONS[opened.reason] });
  }

  const me = await signedIn(request, reply, p);
  if (!me) return signInPage(reply, p, target);
  const notice = query.get('notice');
  if (subscriptionId === undefined) return overviewPage(reply, me, noticeText(notice, undefined));
  const own = await portalSubscription(me.ctx, me.portal, me.customer.id, subscriptionId);
  if (!own) return notFoundPage(reply, p, me);
  if (action === 'cancel_subscription') return cancelPage(reply, me, own);
  if (action === 'update_subscription_payment_method') {
    if (!offersPaymentMethodUpdate(own.subscription))
      return subscriptionPage(reply, me, own, noPaymentMethodUpdate(own));
    return paymentMethodPage(reply, me, own);
  }
  return subscriptionPage(reply, me, own, noticeText(notice, own));
}
