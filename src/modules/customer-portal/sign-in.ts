// Signing in to the portal: with a `pga_` token from an API-minted link, or by email. An email carries a sign-in
// link and a 6-digit code of one sign-in (issue #12 item 8): either signs in once, within 15 minutes on the
// tenant's clock, and only by a POST (opening the link shows a confirmation page, so mail scanners that open links
// do not use them up). Links and codes are kept only as HMACs. Sign-in emails are limited per address and per
// client, code tries per code and per client (item 9). Nothing here says whether an address belongs to a customer:
// an unknown address gets a sign-in row too (without link, code or email), so limits and code tries behave alike.
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Ctx, withTransaction } from '../../context.js';
import { PaddleError } from '../../kernel/errors.js';
import { toStoredTime } from '../../kernel/time.js';
import { deliver, keepEmail } from '../emails/service.js';
import { getCustomerRow, listCustomers } from '../customers/service.js';
import type { PortalTenant } from '../sellers/service.js';
import { portalBase, portalLink, type PortalAction } from '../sellers/portal-links.js';
import { mintPortalToken, verifyPortalToken, type PortalTokenClaims } from '../sellers/portal-tokens.js';
import { allowRequest, type RateLimit } from './rate-limit.js';
import {
  deleteSignInsExpiredBefore,
  endPendingSignIns,
  findSignInByLink,
  insertSignIn,
  newestUnusedSignIn,
  takeCodeTry,
  useSignIn,
} from './repository.js';
import { startSession, type PortalSession } from './session.js';
import { recordSession } from './session-store.js';

/**
 * An emailed link and code work for 15 minutes (portal research: magic links 15 min; NIST's 10 min for codes is
 * traded for one lifetime per email, as guessing is bounded by the tries below).
 */
export const SIGN_IN_LIFETIME_SECONDS = 15 * 60;
export const SIGN_IN_EMAIL_KIND = 'portal_sign_in';
/** Wrong tries a code takes before it stops working (portal research: 5 per code). */
export const CODE_TRIES = 5;

const FIFTEEN_MINUTES = 15 * 60;
/** How long a sign-in's row is kept after it expired. */
const SIGN_IN_KEPT_SECONDS = 24 * 60 * 60;

/**
 * The limits, each per tenant (seller × environment) on its clock; the client is the request's IP address as
 * Fastify sees it (the socket's peer, or the proxy's client with PADDOCK_TRUST_PROXY). Refused requests are not
 * counted. Documented in ARCHITECTURE.md ("Portal sign-in by email") and README.
 */
export const SIGN_IN_LIMITS = {
  /** Sign-in emails to one address: over it the portal answers as usual and sends nothing. */
  perAddress: { bucket: 'portal_sign_in_address', max: 3, windowSeconds: FIFTEEN_MINUTES },
  /** Sign-in requests from one client, whatever the address: over it the portal answers 429. */
  perClient: { bucket: 'portal_sign_in_client', max: 6, windowSeconds: FIFTEEN_MINUTES },
  /** Codes typed by one client, right or wrong: over it the portal answers 429. */
  codeTriesPerClient: { bucket: 'portal_sign_in_code_client', max: 12, windowSeconds: FIFTEEN_MINUTES },
  /**
   * Codes typed for one address, from any clients: without it, clients at many addresses could try 15 codes per
   * 15 minutes (3 emails × 5 tries) for ever (1,440 guesses a day); NIST SP 800-63B wants at most 100 failures per
   * account. Over it the portal answers 429; the emailed link still works.
   */
  codeTriesPerAddress: { bucket: 'portal_sign_in_code_address', max: 20, windowSeconds: 24 * 60 * 60 },
} as const satisfies Record<string, RateLimit>;

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
  /** Six digits, e.g. "048213". */
  code: string;
  sellerName: string;
  customerName: string | null;
  expiresInMinutes: number;
}) => SignInEmail;

// ---- Hashes -------------------------------------------------------------------------------------------------

function signInKey(portal: PortalTenant): Buffer {
  return createHmac('sha256', portal.signingSecret).update('paddock/customer-portal/sign-in/v1').digest();
}

function linkHash(portal: PortalTenant, token: string): string {
  return createHmac('sha256', signInKey(portal)).update(`link\n${token}`).digest('hex');
}

/** Bound to the sign-in's id, so one code typed against several sign-ins is a separate comparison for each. */
function codeHash(portal: PortalTenant, signInId: string, code: string): string {
  return createHmac('sha256', signInKey(portal)).update(`code\n${signInId}\n${code}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The six digits someone typed (spaces and dashes dropped), or undefined when it is not a 6-digit code. */
export function normalizeCode(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

// ---- Asking for an email ------------------------------------------------------------------------------------

/**
 * Emails a sign-in link and code to the customer with this address, if there is one and neither the client nor
 * the address asked too often lately. `client` is the requester's key (its IP address).
 * @returns 'client_limited' when this client asked too often (nothing is sent); 'asked' otherwise, whether or not
 * an email went out (the page the customer sees is the same).
 */
export async function requestSignIn(
  ctx: Ctx,
  portal: PortalTenant,
  email: string,
  target: SignInTarget,
  client: string,
  compose: SignInEmailComposer,
): Promise<'asked' | 'client_limited'> {
  if (!(await allowRequest(ctx, SIGN_IN_LIMITS.perClient, client))) return 'client_limited';
  const emailKey = email.toLowerCase();
  if (!(await allowRequest(ctx, SIGN_IN_LIMITS.perAddress, emailKey))) return 'asked';
  const found = await listCustomers(
    ctx,
    { email: [email] },
    { perPage: 1, orderBy: { field: 'id', direction: 'ASC' } },
  );
  const customer = found.rows[0];
  const now = ctx.clock.now();
  // Sign-ins are kept a day past their expiry (to say "expired" rather than "wrong"), then forgotten.
  await deleteSignInsExpiredBefore(ctx.db, ctx.tenant, toStoredTime(now.subtract({ seconds: SIGN_IN_KEPT_SECONDS })));
  // @NOTE never shown to anyone: a random id, not a Paddle-style one.
  const id = randomUUID();
  const row = {
    ...ctx.tenant,
    id,
    email_key: emailKey,
    created_at: toStoredTime(now),
    expires_at: toStoredTime(now.add({ seconds: SIGN_IN_LIFETIME_SECONDS })),
    used_at: null,
  };
  if (!customer) {
    await insertSignIn(ctx.db, { ...row, customer_id: null, link_hash: null, code_hash: null });
    return 'asked';
  }
  const token = await mintPortalToken(portal.signingSecret, {
    customerId: customer.id,
    tenant: portal.tenant,
    usage: 'magic-link',
    now,
    lifetimeSeconds: SIGN_IN_LIFETIME_SECONDS,
  });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const link = portalLink(
    portalBase(ctx.config, portal.tenant.environment),
    portal.portalId,
    target.action,
    target.subscriptionId,
    token,
  );
  const content = compose({
    link,
    code,
    sellerName: portal.sellerName,
    customerName: customer.name,
    expiresInMinutes: SIGN_IN_LIFETIME_SECONDS / 60,
  });
  const kept = await withTransaction(ctx, async (ctx) => {
    await insertSignIn(ctx.db, {
      ...row,
      customer_id: customer.id,
      link_hash: linkHash(portal, token),
      code_hash: codeHash(portal, id, code),
    });
    return keepEmail(ctx, { kind: SIGN_IN_EMAIL_KIND, to: customer.email, fromName: portal.sellerName, ...content });
  });
  void deliver(ctx, kept, portal.sellerName);
  return 'asked';
}

// ---- Using a link or a code ---------------------------------------------------------------------------------

export type SignedIn = { ok: true; session: PortalSession; cookie: string };

/**
 * Uses the sign-in (once: of concurrent calls exactly one succeeds), ends the address's other pending ones, and
 * starts and records a session, all in one transaction. Undefined when the sign-in was used or expired meanwhile.
 */
async function completeSignIn(
  ctx: Ctx,
  portal: PortalTenant,
  row: { id: string; email_key: string; customer_id: string },
): Promise<SignedIn | undefined> {
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const at = toStoredTime(now);
    if (!(await useSignIn(ctx.db, ctx.tenant, row.id, at))) return undefined;
    await endPendingSignIns(ctx.db, ctx.tenant, row.email_key, at);
    const { session, cookie } = startSession(portal.signingSecret, portal.portalId, row.customer_id, now);
    await recordSession(ctx, session);
    return { ok: true as const, session, cookie };
  });
}

type LinkRefusal = 'expired' | 'used' | 'invalid';

type LinkCheck = { ok: true; email: string; customerId: string; signInId: string } | { ok: false; reason: LinkRefusal };

/** Whether an emailed link (its token verified: `claims`) can still sign in; reads only. */
async function checkEmailedLink(
  ctx: Ctx,
  portal: PortalTenant,
  token: string,
  claims: PortalTokenClaims,
): Promise<LinkCheck> {
  if (claims.usage !== 'magic-link') return { ok: false, reason: 'invalid' };
  const row = await findSignInByLink(ctx.db, ctx.tenant, linkHash(portal, token));
  if (!row || row.customer_id !== claims.customerId) return { ok: false, reason: 'invalid' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (row.expires_at <= toStoredTime(ctx.clock.now())) return { ok: false, reason: 'expired' };
  return { ok: true, email: row.email_key, customerId: row.customer_id, signInId: row.id };
}

export type LinkOpened =
  /** An API-minted link (portal sessions, `management_urls`): it signs in at once, as often as it is opened. */
  | { kind: 'sign_in'; customerId: string }
  /** An emailed link still unused: the page asks to confirm, and only that POST (`signInWithLink`) uses it. */
  | { kind: 'confirm'; email: string }
  | { kind: 'refused'; reason: LinkRefusal };

/**
 * What opening a portal link with `token` does (a GET: it never uses an emailed link). The token is checked
 * against the portal's secret and the tenant's clock; its customer must exist in the tenant.
 */
export async function openLink(ctx: Ctx, portal: PortalTenant, token: string): Promise<LinkOpened> {
  const check = await verifyPortalToken(portal.signingSecret, token, portal.tenant, ctx.clock.now());
  if (!check.ok) return { kind: 'refused', reason: check.reason === 'expired' ? 'expired' : 'invalid' };
  if (check.claims.usage === 'magic-link') {
    const emailed = await checkEmailedLink(ctx, portal, token, check.claims);
    return emailed.ok ? { kind: 'confirm', email: emailed.email } : { kind: 'refused', reason: emailed.reason };
  }
  try {
    await getCustomerRow(ctx, check.claims.customerId);
  } catch (error) {
    if (error instanceof PaddleError && error.code === 'not_found') return { kind: 'refused', reason: 'invalid' };
    throw error;
  }
  return { kind: 'sign_in', customerId: check.claims.customerId };
}

/** Signs in with an emailed link's token (the confirmation page's POST): once, however many POSTs race. */
export async function signInWithLink(
  ctx: Ctx,
  portal: PortalTenant,
  token: string,
): Promise<SignedIn | { ok: false; reason: LinkRefusal }> {
  const verified = await verifyPortalToken(portal.signingSecret, token, portal.tenant, ctx.clock.now());
  if (!verified.ok) return { ok: false, reason: verified.reason === 'expired' ? 'expired' : 'invalid' };
  const check = await checkEmailedLink(ctx, portal, token, verified.claims);
  if (!check.ok) return check;
  const signedIn = await completeSignIn(ctx, portal, {
    id: check.signInId,
    email_key: check.email,
    customer_id: check.customerId,
  });
  return signedIn ?? { ok: false, reason: 'used' };
}

export type CodeRefusal = 'wrong' | 'tries_used' | 'expired' | 'client_limited' | 'address_limited';

/**
 * Signs in with the 6-digit code emailed to `email` (`code` already normalized). A code is compared only after a
 * try is taken from it, so it gets at most CODE_TRIES comparisons, however many guesses arrive at once.
 * @returns a session, or why not: 'wrong' (try again), 'tries_used' (this address's codes took CODE_TRIES wrong
 * tries: ask for a new one), 'expired', 'client_limited' (this client typed too many codes lately),
 * 'address_limited' (too many codes were typed for this address today, by anyone).
 */
export async function signInWithCode(
  ctx: Ctx,
  portal: PortalTenant,
  email: string,
  code: string,
  client: string,
): Promise<SignedIn | { ok: false; reason: CodeRefusal }> {
  if (!(await allowRequest(ctx, SIGN_IN_LIMITS.codeTriesPerClient, client)))
    return { ok: false, reason: 'client_limited' };
  const emailKey = email.toLowerCase();
  if (!(await allowRequest(ctx, SIGN_IN_LIMITS.codeTriesPerAddress, emailKey)))
    return { ok: false, reason: 'address_limited' };
  const at = toStoredTime(ctx.clock.now());
  const tried = await takeCodeTry(ctx.db, ctx.tenant, emailKey, at, CODE_TRIES);
  for (const row of tried) {
    if (row.customer_id === null || row.code_hash === null) continue;
    if (!sameHash(row.code_hash, codeHash(portal, row.id, code))) continue;
    const signedIn = await completeSignIn(ctx, portal, {
      id: row.id,
      email_key: emailKey,
      customer_id: row.customer_id,
    });
    if (signedIn) return signedIn;
  }
  if (tried.length > 0) {
    const triesLeft = tried.some((row) => Number(row.code_attempts) < CODE_TRIES);
    return { ok: false, reason: triesLeft ? 'wrong' : 'tries_used' };
  }
  // No code of the address could take a try: say why from its newest unused sign-in.
  const newest = await newestUnusedSignIn(ctx.db, ctx.tenant, emailKey);
  if (!newest) return { ok: false, reason: 'wrong' };
  return { ok: false, reason: newest.expires_at <= at ? 'expired' : 'tries_used' };
}
