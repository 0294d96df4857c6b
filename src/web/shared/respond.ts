// The one way an HTML page (checkout, portal) is sent; its security headers (never cached, never framed, no
// scripts, no referrer) are set for every page and file in one place, http/security-headers.ts.
import type { FastifyReply } from 'fastify';

/** Sends `body` as an HTML page with `status`. */
export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}
