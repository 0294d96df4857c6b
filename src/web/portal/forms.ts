// The portal's form posts (sign-in forms: sign-in-forms.ts): sign out, cancel at the period end, and a new card. Each
// answers with a redirect (303) on success, or the page again with what went wrong.
import { endSession } from '../../modules/customer-portal/session-store.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { declineMessage, parseCardInput } from '../../billing/test-cards.js';
import type { Environment } from '../../db/tables.js';
import type { ServerDeps } from '../../http/operation.js';
import { PaddleError } from '../../kernel/errors.js';
import {
  cancelFromPortal,
  portalSubscription,
  updatePaymentMethodFromPortal,
  type PortalSubscription,
} from '../../modules/customer-portal/account.js';
import { cancelPage, noPaymentMethodUpdate, paymentMethodPage, subscriptionPage } from './pages.js';
import {
  clearSessionCookie,
  formExpired,
  formSession,
  notFoundPage,
  pageUrl,
  resolvePortal,
  seeOther,
  type SignedIn,
} from './portal-http.js';
import { offersPaymentMethodUpdate } from './view-models.js';
import { isCardField } from '../shared/fields.js';
import { formFields, pathParam } from '../../http/request-values.js';

export async function signOut(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const me = await formSession(deps, request, reply, p);
  if (!me) return formExpired(reply, p);
  await endSession(p.ctx, me.session);
  clearSessionCookie(reply, p);
  return seeOther(reply, pageUrl(p.path, 'overview'));
}

/** The signed-in customer's subscription named in the path, for a form post; or the reply already sent. */
export async function formTarget(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ me: SignedIn; own: PortalSubscription } | FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const me = await formSession(deps, request, reply, p);
  if (!me) return formExpired(reply, p);
  const subscriptionId = pathParam(request, 'subscriptionId');
  const own = await portalSubscription(me.ctx, me.portal, me.customer.id, subscriptionId);
  if (!own) return notFoundPage(reply, p, me);
  return { me, own };
}

export async function cancel(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const target = await formTarget(deps, environment, request, reply);
  if (!('me' in target)) return target;
  const { me, own } = target;
  try {
    await cancelFromPortal(me.ctx, me.portal, me.customer.id, own.subscription.id);
  } catch (error) {
    if (error instanceof PaddleError && error.status < 500 && error.status !== 404)
      return cancelPage(reply, me, own, error);
    throw error;
  }
  return seeOther(reply, pageUrl(me.path, 'overview', own.subscription.id, 'canceled'));
}

export async function updatePaymentMethod(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const target = await formTarget(deps, environment, request, reply);
  if (!('me' in target)) return target;
  const { me, own } = target;
  if (!offersPaymentMethodUpdate(own.subscription)) return subscriptionPage(reply, me, own, noPaymentMethodUpdate(own));
  const form = formFields(request);
  const parsed = parseCardInput(
    {
      number: form.number ?? '',
      expiry_month: form.expiry_month ?? '',
      expiry_year: form.expiry_year ?? '',
      cvc: form.cvc ?? '',
      cardholder_name: form.cardholder_name ?? '',
    },
    me.ctx.clock.now(),
  );
  if (!parsed.ok) {
    const errors = parsed.errors.map((e) => ({ field: isCardField(e.field) ? e.field : null, message: e.message }));
    return paymentMethodPage(reply, me, own, 422, errors, form);
  }
  let outcome;
  try {
    outcome = await updatePaymentMethodFromPortal(me.ctx, me.portal, me.customer.id, own.subscription.id, parsed.card, {
      ...(form.transaction_id ? { transactionId: form.transaction_id } : {}),
      ...(form.attempt_key ? { attemptKey: form.attempt_key.slice(0, 100) } : {}),
    });
  } catch (error) {
    if (error instanceof PaddleError && error.status < 500 && error.status !== 404)
      return paymentMethodPage(reply, me, own, error.status, [{ field: null, message: error.detail }], form);
    throw error;
  }
  switch (outcome.kind) {
    case 'paid':
      return seeOther(reply, pageUrl(me.path, 'overview', own.subscription.id, 'payment_method_updated'));
    case 'action_required':
      // @NOTE the hosted checkout runs the 3-D Secure step; the paid hook saves the card when it passes.
      return seeOther(
        reply,
        `${deps.config.publicUrl}/checkout/${me.portal.portalId}/3ds/${outcome.paymentAttemptId}?_ptxn=${outcome.transaction.id}`,
      );
    case 'declined':
      return paymentMethodPage(reply, me, own, 402, [{ field: null, message: declineMessage(parsed.card) }], form);
    case 'not_payable':
      return paymentMethodPage(
        reply,
        me,
        own,
        409,
        [{ field: null, message: 'This payment cannot be taken right now. Reload the page and try again.' }],
        form,
      );
  }
}
