// Configuration from the environment, exactly as INTERFACE.md lists it.
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  customerPortalUrl: string;
  sandboxCustomerPortalUrl: string;
  sandboxApiKey: string | undefined;
  liveApiKey: string | undefined;
  smtpUrl: string | undefined;
  /** The least severe log level written (`LOG_LEVEL`): one of LOG_LEVELS; `silent` writes nothing. */
  logLevel: LogLevel;
  /**
   * Which proxies' `X-Forwarded-*` headers to believe (`PADDOCK_TRUST_PROXY`), as Fastify's `trustProxy`: false
   * (the default: the client is the socket's peer), true (any), or comma-separated proxy addresses/CIDRs.
   * It decides the client address the portal's sign-in limits count by.
   */
  trustProxy: boolean | string;
}

/** pino's levels, most verbose first, and `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function readLogLevel(value: string | undefined): LogLevel {
  // @NOTE a dev server shows one line per request by default; tests set `silent` (test/support/app.ts).
  if (!value) return 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === value.toLowerCase());
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${value}`);
  return level;
}

function readTrustProxy(value: string | undefined): boolean | string {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return false;
  return text === 'true' ? true : text;
}

type Env = Record<string, string | undefined>;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Reads the configuration; `port` is the port actually bound when PORT=0 picked one. */
export function readConfig(env: Env = process.env, boundPort?: number): Config {
  const port = boundPort ?? Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const publicUrl = trimSlash(env.PADDOCK_PUBLIC_URL || `http://localhost:${port}`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || 'sqlite:.paddock/paddock.db',
    publicUrl,
    customerPortalUrl: trimSlash(env.PADDOCK_CUSTOMER_PORTAL_URL || `${publicUrl}/customer-portal`),
    sandboxCustomerPortalUrl: trimSlash(
      env.PADDOCK_SANDBOX_CUSTOMER_PORTAL_URL || `${publicUrl}/sandbox-customer-portal`,
    ),
    sandboxApiKey: env.PADDOCK_SANDBOX_API_KEY || undefined,
    liveApiKey: env.PADDOCK_LIVE_API_KEY || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    logLevel: readLogLevel(env.LOG_LEVEL),
    trustProxy: readTrustProxy(env.PADDOCK_TRUST_PROXY),
  };
}
