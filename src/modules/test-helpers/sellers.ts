// Sellers on demand (#15): a seller per test, each with its own sandbox (and live, if asked), portal id, signing
// secrets, clock and keys, so tests running in parallel see nothing of each other. Made by a sandbox key holding
// every permission (the test helpers) or by the CLI; a key lists, resets and deletes only the sellers its own
// seller made.
import type { Db, Dialect } from '../../db/database.js';
import type { Environment, Tenant } from '../../db/tables.js';
import { tenantClock, type Clock } from '../../kernel/clock.js';
import { invalidField, notFound, type FieldError } from '../../kernel/errors.js';
import { ALL_PERMISSIONS, isKnownPermission } from '../../kernel/permissions.js';
import { parseRfc3339, Temporal, toStoredTime, toWireTime, type Instant } from '../../kernel/time.js';
import { LATEST_CLOCK } from './clock.js';
import { createApiKey } from '../api-keys/service.js';
import {
  createSeller,
  DEFAULT_SELLER_ID,
  deleteSeller,
  findSeller,
  listSellers,
  portalOfTenant,
  resetTenant,
  type DeletedRows,
} from '../sellers/service.js';

/** What the request (or the CLI) asks for; every field optional. */
export interface SellerRequest {
  /** A name to recognise the seller by (default "Test seller"). */
  name: string;
  /** Also make a live environment (default false: sandbox only). */
  live: boolean;
  /** The permissions of the keys made for it (default every permission). */
  permissions: readonly string[];
  /** The instant the sandbox clock stands at from the start (RFC 3339); a running clock when absent. */
  clockFrozenAt?: Instant;
}

const FIELDS = ['name', 'live', 'permissions', 'clock'];

/**
 * Reads `{ name?, live?, permissions?, clock?: { frozen_at? } }` (JSON from the helper, or the CLI's options).
 * @throws PaddleError `invalid_field` naming each bad field (unknown fields too).
 */
export function readSellerRequest(body: Readonly<Record<string, unknown>>): SellerRequest {
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => !FIELDS.includes(key))
    .map((field) => ({ field, message: 'property is not allowed' }));
  const { name = 'Test seller', live = false, permissions = ALL_PERMISSIONS, clock = {} } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
    errors.push({ field: 'name', message: 'must be a non-empty string of at most 200 characters' });
  if (typeof live !== 'boolean') errors.push({ field: 'live', message: 'must be a boolean' });
  const permissionList = Array.isArray(permissions) ? permissions : [];
  if (!Array.isArray(permissions) || permissionList.some((p) => typeof p !== 'string' || !isKnownPermission(p)))
    errors.push({
      field: 'permissions',
      message: `must be a list of Paddle permissions: ${ALL_PERMISSIONS.join(', ')}`,
    });
  const frozenAt = readClock(clock, errors);
  if (errors.length > 0) throw invalidField(errors);
  return {
    name: name as string,
    live: live as boolean,
    permissions: [...new Set(permissionList as string[])],
    ...(frozenAt ? { clockFrozenAt: frozenAt } : {}),
  };
}

function readClock(clock: unknown, errors: FieldError[]): Instant | undefined {
  if (typeof clock !== 'object' || clock === null || Array.isArray(clock)) {
    errors.push({ field: 'clock', message: 'must be an object: {"frozen_at": "<RFC 3339>"}' });
    return undefined;
  }
  for (const key of Object.keys(clock).filter((k) => k !== 'frozen_at'))
    errors.push({ field: `clock.${key}`, message: 'property is not allowed' });
  const value = Reflect.get(clock, 'frozen_at');
  if (value === undefined) return undefined;
  const instant = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (!instant) errors.push({ field: 'clock.frozen_at', message: 'must be an RFC 3339 date-time' });
  else if (Temporal.Instant.compare(instant, LATEST_CLOCK) > 0)
    errors.push({ field: 'clock.frozen_at', message: `must not be past ${LATEST_CLOCK.toString()}` });
  return instant;
}

/** One environment of a seller made on demand: its key (shown only here), portal and clock. */
export interface SellerEnvironmentEntity {
  api_key: string;
  api_key_id: string;
  permissions: string[];
  customer_portal_id: string;
  clock: { now: string; frozen: boolean };
}

/** A seller made on demand, as the helper answers it: `live` is null unless asked for. */
export interface SellerEntity {
  id: string;
  name: string;
  created_at: string;
  sandbox: SellerEnvironmentEntity;
  live: SellerEnvironmentEntity | null;
}

/**
 * Makes the seller, its environments and one key per environment in one database transaction, and answers them
 * with the keys (never shown again). `parentSellerId`: the seller whose key asked (null from the CLI).
 */
export async function makeSeller(
  db: Db,
  wallClock: Clock,
  parentSellerId: string | null,
  request: SellerRequest,
): Promise<SellerEntity> {
  const environments: Environment[] = request.live ? ['sandbox', 'live'] : ['sandbox'];
  const made = await db.transaction().execute(async (trx) => {
    const seller = await createSeller(trx, wallClock, {
      name: request.name,
      parentSellerId,
      environments,
      ...(request.clockFrozenAt ? { clockFrozenAt: request.clockFrozenAt } : {}),
    });
    const keys = [];
    for (const tenant of seller.tenants) {
      keys.push(
        await createApiKey(trx, wallClock, tenant, { name: 'Test seller key', permissions: request.permissions }),
      );
    }
    return { seller, keys };
  });
  const described = await Promise.all(
    made.seller.tenants.map((tenant, i) => describeEnvironment(db, wallClock, tenant, made.keys[i]!)),
  );
  return {
    id: made.seller.id,
    name: made.seller.name,
    created_at: toWireTime(made.seller.created_at),
    sandbox: described[0]!,
    live: described[1] ?? null,
  };
}

async function describeEnvironment(
  db: Db,
  wallClock: Clock,
  tenant: Tenant,
  key: { id: string; key: string; permissions: string[] },
): Promise<SellerEnvironmentEntity> {
  const portal = await portalOfTenant(db, tenant);
  return {
    api_key: key.key,
    api_key_id: key.id,
    permissions: key.permissions,
    customer_portal_id: portal.portalId,
    clock: {
      now: toWireTime(toStoredTime(tenantClock(wallClock, portal).now())),
      frozen: portal.clockFrozenAt !== null,
    },
  };
}

/** A seller in a list: no keys (they are shown once, when made). */
export interface SellerSummary {
  id: string;
  name: string;
  created_at: string;
  environments: Environment[];
}

/** The sellers `parentSellerId` made (every seller when undefined: the CLI), oldest first. */
export async function listMadeSellers(db: Db, parentSellerId?: string): Promise<SellerSummary[]> {
  const rows = await listSellers(db, parentSellerId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    created_at: toWireTime(row.created_at),
    environments: row.environments,
  }));
}

/**
 * The seller `sellerId` if `parentSellerId` made it (any seller but the default one for the CLI, `null`).
 * @throws PaddleError `not_found` otherwise, so a key cannot even learn that another test's seller exists.
 */
async function madeSeller(db: Db, sellerId: string, parentSellerId: string | null) {
  const seller = await findSeller(db, sellerId);
  const owned = parentSellerId === null ? sellerId !== DEFAULT_SELLER_ID : seller?.parent_seller_id === parentSellerId;
  if (!seller || !owned) throw notFound(sellerId);
  return seller;
}

/**
 * Deletes a seller made by `parentSellerId` (null: the CLI, any but the default seller) with all its data.
 * @throws PaddleError `not_found` for an unknown seller or one made by another.
 */
export async function deleteMadeSeller(
  db: Db,
  dialect: Dialect,
  sellerId: string,
  parentSellerId: string | null,
): Promise<DeletedRows> {
  await madeSeller(db, sellerId, parentSellerId);
  return deleteSeller(db, dialect, sellerId);
}

/**
 * Empties the sandbox of `sellerId` (which `parentSellerId` made, or the caller's own seller when the ids are
 * equal): every entity, event, notification and email; keys, portal and clock stay.
 * @throws PaddleError `not_found` for an unknown seller or one made by another.
 */
export async function resetSandbox(
  db: Db,
  dialect: Dialect,
  sellerId: string,
  parentSellerId: string,
): Promise<DeletedRows> {
  if (sellerId !== parentSellerId) await madeSeller(db, sellerId, parentSellerId);
  return resetTenant(db, dialect, { seller_id: sellerId, environment: 'sandbox' });
}
