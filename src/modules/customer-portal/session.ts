// The portal's signed-in state, kept by the browser alone: a cookie holding the customer, a random session id and
// two expiry times, MACed (HMAC-SHA256) with a key derived from the environment's portal signing secret. The server
// also records each session (session-store.ts, the id's hash only), so signing out ends it for good.
// Lifetimes follow the portal research (NIST AAL2 shape): 30 minutes idle, 12 hours at most.
// Forms carry a CSRF token derived from the same key and the session id (a new id at every sign-in).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Instant } from '../../kernel/time.js';

export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
export const SESSION_COOKIE = 'paddock_portal_session';

export interface PortalSession {
  customerId: string;
  /** 128 random bits, new at every sign-in: what the CSRF token is bound to. */
  sessionId: string;
  /** Unix seconds: when the customer signed in, and when the session ends unless used again. */
  signedInAt: number;
  expiresAt: number;
}

function derivedKey(secret: string, purpose: 'session' | 'csrf'): Buffer {
  return createHmac('sha256', secret).update(`paddock/customer-portal/${purpose}/v1`).digest();
}

function mac(secret: string, purpose: 'session' | 'csrf', message: string): Buffer {
  return createHmac('sha256', derivedKey(secret, purpose)).update(message).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const seconds = (now: Instant) => Math.floor(now.epochMilliseconds / 1000);

function seal(secret: string, portalId: string, session: PortalSession): string {
  const payload = Buffer.from(
    JSON.stringify({ c: session.customerId, s: session.sessionId, i: session.signedInAt, e: session.expiresAt }),
  ).toString('base64url');
  return `${payload}.${mac(secret, 'session', `${portalId}.${payload}`).toString('base64url')}`;
}

/** A new session for the customer (a new session id), and its cookie value. */
export function startSession(
  secret: string,
  portalId: string,
  customerId: string,
  now: Instant,
): { session: PortalSession; cookie: string } {
  const signedInAt = seconds(now);
  const session: PortalSession = {
    customerId,
    sessionId: randomBytes(16).toString('base64url'),
    signedInAt,
    expiresAt: signedInAt + SESSION_IDLE_SECONDS,
  };
  return { session, cookie: seal(secret, portalId, session) };
}

/** The session with its idle expiry moved on (never past the absolute limit), and its cookie value. */
export function refreshSession(
  secret: string,
  portalId: string,
  session: PortalSession,
  now: Instant,
): { session: PortalSession; cookie: string } {
  const expiresAt = Math.min(seconds(now) + SESSION_IDLE_SECONDS, session.signedInAt + SESSION_ABSOLUTE_SECONDS);
  const next = { ...session, expiresAt };
  return { session: next, cookie: seal(secret, portalId, next) };
}

/** The session a cookie carries, when its MAC is right for this portal and it has not expired. */
export function readSession(
  secret: string,
  portalId: string,
  cookie: string | undefined,
  now: Instant,
): PortalSession | undefined {
  if (!cookie) return undefined;
  const [payload, signature, extra] = cookie.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!sameBytes(Buffer.from(signature, 'base64url'), mac(secret, 'session', `${portalId}.${payload}`)))
    return undefined;
  let claims: { c?: unknown; s?: unknown; i?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { c, s, i, e } = claims;
  if (typeof c !== 'string' || typeof s !== 'string' || typeof i !== 'number' || typeof e !== 'number')
    return undefined;
  const at = seconds(now);
  if (at >= e || at >= i + SESSION_ABSOLUTE_SECONDS) return undefined;
  return { customerId: c, sessionId: s, signedInAt: i, expiresAt: e };
}

/** The token every form of this session carries. */
export function csrfToken(secret: string, portalId: string, session: PortalSession): string {
  return mac(secret, 'csrf', `${portalId}.${session.sessionId}`).toString('base64url');
}

export function csrfTokenMatches(secret: string, portalId: string, session: PortalSession, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0 || token.length > 100) return false;
  return sameBytes(Buffer.from(token, 'base64url'), Buffer.from(csrfToken(secret, portalId, session), 'base64url'));
}
