// Paddle's webhook signature (developer.paddle.com/webhooks/signature-verification): the header
// `Paddle-Signature: ts=<unix seconds>;h1=<hex HMAC-SHA256 of "<ts>:<raw body>" keyed by the endpoint secret>`.
import { createHmac } from 'node:crypto';

/** The `Paddle-Signature` header value for `body` (the exact bytes sent) at `unixSeconds`. */
export function paddleSignature(secret: string, unixSeconds: number, body: string): string {
  const h1 = createHmac('sha256', secret).update(`${unixSeconds}:${body}`).digest('hex');
  return `ts=${unixSeconds};h1=${h1}`;
}
