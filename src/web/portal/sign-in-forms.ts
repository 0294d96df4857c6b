// The portal's sign-in forms: ask for an email (it carries a link and a 6-digit code), sign in with the emailed
// link (the POST of its confirmation page) or with the code. Success starts a session and redirects (303) to the
// page the customer was going to; anything else shows the form again with what went wrong, in words that never
// say whether the address belongs to a customer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../db/tables.js';
import type { ServerDeps } from '../../http/operation.js';
import { formFields } from '../../http/request-values.js';
import { isId } from '../../kernel/ids.js';
import {
  normalizeCode,
  requestSignIn,
  signInWithCode,
  signInWithLink,
  SIGN_IN_LIFETIME_SECONDS,
  type CodeRefusal,
  type SignedIn,
  type SignInTarget,
} from '../../modules/customer-portal/sign-in.js';
import { SIGN_IN_REASONS, signInPage } from './pages.js';
import {
  formExpired,
  frameVm,
  notFoundPage,
  pageUrl,
  portalAction,
  postedFromThisSite,
  resolvePortal,
  seeOther,
  setSessionCookie,
  type Form,
  type Portal,
} from './portal-http.js';
import { renderSignInEmail } from './sign-in-email.js';
import { renderCheckEmailPage } from './views.js';
import { sendHtml } from '../shared/respond.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a typed address can be a customer's: one rule for the sign-in and the code forms (320: RFC 5321's limit). */
function isEmailAddress(email: string): boolean {
  return EMAIL.test(email) && email.length <= 320;
}
const BAD_EMAIL = 'Enter an email address like name@example.com.';

export const TOO_MANY_REQUESTS = 'Too many sign-in attempts from your network. Wait 15 minutes, then try again.';

/** Paddle-like words for a code that did not sign in. */
export const CODE_ERRORS: Record<CodeRefusal | 'malformed', string> = {
  malformed: 'Enter the 6-digit code from your email.',
  wrong: "That code isn't right. Check the code in your email and try again.",
  tries_used: 'Too many incorrect attempts. This code no longer works: request a new code.',
  expired: 'This code has expired. Request a new code.',
  client_limited: TOO_MANY_REQUESTS,
  address_limited:
    'Too many incorrect attempts for this email address. Sign in with the link in your email, or try again tomorrow.',
};

const CODE_STATUS: Record<CodeRefusal | 'malformed', number> = {
  malformed: 422,
  wrong: 422,
  tries_used: 422,
  expired: 422,
  client_limited: 429,
  address_limited: 429,
};

/** The page to land on after signing in, from a sign-in form's hidden fields. */
function formTarget(form: Form): SignInTarget {
  const subscriptionId =
    form.subscription_id && isId('subscription', form.subscription_id) ? form.subscription_id : undefined;
  return { action: portalAction(form.action), ...(subscriptionId ? { subscriptionId } : {}) };
}

function checkEmailPage(
  reply: FastifyReply,
  p: Portal,
  email: string,
  target: SignInTarget,
  codeError: { status: number; message: string } | null = null,
): FastifyReply {
  return sendHtml(
    reply,
    codeError?.status ?? 200,
    renderCheckEmailPage({
      ...frameVm(p, undefined),
      email,
      retry_url: pageUrl(p.path, target.action, target.subscriptionId),
      expires_in_minutes: SIGN_IN_LIFETIME_SECONDS / 60,
      code_action: `${p.path}/sign-in/code`,
      target: { action: target.action, subscription_id: target.subscriptionId ?? null },
      code_error: codeError?.message ?? null,
    }),
  );
}

/** The session cookie, and a redirect to the page the customer was going to. */
function landSignedIn(reply: FastifyReply, p: Portal, signedIn: SignedIn, target: SignInTarget): FastifyReply {
  setSessionCookie(reply, p, signedIn.cookie, signedIn.session.expiresAt, p.ctx.clock.now());
  return seeOther(reply, pageUrl(p.path, target.action, target.subscriptionId));
}

/** `POST {portal}/sign-in`: emails a link and a code (limited per address and per client). */
export async function signIn(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  const form = formFields(request);
  const target = formTarget(form);
  const email = (form.email ?? '').trim();
  if (!isEmailAddress(email)) {
    return signInPage(reply, p, target, { email, error: BAD_EMAIL, status: 422 });
  }
  const asked = await requestSignIn(
    p.ctx,
    p.portal,
    email,
    target,
    request.ip,
    ({ link, code, sellerName, customerName, expiresInMinutes }) =>
      renderSignInEmail({
        seller_name: sellerName,
        customer_name: customerName,
        link,
        code,
        expires_in_minutes: expiresInMinutes,
      }),
  );
  if (asked === 'client_limited')
    return signInPage(reply, p, target, { email, reason: TOO_MANY_REQUESTS, status: 429 });
  return checkEmailPage(reply, p, email, target);
}

/**
 * The portal, fields and target of a sign-in form posted from the portal's own pages; otherwise the reply already
 * sent (404 for an unknown portal, the expired-form page for a post from another site).
 */
async function postedSignInForm(
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const p = await resolvePortal(deps, environment, request);
  if (!p) return notFoundPage(reply, undefined);
  if (!postedFromThisSite(deps, request, p)) return formExpired(reply, p);
  const form = formFields(request);
  return { p, form, target: formTarget(form) };
}

type PostedSignIn = Exclude<Awaited<ReturnType<typeof postedSignInForm>>, FastifyReply>;

/** The route handler of a sign-in form: `handle` runs for a form posted from the portal's own pages only. */
function signInForm(
  handle: (posted: PostedSignIn, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
) {
  return async (deps: ServerDeps, environment: Environment, request: FastifyRequest, reply: FastifyReply) => {
    const posted = await postedSignInForm(deps, environment, request, reply);
    return 'form' in posted ? handle(posted, request, reply) : posted;
  };
}

/** `POST {portal}/sign-in/link`: the confirmation page's button; uses the emailed link once. */
export const signInByLink = signInForm(async ({ p, form, target }, _request, reply) => {
  const token = form.token ?? '';
  const result = token.length > 0 && token.length <= 4096 ? await signInWithLink(p.ctx, p.portal, token) : undefined;
  if (result?.ok) return landSignedIn(reply, p, result, target);
  const reason = result?.reason ?? 'invalid';
  return signInPage(reply, p, target, { reason: SIGN_IN_REASONS[reason], status: reason === 'invalid' ? 400 : 410 });
});

/** `POST {portal}/sign-in/code`: the 6-digit code from the email, for the address it was sent to. */
export const signInByCode = signInForm(async ({ p, form, target }, request, reply) => {
  const email = (form.email ?? '').trim();
  if (!isEmailAddress(email)) return signInPage(reply, p, target, { email, error: BAD_EMAIL, status: 422 });
  const code = normalizeCode(form.code ?? '');
  const result = code
    ? await signInWithCode(p.ctx, p.portal, email, code, request.ip)
    : ({ ok: false, reason: 'malformed' } as const);
  if (result.ok) return landSignedIn(reply, p, result, target);
  return checkEmailPage(reply, p, email, target, {
    status: CODE_STATUS[result.reason],
    message: CODE_ERRORS[result.reason],
  });
});
