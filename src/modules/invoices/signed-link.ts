// Signed, expiring links to invoice PDFs: what `GET /transactions/{id}/invoice` hands out instead of Paddle's
// pre-signed storage URL. The link names the seller environment by its portal id (`cpl_…`) and is signed with
// that environment's `portal_signing_secret`, so serving it needs no API key. Time only comes from arguments.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Instant } from '../../kernel/time.js';

export type InvoiceDisposition = 'attachment' | 'inline';

/** Paddle: "The link returned is not a permanent link. It expires after an hour." */
export const INVOICE_LINK_LIFETIME_SECONDS = 3600;

export interface SignInvoiceLinkInput {
  /** Public origin (and any path prefix) of this server, e.g. `https://billing.example.com`. */
  baseUrl: string;
  portalId: string;
  transactionId: string;
  disposition: InvoiceDisposition;
  expiresAt: Instant;
  secret: string;
}

/** What a request for the link carries: the two path segments and the three query parameters, as strings. */
export interface InvoiceLinkParts {
  portalId: string;
  transactionId: string;
  disposition: string;
  expires: string;
  signature: string;
}

export type InvoiceLinkVerdict = 'ok' | 'expired' | 'bad_signature';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** When a link issued at `now` stops working. */
export function invoiceLinkExpiry(now: Instant): Instant {
  return now.add({ seconds: INVOICE_LINK_LIFETIME_SECONDS });
}

/** The path a link points at, relative to the base URL. */
export function invoiceLinkPath(portalId: string, transactionId: string): string {
  return `/invoices/${portalId}/${transactionId}.pdf`;
}

function signature(parts: Omit<InvoiceLinkParts, 'signature'>, secret: string): string {
  // @NOTE signs the path and parameters, not the host, so the link survives a proxy or a changed public URL.
  const message = `v1\n${invoiceLinkPath(parts.portalId, parts.transactionId)}\ndisposition=${parts.disposition}&expires=${parts.expires}`;
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function signInvoiceLink(input: SignInvoiceLinkInput): string {
  if (!ID.test(input.portalId) || !ID.test(input.transactionId)) {
    throw new Error('Invoice links need plain portal and transaction ids');
  }
  // Whole seconds, rounded down: a link never outlives the expiry it was given.
  const expires = String(Math.floor(input.expiresAt.epochMilliseconds / 1000));
  const parts = {
    portalId: input.portalId,
    transactionId: input.transactionId,
    disposition: input.disposition,
    expires,
  };
  const query = new URLSearchParams({
    disposition: input.disposition,
    expires,
    signature: signature(parts, input.secret),
  });
  return `${input.baseUrl.replace(/\/+$/, '')}${invoiceLinkPath(input.portalId, input.transactionId)}?${query.toString()}`;
}

/**
 * Checks a link's signature first (so a forged `expires` reads as forged, not as expired), then its expiry:
 * valid up to and including its `expires` second.
 */
export function verifyInvoiceLink(parts: InvoiceLinkParts, secret: string, now: Instant): InvoiceLinkVerdict {
  const wellFormed =
    ID.test(parts.portalId) &&
    ID.test(parts.transactionId) &&
    (parts.disposition === 'attachment' || parts.disposition === 'inline') &&
    UNIX_SECONDS.test(parts.expires) &&
    HEX_SHA256.test(parts.signature);
  if (!wellFormed) return 'bad_signature';
  const expected = Buffer.from(signature(parts, secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parts.signature, 'hex'))) return 'bad_signature';
  return now.epochMilliseconds > Number(parts.expires) * 1000 ? 'expired' : 'ok';
}
