// Structured logs through pino (the logger Fastify ships): one JSON line per request with its id, method, route,
// status and duration, and the full error of every 5xx. Nothing secret reaches a line: keys and fields that carry
// secrets are censored by name, and the finished line is scrubbed of anything shaped like an API key, a portal
// token, a signed session, a bearer credential or a card number, whatever field it hid in.
//
// @NOTE the line of a request that succeeded (or was refused with a 4xx) is the one written on every request, so it
// is built by hand from fields that cannot hold a secret (our own request id, the method, the route's template, the
// status, the duration) and skips pino, its redaction and the scrubbing; request.log, the child logger with the
// request id, is made only when something logs through it (errors). Through pino the line cost 75–95 µs of a
// request (#13).
import { hostname } from 'node:os';
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { LogLevel } from '../config.js';
import type { Clock } from '../kernel/clock.js';
import { toStoredTime } from '../kernel/time.js';

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

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1];

/** pino's numbers for the levels (`level` in every line); `silent` writes nothing. */
const LEVEL_VALUES: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/**
 * Standard output, written once per turn of the event loop: the lines of every request answered in one turn go out
 * in one write (a write per line cost about 4 µs of a request). Written at exit too, so a stop or a crash that
 * reaches `exit` loses nothing. @NOTE on Linux, writes to stdout (file, pipe or terminal) are synchronous.
 */
class StdoutByTurn implements LogDestination {
  #lines: string[] = [];
  #exitHooked = false;

  write(line: string): void {
    if (this.#lines.push(line) > 1) return;
    if (!this.#exitHooked) {
      this.#exitHooked = true;
      process.once('exit', this.flush);
    }
    setImmediate(this.flush);
  }

  readonly flush = (): void => {
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('');
    this.#lines = [];
    process.stdout.write(text);
  };
}

const stdoutByTurn = new StdoutByTurn();

/**
 * One line per finished request: `request_id`, `method`, `route` (the route's template, so ids and query strings,
 * which may carry tokens, stay out), `status`, `duration_ms`; `info` below 500, `error` from 500 (the error handler
 * has already written the error itself, with its stack). Fastify's own "incoming request" line is left out.
 */
class RequestLines extends LogController {
  /** `"pid":…,"hostname":…,` as pino writes them in every line. */
  readonly #base = `"pid":${process.pid},"hostname":${JSON.stringify(hostname())},`;

  constructor(
    private readonly level: LogLevel,
    private readonly wallClock: Clock,
    private readonly destination: LogDestination,
  ) {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    if (status >= 500 || error) {
      const line = { method: request.method, route, status, duration_ms: durationMs, ...(error ? { err: error } : {}) };
      request.log.error(line, 'request failed');
      return;
    }
    if (LEVEL_VALUES[this.level] > LEVEL_VALUES.info) return;
    this.destination.write(
      `{"level":30,"time":"${toStoredTime(this.wallClock.now())}",${this.#base}"request_id":${JSON.stringify(request.id)},` +
        `"method":${JSON.stringify(request.method)},"route":${JSON.stringify(route)},"status":${status},` +
        `"duration_ms":${durationMs},"msg":"request completed"}\n`,
    );
  }
}

/**
 * `request.log`: the child logger with the request id, made when something first logs through it. Fastify makes one
 * per request and most requests never log through it (their line is RequestLines'), so most never pay for a child.
 */
class ChildOnFirstUse implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions | undefined,
  ) {}

  #made(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    Reflect.apply(this.#made().fatal, this.#made(), args);
  }

  error(...args: unknown[]): void {
    Reflect.apply(this.#made().error, this.#made(), args);
  }

  warn(...args: unknown[]): void {
    Reflect.apply(this.#made().warn, this.#made(), args);
  }

  info(...args: unknown[]): void {
    Reflect.apply(this.#made().info, this.#made(), args);
  }

  debug(...args: unknown[]): void {
    Reflect.apply(this.#made().debug, this.#made(), args);
  }

  trace(...args: unknown[]): void {
    Reflect.apply(this.#made().trace, this.#made(), args);
  }

  silent(): void {}
}

/**
 * Fastify's logging options for `level`: JSON lines with RFC 3339 times from the wall clock and the request id as
 * `request_id` (the name of Paddle's `meta.request_id`), secrets censored by name and scrubbed by shape, one line
 * per request (RequestLines).
 */
export function loggerOptions(
  level: LogLevel,
  wallClock: Clock,
  destination: LogDestination = stdoutByTurn,
): Pick<FastifyServerOptions, 'logger' | 'logController' | 'childLoggerFactory'> {
  return {
    logger: {
      level,
      stream: destination,
      // @NOTE RFC 3339 from the wall clock: pino's epoch milliseconds would read as a 13-digit card number.
      timestamp: () => `,"time":"${toStoredTime(wallClock.now())}"`,
      redact: { paths: REDACT_PATHS, censor: CENSORED },
      hooks: { streamWrite: scrubLogLine },
    },
    logController: new RequestLines(level, wallClock, destination),
    childLoggerFactory: (logger, bindings, options) => new ChildOnFirstUse(logger, bindings, options),
  };
}
