// Sellers and their environments. One default seller exists from the first start; more are made on demand (a test
// helper, the CLI), each environment with a customer-portal id (`cpl_`), a portal signing secret and, in sandbox,
// its own clock: running (wall clock + a forward-only offset) or frozen at an instant.
import { randomBytes } from 'node:crypto';
import { oncePerBatch, type Ctx } from '../../context.js';
import { checkPayoutSettings, PADDLE_DEFAULT_FEE, type FeeModel } from '../../billing/payouts.js';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Environment, Tenant } from '../../db/tables.js';
import { tenantClock, type Clock, type ClockState } from '../../kernel/clock.js';
import type { Money } from '../../kernel/money.js';
import { newId } from '../../kernel/ids.js';
import { Temporal, instantFromStored, toStoredTime, type Instant } from '../../kernel/time.js';
import {
  deleteSellerRows,
  deleteTenantData,
  findSellerEnvironment,
  findSellerEnvironmentByPortal,
  findSellerRow,
  findSellerPayouts,
  insertSeller,
  updateSellerPayouts,
  insertSellerEnvironment,
  listSellerEnvironmentClocks,
  listSellerRows,
  lockSellerEnvironment,
  portalsOfEnvironment,
  updateClock,
  type DeletedRows,
  type SellerListRow,
} from './repository.js';

export type { DeletedRows, SellerListRow };

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
        portal_id: newId('customer_portal'),
        portal_signing_secret: randomBytes(32).toString('base64url'),
        created_at: createdAt,
      });
    }
  });
  return ENVIRONMENTS.map((environment) => ({ seller_id: sellerId, environment }));
}

export interface PortalTenant extends ClockState {
  tenant: Tenant;
  portalId: string;
  sellerName: string;
  signingSecret: string;
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
    clockFrozenAt: row.clock_frozen_at,
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

/** The tenant's portal, read once per batch transaction (a batch of renewals bills them all with it). */
export function portalOfContext(ctx: Ctx): Promise<PortalTenant> {
  return oncePerBatch(ctx, 'tenant-portal', () => portalOfTenant(ctx.db, ctx.tenant));
}

/** The seller's payout settings, read once per batch transaction (see `sellerPayouts`). */
export function sellerPayoutsOf(ctx: Ctx): Promise<SellerPayouts> {
  return oncePerBatch(ctx, 'seller-payouts', () => sellerPayouts(ctx.db, ctx.tenant.seller_id));
}

/** Every seller's portal in one environment (legacy links name no seller). */
export function portalsOf(db: Db, environment: Tenant['environment']) {
  return portalsOfEnvironment(db, environment);
}

/** A tenant (seller × environment) and how its clock is kept. */
export interface TenantClock extends ClockState {
  tenant: Tenant;
}

/** Every tenant with its clock state: what a pass over all tenants' due work starts from. */
export async function tenantClocks(db: Db): Promise<TenantClock[]> {
  const rows = await listSellerEnvironmentClocks(db);
  return rows.map((row) => ({
    tenant: { seller_id: row.seller_id, environment: row.environment },
    clockOffsetMicros: BigInt(row.clock_offset_us),
    clockFrozenAt: row.clock_frozen_at,
  }));
}

/**
 * Moves the tenant's clock forward to `to`, in its own transaction with the row locked, and answers the clock
 * now kept. A frozen clock stays frozen, at `to`; a running one gets the offset that makes it read `to` now.
 * Never backwards: when a concurrent advance already went further, the clock stays where it is.
 */
export async function moveTenantClock(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  wallClock: Clock,
  to: Instant,
): Promise<Clock> {
  return db.transaction().execute(async (trx) => {
    const row = await lockSellerEnvironment(trx, tenant, dialect);
    const current: ClockState = {
      clockOffsetMicros: row?.clock_offset_us ?? 0n,
      clockFrozenAt: row?.clock_frozen_at ?? null,
    };
    if (current.clockFrozenAt !== null) {
      const frozenAt = laterOf(instantFromStored(current.clockFrozenAt), to);
      const next = { clockOffsetMicros: current.clockOffsetMicros, clockFrozenAt: toStoredTime(frozenAt) };
      await updateClock(trx, tenant, { offsetMicros: next.clockOffsetMicros, frozenAt: next.clockFrozenAt });
      return tenantClock(wallClock, next);
    }
    const wanted = (to.epochNanoseconds - wallClock.now().epochNanoseconds) / 1000n;
    const offset = wanted > current.clockOffsetMicros ? wanted : current.clockOffsetMicros;
    await updateClock(trx, tenant, { offsetMicros: offset, frozenAt: null });
    return tenantClock(wallClock, { clockOffsetMicros: offset, clockFrozenAt: null });
  });
}

function laterOf(a: Instant, b: Instant): Instant {
  return Temporal.Instant.compare(a, b) >= 0 ? a : b;
}

/**
 * Freezes the tenant's clock at `at` (default: the instant it reads now), or resumes it (`at` null) running from
 * the instant it stood at. Answers the clock now kept, or undefined when `at` is before the clock's current instant
 * (the sandbox clock only moves forward).
 */
export async function setTenantClockFrozen(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  wallClock: Clock,
  freeze: { at: Instant | undefined } | null,
): Promise<Clock | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await lockSellerEnvironment(trx, tenant, dialect);
    const current: ClockState = {
      clockOffsetMicros: row?.clock_offset_us ?? 0n,
      clockFrozenAt: row?.clock_frozen_at ?? null,
    };
    const now = tenantClock(wallClock, current).now();
    let next: ClockState;
    if (freeze === null) {
      const offset = (now.epochNanoseconds - wallClock.now().epochNanoseconds) / 1000n;
      next = { clockOffsetMicros: offset, clockFrozenAt: null };
    } else {
      const at = freeze.at ?? now;
      if (Temporal.Instant.compare(at, now) < 0) return undefined;
      next = { clockOffsetMicros: current.clockOffsetMicros, clockFrozenAt: toStoredTime(at) };
    }
    await updateClock(trx, tenant, { offsetMicros: next.clockOffsetMicros, frozenAt: next.clockFrozenAt });
    return tenantClock(wallClock, next);
  });
}

export interface NewSeller {
  id: string;
  name: string;
  created_at: string;
  tenants: Tenant[];
}

/**
 * Makes a seller with the given environments, each with a new portal id and signing secret, in one database
 * transaction (`db` may be a transaction already). `clockFrozenAt`: the instant the sandbox clock stands at from
 * the start (any instant, past or future); otherwise it runs from the wall clock. `parentSellerId`: the seller
 * whose key asked for it (null from the CLI).
 */
export async function createSeller(
  db: Db,
  clock: Clock,
  input: { name: string; parentSellerId: string | null; environments: readonly Environment[]; clockFrozenAt?: Instant },
): Promise<NewSeller> {
  const now = clock.now();
  const createdAt = toStoredTime(now);
  const id = newId('seller');
  const frozenAt = input.clockFrozenAt ? toStoredTime(input.clockFrozenAt) : null;
  await insertSeller(db, { id, name: input.name, parent_seller_id: input.parentSellerId, created_at: createdAt });
  for (const environment of input.environments) {
    await insertSellerEnvironment(db, {
      seller_id: id,
      environment,
      portal_id: newId('customer_portal'),
      portal_signing_secret: randomBytes(32).toString('base64url'),
      clock_frozen_at: environment === 'sandbox' ? frozenAt : null,
      created_at: createdAt,
    });
  }
  return {
    id,
    name: input.name,
    created_at: createdAt,
    tenants: input.environments.map((e) => ({ seller_id: id, environment: e })),
  };
}

/** Sellers with their environments, oldest first: every seller, or those `parentSellerId` made. */
export function listSellers(db: Db, parentSellerId?: string): Promise<SellerListRow[]> {
  return listSellerRows(db, parentSellerId);
}

/** The seller with this id, with who made it; undefined when there is none. */
export function findSeller(db: Db, sellerId: string) {
  return findSellerRow(db, sellerId);
}

/**
 * Deletes the seller and every row it owns, in both environments and every tenant table, all or nothing: one
 * statement on PostgreSQL, one transaction on SQLite (modules/sellers/repository.ts `deleteAll`).
 */
export function deleteSeller(db: Db, dialect: Dialect, sellerId: string): Promise<DeletedRows> {
  return deleteSellerRows(db, dialect, sellerId);
}

/**
 * Empties one tenant (entities, events, notifications, emails), all or nothing, leaving its portal, secrets, clock
 * and keys, and every other tenant, as they are. Answers the rows deleted by table.
 */
export function resetTenant(db: Db, dialect: Dialect, tenant: Tenant): Promise<DeletedRows> {
  return deleteTenantData(db, dialect, tenant);
}

/** What a seller is paid in and the fee Paddle takes from it (`payout_totals`, `totals.fee`). */
export interface SellerPayouts {
  /** ISO 4217 code of the seller's balance currency. */
  balanceCurrency: string;
  feeModel: FeeModel;
}

/**
 * The seller's payout settings from its row; Paddle's published 5 % + 50¢ paid out in USD for a seller that has
 * none (the migration's defaults say the same).
 */
export async function sellerPayouts(db: Executor, sellerId: string): Promise<SellerPayouts> {
  const row = await findSellerPayouts(db, sellerId);
  if (!row) return { balanceCurrency: 'USD', feeModel: PADDLE_DEFAULT_FEE };
  return {
    balanceCurrency: row.balance_currency,
    feeModel: { rate: row.fee_rate, fixed: { amount: row.fee_fixed, currency: row.fee_fixed_currency } },
  };
}

/**
 * Changes what a seller is paid in and its fee model (the `paddock sellers payouts` command); what is not given is
 * kept. Throws RangeError for settings Paddle could not pay (`checkPayoutSettings`). Answers the settings now in force.
 */
export async function setSellerPayouts(
  db: Executor,
  sellerId: string,
  changes: { balanceCurrency?: string; feeRate?: string; feeFixed?: Money },
): Promise<SellerPayouts> {
  const current = await sellerPayouts(db, sellerId);
  const next: SellerPayouts = {
    balanceCurrency: changes.balanceCurrency ?? current.balanceCurrency,
    feeModel: {
      rate: changes.feeRate ?? current.feeModel.rate,
      fixed: changes.feeFixed ?? current.feeModel.fixed,
    },
  };
  checkPayoutSettings(next.balanceCurrency, next.feeModel);
  await updateSellerPayouts(db, sellerId, {
    balance_currency: next.balanceCurrency,
    fee_rate: next.feeModel.rate,
    fee_fixed: next.feeModel.fixed.amount,
    fee_fixed_currency: next.feeModel.fixed.currency,
  });
  return next;
}
