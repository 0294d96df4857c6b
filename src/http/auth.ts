// Paddle's authentication: `Authorization: Bearer <key>` (any case of "bearer", as the Node SDK sends it).
// Every failure is a 403, with Paddle's four codes.
import type { Db } from '../db/database.js';
import type { Tenant } from '../db/tables.js';
import { PaddleError, forbidden } from '../kernel/errors.js';
import { grants } from '../kernel/permissions.js';
import { hashApiKey } from '../modules/api-keys/key-format.js';
import { findKeyByHash } from '../modules/api-keys/repository.js';

export interface Caller {
  tenant: Tenant;
  apiKeyId: string;
  permissions: string[];
  clockOffsetMicros: bigint;
  portalId: string;
}

const missing = () => new PaddleError(403, 'authentication_missing', 'Authentication header missing.');
const malformed = () =>
  new PaddleError(403, 'authentication_malformed', 'Authentication header included, but incorrectly formatted.');
const invalidToken = () => new PaddleError(403, 'invalid_token', 'Invalid or revoked API key.');

export async function authenticate(db: Db, header: string | undefined, nowStored: () => string): Promise<Caller> {
  if (header === undefined || header.trim() === '') throw missing();
  const match = /^bearer (\S+)$/i.exec(header.trim());
  if (!match) throw malformed();
  const found = await findKeyByHash(db, hashApiKey(match[1] as string));
  if (!found || found.key.status !== 'active') throw invalidToken();
  if (found.key.expires_at !== null && found.key.expires_at <= nowStored()) throw invalidToken();
  return {
    tenant: { seller_id: found.key.seller_id, environment: found.key.environment },
    apiKeyId: found.key.id,
    permissions: JSON.parse(found.key.permissions) as string[],
    clockOffsetMicros: found.clock_offset_us,
    portalId: found.portal_id,
  };
}

export function requirePermissions(caller: Caller, required: readonly string[]): void {
  if (!required.every((permission) => grants(caller.permissions, permission))) throw forbidden();
}

export function hasPermission(caller: Caller, permission: string): boolean {
  return grants(caller.permissions, permission);
}
