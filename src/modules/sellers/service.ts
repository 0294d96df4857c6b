// Sellers and their two environments. One default seller exists from the first start; each of its
// environments has a customer-portal id (`cpl_`), a portal signing secret and, in sandbox, a clock offset.
import { randomBytes } from 'node:crypto';
import type { Db, Dialect } from '../../db/database.js';
import type { Environment, Tenant } from '../../db/tables.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import {
  findSellerEnvironment,
  findSellerEnvironmentByPortal,
  insertSeller,
  insertSellerEnvironment,
  listSellerEnvironmentClocks,
  lockSellerEnvironment,
  portalsOfEnvironment,
  updateClockOffset,
} from './repository.js';

export const DEFAULT_SELLER_ID = 'sel_default';
export const ENVIRONMENTS: readonly Environment[] = ['sandbox', 'live'];

/** Creates a seller with both environments; a no-op for parts that already exist. */
export async function ensureSeller(db: Db, clock: Clock, sellerId: string, name: string): Promise<Tenant[]> {
  const now = clock.now();
  const createdAt = toStoredTime(now);
  await db.transaction().execute(async (trx) => {
    await insertSeller(trx, { id: sellerId, name, created_at: createdAt });
    for (const environment of ENVIRONMENTS) {
      await insertSellerEnvironment(trx, {
        seller_id: sellerId,
        environment,
        portal_id: newId('customer_portal', now.epochMilliseconds),
        portal_signing_secret: randomBytes(32).toString('base64url'),
        created_at: createdAt,
      });
    }
  });
  return ENVIRONMENTS.map((environment) => ({ seller_id: sellerId, environment }));
}

export interface PortalTenant {
  tenant: Tenant;
  portalId: string;
  sellerName: string;
  signingSecret: string;
  clockOffsetMicros: bigint;
}

/** Resolves a `cpl_…` id to its seller environment; undefined when no such portal exists. */
export async function findPortal(db: Db, portalId: string): Promise<PortalTenant | undefined> {
  if (!/^cpl_[a-z\d]{26}$/.test(portalId)) return undefined;
  const row = await findSellerEnvironmentByPortal(db, portalId);
  if (!row) return undefined;
  return {
    tenant: { seller_id: row.seller_id, environment: row.environment },
    portalId: row.portal_id,
    sellerName: row.seller_name,
    signingSecret: row.portal_signing_secret,
    clockOffsetMicros: row.clock_offset_us,
  };
}

/** The portal (`cpl_…`) of a tenant, for links built outside a request (renewals, jobs). */
export async function portalOfTenant(db: Db, tenant: Tenant): Promise<PortalTenant> {
  const row = await findSellerEnvironment(db, tenant);
  if (!row) throw new Error(`no seller environment ${tenant.seller_id}/${tenant.environment}`);
  const portal = await findPortal(db, row.portal_id);
  if (!portal) throw new Error(`no portal ${row.portal_id}`);
  return portal;
}

/** Every seller's portal in one environment (legacy links name no seller). */
export function portalsOf(db: Db, environment: Tenant['environment']) {
  return portalsOfEnvironment(db, environment);
}

export interface TenantClock {
  tenant: Tenant;
  /** Microseconds the tenant's clock runs ahead of the wall clock (0 for live; sandbox clocks only move forward). */
  clockOffsetMicros: bigint;
}

/** Every tenant (seller × environment) with its clock offset: what a pass over all tenants' due work starts from. */
export async function tenantClocks(db: Db): Promise<TenantClock[]> {
  const rows = await listSellerEnvironmentClocks(db);
  return rows.map((row) => ({
    tenant: { seller_id: row.seller_id, environment: row.environment },
    clockOffsetMicros: BigInt(row.clock_offset_us),
  }));
}

/**
 * Moves the tenant's stored clock offset forward to `wantedMicros`, in its own transaction with the row locked.
 * Never backwards: when a concurrent advance already went further, that offset stays. Returns the offset now stored.
 */
export async function advanceClockOffset(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  wantedMicros: bigint,
): Promise<bigint> {
  return db.transaction().execute(async (trx) => {
    const row = await lockSellerEnvironment(trx, tenant, dialect);
    const current = row?.clock_offset_us ?? 0n;
    const next = wantedMicros > current ? wantedMicros : current;
    await updateClockOffset(trx, tenant, next);
    return next;
  });
}
