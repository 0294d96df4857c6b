// Creating API keys: the bootstrap keys of the default seller, and further keys from the CLI.
import type { Db } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { ALL_PERMISSIONS, isKnownPermission } from '../../kernel/permissions.js';
import { toStoredTime } from '../../kernel/time.js';
import { environmentMarker, generateApiKey, hashApiKey, parseApiKey } from './key-format.js';
import {
  findActiveKeyByHash,
  findActiveKeyByHashWithRow,
  findBootstrapKey,
  findKeyHashOwner,
  insertApiKey,
  revokeApiKey,
  type KeyHolder,
  type RowToRead,
} from './repository.js';
import { permissionsColumn } from '../../db/json.js';

export type { KeyHolder, RowToRead };

export interface CreatedKey {
  id: string;
  key: string;
  permissions: string[];
}

export interface CreateKeyInput {
  name: string;
  permissions: readonly string[];
  bootstrap?: boolean;
  /** An existing secret to register (from PADDOCK_*_API_KEY); otherwise one is generated. */
  key?: string;
}

export async function createApiKey(db: Db, clock: Clock, tenant: Tenant, input: CreateKeyInput): Promise<CreatedKey> {
  const unknown = input.permissions.filter((permission) => !isKnownPermission(permission));
  if (unknown.length > 0)
    throw new Error(`unknown permissions: ${unknown.join(', ')} (known: ${ALL_PERMISSIONS.join(', ')})`);
  const now = clock.now();
  let id = newId('api_key');
  let key = input.key;
  if (key) {
    const parsed = parseApiKey(key);
    if (!parsed || parsed.environment !== tenant.environment) {
      throw new Error(
        `the ${tenant.environment} key must look like pdl_${environmentMarker(tenant.environment)}_apikey_<26>_<22>_<3>`,
      );
    }
    id = parsed.apiKeyId;
  } else {
    key = generateApiKey(tenant.environment, id);
  }
  const stored = toStoredTime(now);
  await insertApiKey(db, {
    ...tenant,
    id,
    name: input.name,
    key_hash: hashApiKey(key),
    permissions: permissionsColumn.encode([...input.permissions]),
    status: 'active',
    is_bootstrap: input.bootstrap ? 1n : 0n,
    expires_at: null,
    created_at: stored,
    updated_at: stored,
  });
  return { id, key, permissions: [...input.permissions] };
}

export type BootstrapOutcome = { kind: 'generated'; key: string } | { kind: 'configured' } | { kind: 'existing' };

/**
 * Makes sure the environment has its all-permission key. A configured key is registered if new;
 * otherwise a key is generated once (and printed by the caller, the only time it is ever shown).
 */
export async function ensureBootstrapKey(
  db: Db,
  clock: Clock,
  tenant: Tenant,
  configured: string | undefined,
): Promise<BootstrapOutcome> {
  if (configured) {
    const owner = await findKeyHashOwner(db, hashApiKey(configured));
    if (owner && (owner.seller_id !== tenant.seller_id || owner.environment !== tenant.environment)) {
      throw new Error(`the configured ${tenant.environment} key belongs to another seller or environment`);
    }
    if (!owner)
      await createApiKey(db, clock, tenant, {
        name: 'Bootstrap key (configured)',
        permissions: ALL_PERMISSIONS,
        key: configured,
      });
    return { kind: 'configured' };
  }
  if (await findBootstrapKey(db, tenant)) return { kind: 'existing' };
  const created = await createApiKey(db, clock, tenant, {
    name: 'Bootstrap key',
    permissions: ALL_PERMISSIONS,
    bootstrap: true,
  });
  return { kind: 'generated', key: created.key };
}

/** Revokes a key by its `apikey_` id (the 26 characters after `apikey_` in the key itself). */
export async function revokeKey(db: Db, clock: Clock, tenant: Tenant, id: string): Promise<boolean> {
  return revokeApiKey(db, tenant, id, toStoredTime(clock.now()));
}

/**
 * The holder of an API key as presented in `Authorization: Bearer <key>`: undefined when the key is unknown,
 * revoked, or expired at `nowStored` (the tenant-independent wall time, stored RFC 3339 form). With `read` (the row
 * a get-by-id operation answers), that row is read in the same round trip where rows are not kept (PostgreSQL),
 * for the request's `findById` (api-keys/repository.ts says how).
 */
export async function authenticateKey(
  db: Db,
  key: string,
  nowStored: () => string,
  read?: RowToRead,
): Promise<KeyHolder | undefined> {
  const hash = hashApiKey(key);
  const active = read ? await findActiveKeyByHashWithRow(db, hash, read) : await findActiveKeyByHash(db, hash);
  if (!active) return undefined;
  if (active.expiresAt !== null && active.expiresAt <= nowStored()) return undefined;
  return active.holder;
}
