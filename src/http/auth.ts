// Paddle's authentication: `Authorization: Bearer <key>` (any case of "bearer", as the Node SDK sends it).
// Every failure is a 403, with Paddle's four codes.
import { changeToken } from '../db/change-token.js';
import { permissionsColumn } from '../db/json.js';
import type { Db } from '../db/database.js';
import { ReadCache } from '../db/read-cache.js';
import type { Tenant } from '../db/tables.js';
import { PaddleError } from '../kernel/errors.js';
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

const missing = () => new PaddleError('authentication_missing');
const malformed = () => new PaddleError('authentication_malformed');
const invalidToken = () => new PaddleError('invalid_token');

interface KnownKey {
  caller: Caller;
  expiresAt: string | null;
}

/**
 * Active keys already read, by key hash, kept while the database's change token is unchanged (db/read-cache.ts),
 * so a revoked key or a moved sandbox clock is seen at once, whichever process wrote it. Without a token
 * (PostgreSQL) nothing is kept. Unknown keys are never kept.
 */
const knownKeys = new ReadCache<KnownKey>(10_000);

async function lookUp(db: Db, keyHash: string): Promise<KnownKey | undefined> {
  const token = changeToken(db);
  const known = token === undefined ? undefined : knownKeys.get(db, keyHash, token);
  if (known) return known;
  const found = await findKeyByHash(db, keyHash);
  if (!found || found.key.status !== 'active') return undefined;
  const entry: KnownKey = {
    expiresAt: found.key.expires_at,
    // Shared by every request that presents the key while it is kept: frozen so none can change it.
    caller: Object.freeze({
      tenant: Object.freeze({ seller_id: found.key.seller_id, environment: found.key.environment }),
      apiKeyId: found.key.id,
      permissions: Object.freeze(permissionsColumn.decode(found.key.permissions)) as string[],
      clockOffsetMicros: found.clock_offset_us,
      portalId: found.portal_id,
    }),
  };
  if (token !== undefined) knownKeys.set(db, keyHash, token, entry);
  return entry;
}

export async function authenticate(db: Db, header: string | undefined, nowStored: () => string): Promise<Caller> {
  if (header === undefined || header.trim() === '') throw missing();
  const match = /^bearer (\S+)$/i.exec(header.trim());
  if (!match) throw malformed();
  const known = await lookUp(db, hashApiKey(match[1] as string));
  if (!known) throw invalidToken();
  if (known.expiresAt !== null && known.expiresAt <= nowStored()) throw invalidToken();
  return known.caller;
}

export function requirePermissions(caller: Caller, required: readonly string[]): void {
  if (!required.every((permission) => grants(caller.permissions, permission))) throw new PaddleError('forbidden');
}

export function hasPermission(caller: Caller, permission: string): boolean {
  return grants(caller.permissions, permission);
}
