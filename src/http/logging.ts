// Structured logs through pino (the logger Fastify ships): one JSON line per request with its id, method, route,
// status and duration, and the full error of every 5xx. Nothing secret reaches a line: keys and fields that carry
// secrets are censored by name, and the finished line is scrubbed of anything shaped like an API key, a portal
// token, a signed session, a bearer credential or a card number, whatever field it hid in.
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config.js';
import type { Clock } from '../kernel/clock.js';

/** Where log lines go: stdout by default; tests pass a stream to read them. */
export interface LogDestination {
  write(line: string): void;
}

const CENSORED = '[redacted]';

// @NOTE names, at any depth pino's redaction reaches (one wildcard level), whose values are secrets.
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'token',
  'key',
  'api_key',
  'password',
  'secret',
  'card_number',
  'cvc',
  'code',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((name) => [`["${name}"]`, `*["${name}"]`, `*.*["${name}"]`]).filter(
  // `code` is an error code at the top of error objects (err.code); only a portal form's code is secret.
  (path) => path !== '["code"]' && path !== '*["code"]',
);

const SCRUBBERS: readonly [RegExp, string][] = [
  // Paddle API keys: pdl_sdbx_apikey_… / pdl_live_apikey_…
  [/pdl_(sdbx|live)_apikey_[A-Za-z0-9_]+/g, `pdl_$1_apikey_${CENSORED}`],
  // portal tokens and any JWT or sealed session (three or two base64url parts)
  [/pga_[A-Za-z0-9._-]+/g, `pga_${CENSORED}`],
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?/g, CENSORED],
  [/(Bearer|Basic)\s+[^\s"\\]+/gi, `$1 ${CENSORED}`],
  // card numbers: 13 to 19 digits, with or without single spaces or dashes between groups
  [/(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g, '[redacted card]'],
];

/**
 * `line` with every secret-shaped substring replaced (API keys, `pga_` tokens, JWTs and sealed cookies, bearer
 * credentials, 13–19 digit card numbers). Runs on every finished line, so a secret inside an error message or a
 * path is caught as well as one in a named field.
 */
export function scrubLogLine(line: string): string {
  let scrubbed = line;
  for (const [pattern, replacement] of SCRUBBERS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/**
 * One line per finished request: `method`, `route` (the route's template, so ids and query strings, which may
 * carry tokens, stay out), `status`, `duration_ms`; `info` below 500, `error` from 500 (the error handler has
 * already written the error itself, with its stack). Fastify's own "incoming request" line is left out.
 */
class RequestLines extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(error ? { err: error } : {}),
    };
    if (status >= 500 || error) request.log.error(line, 'request failed');
    else request.log.info(line, 'request completed');
  }
}

/**
 * Fastify's logging options for `level`: JSON lines with RFC 3339 times from the wall clock and the request id as
 * `request_id` (the name of Paddle's `meta.request_id`), secrets censored by name and scrubbed by shape, one line
 * per request (RequestLines).
 */
export function loggerOptions(
  level: LogLevel,
  wallClock: Clock,
  destination?: LogDestination,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: {
      level,
      ...(destination ? { stream: destination } : {}),
      // @NOTE RFC 3339 from the wall clock: pino's epoch milliseconds would read as a 13-digit card number.
      timestamp: () => `,"time":"${wallClock.now().toString()}"`,
      redact: { paths: REDACT_PATHS, censor: CENSORED },
      hooks: { streamWrite: scrubLogLine },
    },
    logController: new RequestLines({ requestIdLogLabel: 'request_id' }),
  };
}
