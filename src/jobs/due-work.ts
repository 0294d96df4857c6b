// Work that falls due at an instant (renewals, trial ends, scheduled changes, retries). Each kind of work
// registers a runner; the scheduler and the sandbox clock's advance both call runDueWork.
import type { Ctx } from '../context.js';
import type { Instant } from '../kernel/time.js';

export interface DueWorkRunner {
  name: string;
  /** The earliest instant at which this runner has work for the tenant, or undefined if none. */
  nextDueAt(ctx: Ctx): Promise<Instant | undefined>;
  /** Does everything of this kind due at or before `ctx.clock.now()`; must be idempotent. */
  runDue(ctx: Ctx): Promise<void>;
}

const runners: DueWorkRunner[] = [];

export function registerDueWork(runner: DueWorkRunner): void {
  if (!runners.some((existing) => existing.name === runner.name)) runners.push(runner);
}

export function dueWorkRunners(): readonly DueWorkRunner[] {
  return runners;
}
