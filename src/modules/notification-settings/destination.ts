// Where webhooks may go. Sandbox: any http(s) URL, loopback included (a handler on the developer's machine is the
// point of a sandbox). Live: https only, and never a loopback, private, link-local or unspecified address (neither
// written in the URL nor resolved from its name at delivery). Both: never Paddock's own HTTP port or its database's
// port on this machine, so a destination cannot reach the admin surfaces or the database by accident.
import { isIP } from 'node:net';
import type { Config } from '../../config.js';
import type { Environment } from '../../db/tables.js';

/** What a destination must not reach: Paddock's own port and its database's host and port. */
export interface DestinationGuard {
  environment: Environment;
  ownPort: number;
  /** PostgreSQL's host and port when DATABASE_URL names one. */
  database?: { host: string; port: number };
}

export function guardFor(config: Config, environment: Environment): DestinationGuard {
  const guard: DestinationGuard = { environment, ownPort: config.port };
  if (/^postgres(ql)?:/.test(config.databaseUrl)) {
    try {
      const url = new URL(config.databaseUrl);
      guard.database = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 5432) };
    } catch {
      // An unparsable DATABASE_URL fails at start-up long before a destination is checked.
    }
  }
  return guard;
}

function ipv4Parts(ip: string): number[] | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
  return isIP(mapped) === 4 ? mapped.split('.').map(Number) : undefined;
}

/** Loopback or unspecified: this machine. */
export function isThisMachine(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1' || name === '::') return true;
  const parts = ipv4Parts(name);
  return parts !== undefined && (parts[0] === 127 || parts.every((part) => part === 0));
}

/** Addresses no live webhook may reach: this machine, private networks (RFC 1918, RFC 4193), link-local. */
export function isInternal(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (isThisMachine(name)) return true;
  const parts = ipv4Parts(name);
  if (parts) {
    const [a = 0, b = 0] = parts;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return isIP(name) === 6 && /^(fc|fd|fe[89ab])/.test(name);
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Why `host:port` may not be reached by a webhook of this environment, or undefined when it may. Used on the URL as
 * written (create, update) and on every address its name resolves to (delivery).
 */
export function addressProblem(host: string, port: number, guard: DestinationGuard): string | undefined {
  if (guard.environment === 'live' && isInternal(host))
    return 'live destinations must be public addresses (no loopback, private or link-local hosts)';
  if (isThisMachine(host) && port === guard.ownPort) return "must not be Paddock's own HTTP port";
  if (guard.database && port === guard.database.port && (isThisMachine(host) || host === guard.database.host))
    return "must not be Paddock's database";
  return undefined;
}

/** Why `destination` is not an acceptable webhook URL for this environment, or undefined when it is. */
export function urlProblem(destination: string, guard: DestinationGuard): string | undefined {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http or https URL';
  if (guard.environment === 'live' && url.protocol !== 'https:') return 'live destinations must use https';
  if (url.username || url.password) return 'must not carry a user name or password';
  return addressProblem(url.hostname.replace(/^\[|\]$/g, ''), portOf(url), guard);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why `destination` is not an email address, or undefined. */
export function emailProblem(destination: string): string | undefined {
  return EMAIL.test(destination) ? undefined : 'must be an email address';
}
