// The one way an HTML page (checkout, portal) is sent: never cached, never framed, no scripts, no referrer.
import type { FastifyReply } from 'fastify';

/** Sends `body` as an HTML page with `status` and the security headers every Paddock page carries. */
export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return (
    reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      // @NOTE Paddle asks sellers not to embed the portal in an iframe, and the hosted checkout takes card numbers,
      // so neither may be framed; no scripts run on these pages. No form-action: the portal's new-card form may
      // redirect to the hosted checkout's 3-D Secure step on the public URL.
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      )
      .type('text/html; charset=utf-8')
      .send(body)
  );
}
