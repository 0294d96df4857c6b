// The one place that sets the security headers, for every response whatever produced it: pages (checkout,
// portal, the legacy-link pages), files (invoice PDFs, the stylesheet), redirects and errors.
import type { FastifyInstance, FastifyReply } from 'fastify';

// @NOTE Paddle asks sellers not to embed the portal in an iframe, and the hosted checkout takes card numbers, so no
// page may be framed; no scripts run on them. No form-action: the portal's new-card form may redirect to the hosted
// checkout's 3-D Secure step on the public URL.
const PAGE_POLICY = "default-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/** Files and anything else that is not a page: nothing loads from them, nothing frames them, nothing runs. */
const FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * Sets on `reply`: `X-Content-Type-Options: nosniff` for every response; and for every response that is not the
 * API's JSON (pages, files, redirects, empty bodies) `Referrer-Policy: no-referrer` (portal and checkout URLs carry
 * tokens), `X-Frame-Options: DENY`, a Content-Security-Policy (PAGE_POLICY for HTML, FILE_POLICY otherwise) and,
 * unless the route chose its own caching (the stylesheet), `Cache-Control: no-store`.
 */
export function applySecurityHeaders(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  const type = String(reply.getHeader('content-type') ?? '');
  if (type.startsWith('application/json')) return;
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', type.startsWith('text/html') ? PAGE_POLICY : FILE_POLICY);
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}

/** Applies the headers to every response on send (the router's own errors call applySecurityHeaders directly). */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    applySecurityHeaders(reply);
    done(null, payload);
  });
}
