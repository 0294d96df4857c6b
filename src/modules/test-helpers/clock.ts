// The sandbox clock: wall clock plus a forward-only offset kept per seller environment in the database.
// An advance runs everything that falls due up to its target, each unit at its own instant and in time order
// (sellers/due-work.ts), in the background in bounded chunks, so no request waits for it; its state (target,
// progress, which process drives it under a lease) is in the database, so every process sees it and any process
// resumes it when its driver stopped or died (issue #10).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Ctx } from '../../context.js';
import { pause, tenantClock, type Clock } from '../../kernel/clock.js';
import { invalidField } from '../../kernel/errors.js';
import { MAX_DURATION_YEARS } from '../../kernel/limits.js';
import { Temporal, parseRfc3339, toStoredTime, toWireTime, type Instant } from '../../kernel/time.js';
import { moveTenantClock } from '../sellers/service.js';
import {
  clockState,
  finishAdvance,
  releaseAdvance,
  renewAdvance,
  startOrJoinAdvance,
  takeOverAdvance,
  type ClockState,
} from '../sellers/clock-advance.js';
import { runDueUntil } from '../sellers/due-work.js';

/** The body of `POST /test-helpers/clock/advance` as sent (no spec checks it). */
export interface AdvanceInput {
  /** RFC 3339 date-time to move to. */
  to?: unknown;
  /** ISO 8601 duration to move by, e.g. `P1M`. */
  by?: unknown;
  /** true: answer when the advance is complete, however long; false: answer at once; absent: wait up to 30 s. */
  wait?: unknown;
}

/**
 * The most one advance may cover: one year of the tenant's clock. It bounds the work one request starts (a daily
 * subscription renews at most 366 times, dunning runs its course, nothing runs for centuries because of a typo
 * such as `P100Y`); a longer journey is several advances.
 */
const MAX_ADVANCE = { years: 1 } as const;

/** How long an advance answers late by default (wall clock): small advances answer complete, as they always did. */
const DEFAULT_WAIT_MS = 30_000;

/** How long a driver holds an advance without reporting progress before another process may take it over. */
const LEASE_MS = 15_000;

/** This process, as the driver of an advance (host, pid and a random part: a restarted process is another one). */
export const PROCESS_OWNER = `${hostname().slice(0, 30)}:${process.pid}:${randomBytes(4).toString('hex')}`;

function targetOf(now: Instant, input: AdvanceInput): Instant {
  if ((input.to === undefined) === (input.by === undefined)) {
    throw invalidField([{ field: 'to', message: 'give exactly one of `to` (RFC 3339) or `by` (ISO 8601 duration)' }]);
  }
  if (input.to !== undefined) {
    const to = typeof input.to === 'string' ? parseRfc3339(input.to) : undefined;
    if (!to) throw invalidField([{ field: 'to', message: 'must be an RFC 3339 date-time' }]);
    if (Temporal.Instant.compare(to, now) < 0)
      throw invalidField([{ field: 'to', message: 'the sandbox clock only moves forward' }]);
    return withinClockRange(withinBound(now, to, 'to'), 'to');
  }
  let duration: Temporal.Duration;
  try {
    duration = Temporal.Duration.from(String(input.by));
  } catch {
    throw invalidField([{ field: 'by', message: 'must be an ISO 8601 duration such as P1M or PT2H' }]);
  }
  if (duration.sign < 0) throw invalidField([{ field: 'by', message: 'the sandbox clock only moves forward' }]);
  // @NOTE calendar units (P1M) are added in UTC, so "one month" lands on the same day and time next month.
  let target: Instant;
  try {
    target = now.toZonedDateTimeISO('UTC').add(duration).toInstant();
  } catch {
    throw invalidField([{ field: 'by', message: `must not move the clock past ${LATEST_CLOCK.toString()}` }]);
  }
  return withinClockRange(withinBound(now, target, 'by'), 'by');
}

/**
 * The latest instant the sandbox clock may show: a century before the last storable instant (kernel/time.ts), so
 * that the longest billing cycle or trial (kernel/limits.ts) still ends inside the stored range.
 */
export const LATEST_CLOCK = Temporal.Instant.from(`${9999 - MAX_DURATION_YEARS}-12-31T23:59:59.999999Z`);

function withinClockRange(target: Instant, field: 'to' | 'by'): Instant {
  if (Temporal.Instant.compare(target, LATEST_CLOCK) > 0)
    throw invalidField([{ field, message: `must not move the clock past ${LATEST_CLOCK.toString()}` }]);
  return target;
}

function withinBound(now: Instant, target: Instant, field: 'to' | 'by'): Instant {
  const limit = now.toZonedDateTimeISO('UTC').add(MAX_ADVANCE).toInstant();
  if (Temporal.Instant.compare(target, limit) > 0) {
    throw invalidField([
      { field, message: 'one advance may cover at most one year (P1Y) of the sandbox clock; advance again for more' },
    ]);
  }
  return target;
}

function waitOf(input: AdvanceInput): boolean | undefined {
  if (input.wait === undefined || typeof input.wait === 'boolean') return input.wait;
  throw invalidField([{ field: 'wait', message: 'must be true (answer when complete) or false (answer at once)' }]);
}

function offsetFor(wallClock: Clock, target: Instant): bigint {
  return (target.epochNanoseconds - wallClock.now().epochNanoseconds) / 1000n;
}

/**
 * Moves the stored clock so it reads `to` (a frozen clock stays frozen there; never backwards: a concurrent advance
 * may have gone further).
 */
async function moveClock(ctx: Ctx, wallClock: Clock, to: Instant): Promise<Ctx> {
  return { ...ctx, clock: await moveTenantClock(ctx.db, ctx.dialect, ctx.tenant, wallClock, to) };
}

/** The clock as `GET /test-helpers/clock` and the advance answer it: now, and the advance in progress, if any. */
export interface ClockView {
  now: string;
  /** True while the clock stands still (clock/freeze, or frozen_at at the seller's creation). */
  frozen: boolean;
  status: 'ready' | 'advancing';
  /** The advance in progress: where it started and goes (RFC 3339), its share of that span covered (0–1), units. */
  advancing: { from: string; to: string; progress: number; done: number; failed: number } | null;
}

/** The clock the stored state describes: running (wall clock + offset) or frozen. */
function clockOf(state: ClockState, wallClock: Clock): Clock {
  return tenantClock(wallClock, { clockOffsetMicros: state.offsetMicros, clockFrozenAt: state.frozenAt });
}

function viewOf(state: ClockState, wallClock: Clock): ClockView {
  const now = clockOf(state, wallClock).now();
  const wire = (at: Instant) => toWireTime(toStoredTime(at));
  const advance = state.advance;
  const frozen = state.frozenAt !== null;
  if (!advance) return { now: wire(now), frozen, status: 'ready', advancing: null };
  const span = advance.target.since(advance.from).total('seconds');
  const covered = now.since(advance.from).total('seconds');
  const progress = span > 0 ? Math.min(1, Math.max(0, covered / span)) : 1;
  return {
    now: wire(now),
    frozen,
    status: 'advancing',
    advancing: {
      from: wire(advance.from),
      to: wire(advance.target),
      progress: Math.round(progress * 10_000) / 10_000,
      done: advance.done,
      failed: advance.failed,
    },
  };
}

/** The tenant's clock and advance in progress. */
export async function readSandboxClock(ctx: Ctx, wallClock: Clock): Promise<ClockView> {
  return viewOf(await clockState(ctx.db, ctx.tenant), wallClock);
}

/**
 * The advances this process drives for one owner of them (an app's routes, or the scheduler), and how to stop them
 * (SIGTERM): a stopped advance keeps its state in the database and is resumed by whichever scheduler sees it first.
 */
export class AdvanceDrivers {
  readonly #running = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(
    private readonly wallClock: Clock,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  /** Drives the tenant's advance (after any drive of it already running here); resolves when it ended or stopped. */
  drive(ctx: Ctx): Promise<void> {
    const key = `${ctx.tenant.seller_id}/${ctx.tenant.environment}`;
    const next = (this.#running.get(key) ?? Promise.resolve())
      .then(() => driveAdvance(ctx, this.wallClock, this.#stop.signal))
      .catch((error: unknown) => this.log?.(`the clock advance of ${key} failed; it is resumed later`, error))
      .finally(() => {
        if (this.#running.get(key) === next) this.#running.delete(key);
      });
    this.#running.set(key, next);
    return next;
  }

  /** Takes over the tenant's advance if nobody drives it (stopped, or its process died), and drives it. */
  async resume(ctx: Ctx): Promise<void> {
    const wallNow = this.wallClock.now();
    const leaseUntil = wallNow.add({ milliseconds: LEASE_MS });
    if (await takeOverAdvance(ctx.db, ctx.dialect, ctx.tenant, { owner: PROCESS_OWNER, wallNow, leaseUntil }))
      void this.drive(ctx);
  }

  /** True once `stop` was called. */
  get stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Stops every advance this driver runs after the unit in progress, and waits for them. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled([...this.#running.values()]);
  }
}

/** Runs the tenant's advance while this process holds it: chunk after chunk, reporting progress, to its target. */
async function driveAdvance(ctx: Ctx, wallClock: Clock, stop: AbortSignal): Promise<void> {
  const { db, dialect, tenant } = ctx;
  for (;;) {
    const state = await clockState(db, tenant);
    const advance = state.advance;
    if (!advance || advance.owner !== PROCESS_OWNER || stop.aborted) return;
    let clock: Clock = clockOf(state, wallClock);
    await runDueUntil({ ...ctx, clock }, advance.target, {
      waitForBusy: true,
      moveClockTo: async (at) => {
        if (Temporal.Instant.compare(at, clock.now()) > 0) clock = (await moveClock(ctx, wallClock, at)).clock;
      },
      afterChunk: async (progress) => {
        const leaseUntil = wallClock.now().add({ milliseconds: LEASE_MS });
        const held = await renewAdvance(db, tenant, PROCESS_OWNER, leaseUntil, {
          done: advance.done + progress.done,
          failed: advance.failed + progress.failed,
        });
        return !held || stop.aborted;
      },
    });
    if (stop.aborted) {
      await releaseAdvance(db, tenant, PROCESS_OWNER);
      return;
    }
    const offsetMicros = offsetFor(wallClock, advance.target);
    if (await finishAdvance(db, dialect, tenant, { owner: PROCESS_OWNER, target: advance.target, offsetMicros }))
      return;
  }
}

/**
 * `POST /test-helpers/clock/advance`: starts an advance to the target (or joins the one in progress), then waits
 * as `wait` says. Answers the clock and whether the advance is complete (`ready`) or still `advancing`.
 * @throws PaddleError invalid_field: no or both of `to`/`by`, malformed, backwards, more than one year, bad `wait`.
 */
export async function advanceSandboxClock(
  ctx: Ctx,
  wallClock: Clock,
  drivers: AdvanceDrivers,
  input: AdvanceInput,
): Promise<ClockView> {
  const now = ctx.clock.now();
  const target = targetOf(now, input);
  const wait = waitOf(input);
  const wallNow = wallClock.now();
  const { drives } = await startOrJoinAdvance(ctx.db, ctx.dialect, ctx.tenant, {
    target,
    from: now,
    owner: PROCESS_OWNER,
    wallNow,
    leaseUntil: wallNow.add({ milliseconds: LEASE_MS }),
  });
  let driving = drives ? drivers.drive(ctx) : undefined;
  void driving?.then(() => (driving = undefined));
  const deadline = wait === true ? undefined : wallNow.add({ milliseconds: wait === false ? 0 : DEFAULT_WAIT_MS });
  for (;;) {
    const state = await clockState(ctx.db, ctx.tenant);
    const leftMs = deadline ? deadline.since(wallClock.now()).total('milliseconds') : 1000;
    // @NOTE a stopping process (SIGTERM) answers with the advance in progress: the rest is resumed on restart.
    if (!state.advance || leftMs <= 0 || drivers.stopping) return viewOf(state, wallClock);
    if (driving) await Promise.race([driving, pause(Math.min(1000, leftMs))]);
    else await pause(Math.min(50, leftMs));
  }
}
