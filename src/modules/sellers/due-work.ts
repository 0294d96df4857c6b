// A tenant's due work, every module's runners together, in order of due instant: what the clock advance and the
// scheduler of every process run. Work is done in chunks (a runner's `runDue` with a limit), each unit at the
// instant it fell due; before a chunk the advance moves the tenant's stored clock to the chunk's first due
// instant, so every process's scheduler, which only runs work due by the stored clock, stays behind the advance
// rather than running ahead of it at a later instant (issue #10).
import type { Ctx } from '../../context.js';
import { clockStartingAt, nextTurn, pause } from '../../kernel/clock.js';
import { Temporal, type Instant } from '../../kernel/time.js';
import type { DueWorkRunner } from '../module.js';

/** Units one `runDue` call may do before the loop looks again at which runner's work comes first. */
export const DUE_CHUNK = 200;

/** How long to wait before looking again at units another process holds (ms). */
const BUSY_PAUSE_MS = 10;

/** Counts of units so far, for progress reports. */
export interface DueProgress {
  done: number;
  failed: number;
}

export interface RunDueOptions {
  /**
   * The advance: moves the tenant's stored clock forward to `at` (the first due instant of the next chunk), so
   * other processes see how far it got. The scheduler leaves the clock alone.
   */
  moveClockTo?: (at: Instant) => Promise<void>;
  /**
   * Whether to wait for units another process holds (the advance: its clock must not pass them), or leave them
   * to that process (the scheduler).
   */
  waitForBusy: boolean;
  /** Called after each chunk with the progress so far; answering true stops the run (SIGTERM). */
  afterChunk?: (progress: DueProgress, reached: Instant) => Promise<boolean | void> | boolean | void;
}

interface NextChunk {
  runner: DueWorkRunner;
  at: Instant;
  /** The earliest due instant of any other runner: this runner's chunk stops there to keep time order. */
  othersAt: Instant | undefined;
}

function earlier(a: Instant, b: Instant | undefined): Instant {
  return b && Temporal.Instant.compare(b, a) < 0 ? b : a;
}

async function nextChunk(ctx: Ctx, floors: Map<DueWorkRunner, Instant>): Promise<NextChunk | undefined> {
  const dues: Array<{ runner: DueWorkRunner; at: Instant }> = [];
  for (const runner of ctx.wiring.dueWork) {
    const at = await runner.nextDueAt(ctx, floors.get(runner));
    if (at) dues.push({ runner, at });
  }
  dues.sort((a, b) => Temporal.Instant.compare(a.at, b.at));
  const [first, second] = dues;
  return first && { runner: first.runner, at: first.at, othersAt: second?.at };
}

/**
 * Runs the tenant's work due at or before `until` (overdue work included), in order of due instant across
 * runners, each unit at its own instant. Returns when nothing is left due by `until` but work that failed (it
 * stays due for a later run) or, for the scheduler, work another process holds; or when `afterChunk` says stop.
 */
export async function runDueUntil(ctx: Ctx, until: Instant, options: RunDueOptions): Promise<DueProgress> {
  const progress: DueProgress = { done: 0, failed: 0 };
  // A runner's work at or before its floor is failing (or, for the scheduler, held elsewhere): not looked at again.
  const floors = new Map<DueWorkRunner, Instant>();
  for (;;) {
    const next = await nextChunk(ctx, floors);
    if (!next || Temporal.Instant.compare(next.at, until) > 0) return progress;
    const bound = earlier(until, next.othersAt);
    await options.moveClockTo?.(next.at);
    const run = await next.runner.runDue({ ...ctx, clock: clockStartingAt(ctx.clock, bound) }, DUE_CHUNK);
    progress.done += run.done;
    progress.failed += run.failed;
    if (run.done === 0) {
      if (run.busy > 0 && options.waitForBusy) await pause(BUSY_PAUSE_MS);
      else floors.set(next.runner, bound);
    }
    if (await options.afterChunk?.(progress, next.at)) return progress;
    await nextTurn();
  }
}
