// A sandbox clock advance in progress, kept with the tenant in the database (issue #10): its target, progress,
// and which process drives it under a lease. Every process sees it (GET /test-helpers/clock, a second advance
// joins it); a process that dies or stops leaves it for another process's scheduler, or its own restart, to resume.
import type { Db, Dialect } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import { instantFromStored, toStoredTime, Temporal, type Instant } from '../../kernel/time.js';
import {
  findClockState,
  listAdvancesInProgress,
  lockSellerEnvironment,
  updateAdvance,
  updateClock,
  updateClockOffset,
} from './repository.js';

/** An advance in progress: target and start on the tenant's clock, counts of units of due work. */
export interface AdvanceState {
  target: Instant;
  from: Instant;
  done: number;
  failed: number;
  /** The process driving it (null after it stopped: waiting to be resumed), and until when (wall clock). */
  owner: string | null;
  leaseUntil: Instant | null;
}

export interface ClockState {
  offsetMicros: bigint;
  /** The instant (stored RFC 3339) a frozen clock stands at; null while it runs (issue #15). */
  frozenAt: string | null;
  advance: AdvanceState | undefined;
}

/** The tenant's clock offset (µs) and its advance in progress, if any. */
export async function clockState(db: Db, tenant: Tenant): Promise<ClockState> {
  const row = await findClockState(db, tenant);
  if (!row) throw new Error(`no seller environment ${tenant.seller_id}/${tenant.environment}`);
  return {
    offsetMicros: row.clock_offset_us,
    frozenAt: row.clock_frozen_at,
    advance: row.clock_target_at
      ? {
          target: instantFromStored(row.clock_target_at),
          from: instantFromStored(row.clock_advance_from ?? row.clock_target_at),
          done: Number(row.clock_advance_done),
          failed: Number(row.clock_advance_failed),
          owner: row.clock_advance_owner,
          leaseUntil: row.clock_advance_lease_until ? instantFromStored(row.clock_advance_lease_until) : null,
        }
      : undefined,
  };
}

function later(a: Instant, b: Instant): Instant {
  return Temporal.Instant.compare(a, b) >= 0 ? a : b;
}

/**
 * Starts an advance to `target`, or joins the one in progress (its target becomes the later of the two). The
 * caller becomes its driver (`owner`, lease until `leaseUntil`, wall clock) when none holds a live lease. Answers
 * the advance's target and whether the caller drives it. One transaction, the tenant's row locked.
 */
export async function startOrJoinAdvance(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  input: { target: Instant; from: Instant; owner: string; wallNow: Instant; leaseUntil: Instant },
): Promise<{ target: Instant; drives: boolean }> {
  return db.transaction().execute(async (trx) => {
    await lockSellerEnvironment(trx, tenant, dialect);
    const { advance } = await clockState(trx, tenant);
    const target = advance ? later(advance.target, input.target) : input.target;
    const held =
      advance?.owner != null &&
      advance.owner !== input.owner &&
      advance.leaseUntil !== null &&
      Temporal.Instant.compare(advance.leaseUntil, input.wallNow) > 0;
    await updateAdvance(trx, tenant, {
      clock_target_at: toStoredTime(target),
      ...(advance
        ? {}
        : { clock_advance_from: toStoredTime(input.from), clock_advance_done: 0n, clock_advance_failed: 0n }),
      ...(held ? {} : { clock_advance_owner: input.owner, clock_advance_lease_until: toStoredTime(input.leaseUntil) }),
    });
    return { target, drives: !held };
  });
}

/** The driver's report after a chunk: progress, and a longer lease. False when it no longer holds the advance. */
export async function renewAdvance(
  db: Db,
  tenant: Tenant,
  owner: string,
  leaseUntil: Instant,
  progress: { done: number; failed: number },
): Promise<boolean> {
  return updateAdvance(
    db,
    tenant,
    {
      clock_advance_lease_until: toStoredTime(leaseUntil),
      clock_advance_done: BigInt(progress.done),
      clock_advance_failed: BigInt(progress.failed),
    },
    owner,
  );
}

/** The driver stops (SIGTERM): the advance stays, with no owner, for any process to resume at once. */
export async function releaseAdvance(db: Db, tenant: Tenant, owner: string): Promise<void> {
  await updateAdvance(db, tenant, { clock_advance_owner: null, clock_advance_lease_until: null }, owner);
}

/**
 * Ends the advance when its target is still `target` (a joining advance may have moved it on: then the driver goes
 * on): the clock is set to the target (`offsetMicros`, never backwards) and the advance cleared. True when ended.
 */
export async function finishAdvance(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  input: { owner: string; target: Instant; offsetMicros: bigint },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await lockSellerEnvironment(trx, tenant, dialect);
    if (!row || row.clock_advance_owner !== input.owner) return false;
    if (row.clock_target_at !== toStoredTime(input.target)) return false;
    if (row.clock_frozen_at !== null) {
      // A frozen clock stays frozen, at the target (never backwards).
      const frozenAt = toStoredTime(later(instantFromStored(row.clock_frozen_at), input.target));
      await updateClock(trx, tenant, { offsetMicros: row.clock_offset_us, frozenAt });
    } else if (input.offsetMicros > row.clock_offset_us) await updateClockOffset(trx, tenant, input.offsetMicros);
    await updateAdvance(trx, tenant, {
      clock_target_at: null,
      clock_advance_from: null,
      clock_advance_owner: null,
      clock_advance_lease_until: null,
    });
    return true;
  });
}

/**
 * Takes over an advance nobody drives (its process stopped, or died and its lease ran out): true when the caller
 * now drives it. One transaction, the row locked, so two processes never both take it.
 */
export async function takeOverAdvance(
  db: Db,
  dialect: Dialect,
  tenant: Tenant,
  input: { owner: string; wallNow: Instant; leaseUntil: Instant },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await lockSellerEnvironment(trx, tenant, dialect);
    const { advance } = await clockState(trx, tenant);
    if (!advance) return false;
    const live = advance.leaseUntil !== null && Temporal.Instant.compare(advance.leaseUntil, input.wallNow) > 0;
    if (advance.owner !== null && live && advance.owner !== input.owner) return false;
    await updateAdvance(trx, tenant, {
      clock_advance_owner: input.owner,
      clock_advance_lease_until: toStoredTime(input.leaseUntil),
    });
    return true;
  });
}

/** A tenant whose clock advance a process drives now, and which process (its owner name). */
export interface DrivenAdvance {
  tenant: Tenant;
  owner: string;
}

/** Tenants with an advance in progress, split by whether a process drives it now (its lease runs past `wallNow`). */
async function advancesInProgress(db: Db, wallNow: Instant): Promise<{ driven: DrivenAdvance[]; abandoned: Tenant[] }> {
  const rows = await listAdvancesInProgress(db);
  const now = toStoredTime(wallNow);
  const split = { driven: [] as DrivenAdvance[], abandoned: [] as Tenant[] };
  for (const row of rows) {
    const tenant = { seller_id: row.seller_id, environment: row.environment };
    const owner = row.clock_advance_owner;
    const live = owner !== null && !!row.clock_advance_lease_until && row.clock_advance_lease_until > now;
    if (live) split.driven.push({ tenant, owner });
    else split.abandoned.push(tenant);
  }
  return split;
}

/** Tenants whose advance nobody drives now (stopped, or its driver's lease ran out by `wallNow`). */
export async function abandonedAdvances(db: Db, wallNow: Instant): Promise<Tenant[]> {
  return (await advancesInProgress(db, wallNow)).abandoned;
}

/** Tenants whose advance a process drives now, with the process that drives each (see the scheduler). */
export async function drivenAdvances(db: Db, wallNow: Instant): Promise<DrivenAdvance[]> {
  return (await advancesInProgress(db, wallNow)).driven;
}
