// A local webhook receiver for tests and benchmarks: keeps every request (raw body, headers, arrival time) and
// answers with what `respond` says (a status, or `hang` to never answer).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  /** performance.now() at arrival. */
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer from the 1-based count of requests so far. */
  respond: (count: number, body: string) => number | 'hang';
  close(): Promise<void>;
}

/** `delayMs`: how long the receiver takes before answering (a slow handler). */
export async function startReceiver(
  respond: Receiver['respond'] = () => 200,
  options: { delayMs?: number } = {},
): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = { url: '', received, respond, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ body, headers: request.headers, at: performance.now() });
      const answer = receiver.respond(received.length, body);
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      const send = () =>
        response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : `no (${answer})`);
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Creates a URL destination for `events` with `key` and answers the entity (with its endpoint_secret_key). */
export async function aDestination(t: TestApp, url: string, events: string[], key?: string) {
  const res = await t.request('POST', '/notification-settings', {
    body: { description: 'test receiver', type: 'url', destination: url, subscribed_events: events },
    ...(key ? { key } : {}),
  });
  assert.equal(res.status, 201, res.text);
  return res.body.data as { id: string; endpoint_secret_key: string };
}

/** Runs the deliver-now test helper for `key`'s sandbox. */
export async function deliverNow(t: TestApp, key?: string): Promise<number> {
  const res = await t.request('POST', '/test-helpers/notifications/deliver', key ? { key } : {});
  assert.equal(res.status, 200, res.text);
  return res.body.data.attempted;
}
