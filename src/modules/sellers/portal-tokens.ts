// `pga_` portal tokens: a signed JWT (HS256, the environment's portal signing secret) naming the customer,
// seller and environment, valid 24 hours (Paddle's observed lifetime). Minted per response, never stored:
// the signature and the expiry are the whole credential.
// @NOTE in sellers (whose environments own the signing secret), not customer-portal: subscriptions mint tokens
// for `management_urls`, and customer-portal calls subscriptions, so the tokens must sit below both.
import { createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { Tenant } from '../../db/tables.js';
import { newId } from '../../kernel/ids.js';
import { Temporal, type Instant } from '../../kernel/time.js';

export const PORTAL_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const ISSUER = 'paddock-guestaccess';

/** The customer-level grants a portal link carries (Paddle's new-style links carry this broad set). */
const SCOPE = [
  'customer.customer.read',
  'customer.customer.update',
  'customer.customer-address.read',
  'customer.customer-payment-method.read',
  'customer.customer-payment-method.delete',
  'customer.invoice.read',
  'customer.subscription-cancel.create',
  'customer.subscription.read',
  'customer.subscription.update',
  'customer.transaction.read',
].join(' ');

export type TokenUsage = 'customer-portal-url' | 'customer-portal-session' | 'magic-link';

export interface PortalTokenClaims {
  customerId: string;
  tenant: Tenant;
  usage: TokenUsage;
  issuedAt: Instant;
  expiresAt: Instant;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The JWS header of every portal token, base64url-encoded once. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * A `pga_` token: a compact HS256 JWS (RFC 7515) of the claims, signed with the environment's secret.
 * @NOTE signed with node:crypto's HMAC rather than jose's SignJWT: jose goes through WebCrypto (a key import and
 * an async sign per token), which cost ~60 µs of each `GET /subscriptions/{id}` whose `management_urls` carry a
 * fresh token (#13); the bytes are the same JWS, and `verifyPortalToken` still checks them with jose.
 */
export async function mintPortalToken(
  secret: string,
  input: { customerId: string; tenant: Tenant; usage: TokenUsage; now: Instant; lifetimeSeconds?: number },
): Promise<string> {
  const iat = Math.floor(input.now.epochMilliseconds / 1000);
  const claims = {
    id: newId('portal_token'),
    'seller-id': input.tenant.seller_id,
    environment: input.tenant.environment,
    usage: input.usage,
    scope: SCOPE,
    type: 'standard',
    version: 1,
    iss: ISSUER,
    sub: input.customerId,
    iat,
    exp: iat + (input.lifetimeSeconds ?? PORTAL_TOKEN_LIFETIME_SECONDS),
  };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `pga_${signingInput}.${signature}`;
}

export type TokenCheck =
  { ok: true; claims: PortalTokenClaims } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' };

/** Verifies a token against the environment's secret and the tenant's clock (`now`), not the wall clock. */
export async function verifyPortalToken(
  secret: string,
  token: string,
  tenant: Tenant,
  now: Instant,
): Promise<TokenCheck> {
  if (!token.startsWith('pga_')) return { ok: false, reason: 'malformed' };
  try {
    const { payload } = await jwtVerify(token.slice(4), key(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: new Date(Number(now.epochMilliseconds)),
    });
    if (
      payload['seller-id'] !== tenant.seller_id ||
      payload.environment !== tenant.environment ||
      typeof payload.sub !== 'string'
    ) {
      return { ok: false, reason: 'invalid' };
    }
    return {
      ok: true,
      claims: {
        customerId: payload.sub,
        tenant,
        usage: payload.usage as TokenUsage,
        issuedAt: Temporal.Instant.fromEpochMilliseconds(Number(payload.iat) * 1000),
        expiresAt: Temporal.Instant.fromEpochMilliseconds(Number(payload.exp) * 1000),
      },
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
}
