// Runs due work on every tenant's own clock while the server is up: live tenants follow the wall clock, each
// sandbox its offset clock. Several processes may run this at once: every unit of work is claimed inside its
// own database transaction with the row locked (and skipped when another process holds it, on PostgreSQL),
// and re-checked before anything happens, so nothing runs twice.
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Db, Dialect } from '../db/database.js';
import { tenantClock, type Clock, type ClockState } from '../kernel/clock.js';
import type { Wiring } from '../modules/module.js';
import { runDueUntil } from '../modules/sellers/due-work.js';
import { abandonedAdvances, drivenAdvances } from '../modules/sellers/clock-advance.js';
import { AdvanceDrivers, PROCESS_OWNER } from '../modules/test-helpers/clock.js';
import type { Tenant } from '../db/tables.js';
import { tenantClocks } from '../modules/sellers/service.js';

export interface SchedulerDeps {
  db: Db;
  dialect: Dialect;
  wallClock: Clock;
  config: Config;
  /** Whose due work runs: the modules' runners (`PADDOCK_WIRING` in a server or CLI). */
  wiring: Wiring;
  /** How often to look for due work; the interval is also the worst-case lateness of a renewal. */
  intervalMs: number;
  log?: (message: string, error?: unknown) => void;
  /** Database upkeep run before each pass (the planner's statistics: db/statistics.ts), given by the server. */
  housekeeping?: () => Promise<unknown>;
  /**
   * Whose clock advances count as this process's own (left to their driver); this process's by default. Tests
   * name another to run a pass as a second process would.
   */
  advanceOwner?: string;
}

/**
 * One pass over every tenant: whatever is due on that tenant's clock now is done. With `drivers`, a clock advance
 * nobody drives any more (its process stopped, or died and its lease ran out) is taken over and resumed.
 */
export async function runDueWorkOnce(deps: Omit<SchedulerDeps, 'intervalMs'>, drivers?: AdvanceDrivers): Promise<void> {
  await deps.housekeeping?.().catch((error: unknown) => deps.log?.('database upkeep failed', error));
  if (drivers) {
    for (const tenant of await abandonedAdvances(deps.db, deps.wallClock.now())) {
      await drivers
        .resume({ ...contextOf(deps, tenant, { clockOffsetMicros: 0n, clockFrozenAt: null }) })
        .catch((error: unknown) => {
          deps.log?.(`resuming the clock advance of ${tenant.seller_id}/${tenant.environment} failed`, error);
        });
    }
  }
  // @NOTE work a worker of its own runs (webhook deliveries) is left to it: two claim paths in one process would
  // each count their own attempts in flight, and the bounds per destination and overall would not hold.
  const wiring = { ...deps.wiring, dueWork: deps.wiring.dueWork.filter((runner) => !runner.ownWorker) };
  // @NOTE a tenant whose clock advance THIS process drives is left to the driver: it runs the same due work in
  // time order on the same event loop, and a pass here claimed the rows it was about to do, so it waited for them
  // (issue #10: the served advance on PostgreSQL lost about 40 % of its speed to its own process's scheduler).
  // Another process's advance is helped on PostgreSQL: this pass claims other rows due by the stored clock (which
  // the driver moves chunk by chunk) with SKIP LOCKED, each at its own instant, while the driver does the rest and
  // waits for these before it moves the clock on. On SQLite one writer at a time gains nothing: left alone too.
  const owner = deps.advanceOwner ?? PROCESS_OWNER;
  const driven = new Set(
    (await drivenAdvances(deps.db, deps.wallClock.now()))
      .filter((advance) => deps.dialect === 'sqlite' || advance.owner === owner)
      .map(({ tenant }) => `${tenant.seller_id}/${tenant.environment}`),
  );
  for (const { tenant, ...clockState } of await tenantClocks(deps.db)) {
    if (driven.has(`${tenant.seller_id}/${tenant.environment}`)) continue;
    const ctx = { ...contextOf(deps, tenant, clockState), wiring };
    // @NOTE one tenant's failure must not hold up the others: it is logged and retried on the next pass.
    try {
      // Work another process holds is left to it; work due by this tenant's clock runs at its own instant.
      await runDueUntil(ctx, ctx.clock.now(), { waitForBusy: false });
    } catch (error) {
      deps.log?.(`due work of ${tenant.seller_id}/${tenant.environment} failed; retried on the next pass`, error);
    }
  }
}

function contextOf(deps: Omit<SchedulerDeps, 'intervalMs'>, tenant: Tenant, clockState: ClockState): Ctx {
  return {
    db: deps.db,
    dialect: deps.dialect,
    clock: tenantClock(deps.wallClock, clockState),
    tenant,
    config: deps.config,
    wiring: deps.wiring,
  };
}

export interface RunningScheduler {
  stop(): Promise<void>;
}

/** Starts the loop; `stop` waits for a pass in progress to finish (so SIGTERM leaves work consistent). */
export function startScheduler(deps: SchedulerDeps): RunningScheduler {
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const drivers = new AdvanceDrivers(deps.wallClock, deps.log);
  const tick = () => {
    if (stopped) return;
    current = runDueWorkOnce(deps, drivers)
      .catch((error: unknown) => deps.log?.('due work failed; it will be retried on the next pass', error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs);
      });
  };
  timer = setTimeout(tick, deps.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([current, drivers.stop()]);
    },
  };
}
