// One webhook POST: Paddle's headers, a 5-second limit on the whole exchange, redirects not followed, and every
// address the destination's name resolves to checked against the environment's rules (notification-settings'
// destination.ts) before connecting. Keep-alive agents, one per protocol, are this process's own.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressProblem, type DestinationGuard } from '../notification-settings/destination.js';

/** Paddle's limit: a receiver answers within five seconds or the attempt failed. */
export const TIMEOUT_MS = 5000;
/** How much of a receiver's answer the log keeps. */
const MAX_LOGGED_BODY = 10_000;
/** Contains "Paddle", as receivers may check (Paddle: "the user agent contains Paddle"). */
export const USER_AGENT = 'Paddle Webhooks (Paddock)';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** What an attempt got: the receiver's status (0 when there was no answer), content type and body (or the error). */
export interface SendOutcome {
  status: number;
  contentType: string | null;
  body: string;
}

function guardedLookup(port: number, guard: DestinationGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => addressProblem(a.address, port, guard)).find(Boolean);
      if (refused) return callback(new Error(`${hostname} resolves to a refused address: ${refused}`), '', 0);
      if (options.all) return callback(null, addresses as unknown as string, 0);
      const first = addresses[0];
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}

/** Where one destination's webhooks go, worked out once per claim: request options, or why it is refused. */
export type Target =
  { refused: string } | { refused?: undefined; protocol: 'http:' | 'https:'; options: http.RequestOptions };

/** Parses and checks `destination` (a URL) against `guard`; never throws. */
export function targetOf(destination: string, guard: DestinationGuard): Target {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return { refused: 'destination is not a URL' };
  }
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const port = Number(url.port || (protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refused = addressProblem(host, port, guard);
  if (refused) return { refused: `refused: ${refused}` };
  return {
    protocol,
    options: {
      method: 'POST',
      protocol,
      host,
      port,
      path: `${url.pathname}${url.search}`,
      agent: agents[protocol],
      ...(isIP(host) ? {} : { lookup: guardedLookup(port, guard) }),
      ...(url.username || url.password
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {}),
    },
  };
}

/** POSTs `body` to `target` with `signature`; never throws (a failure is an outcome with status 0). */
export function postWebhook(target: Target, body: string, signature: string): Promise<SendOutcome> {
  const failed = (message: string): SendOutcome => ({ status: 0, contentType: null, body: message });
  if (target.refused !== undefined) return Promise.resolve(failed(target.refused));
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (target.protocol === 'https:' ? https : http).request(
      {
        ...target.options,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'paddle-signature': signature,
          'user-agent': USER_AGENT,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_LOGGED_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          finish({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? null,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_LOGGED_BODY),
          }),
        );
        response.on('error', (error) => finish(failed(error.message)));
      },
    );
    request.on('error', (error) => finish(failed(error.message)));
    request.end(body);
  });
}
