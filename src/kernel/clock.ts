// The one source of "now". Nothing else in Paddock reads the wall clock.
// Live environments follow the wall clock; each sandbox adds its own forward-only offset, or stands still at an
// instant (both stored in the database, so every process sees the same sandbox time).
import { Temporal, instantFromStored, type Instant } from './time.js';

export interface Clock {
  now(): Instant;
}

/** Microsecond wall clock: Date.now() only has milliseconds, so the sub-millisecond part comes from hrtime. */
export class WallClock implements Clock {
  readonly #originEpochMicros = BigInt(Math.round(performance.timeOrigin * 1000));
  readonly #originHr = process.hrtime.bigint();
  readonly #originPerf = BigInt(Math.round(performance.now() * 1000));
  #last = 0n;

  now(): Instant {
    let micros = this.#epochMicros();
    // @NOTE never hand out the same or an earlier instant twice in one process.
    if (micros <= this.#last) micros = this.#last + 1n;
    this.#last = micros;
    return Temporal.Instant.fromEpochNanoseconds(micros * 1000n);
  }

  /**
   * The wall clock's epoch millisecond, without making an Instant: what ids take from it (kernel/ids.ts). @NOTE
   * an Instant per id was most of an id's cost, and a subscription made through the API makes about twenty ids.
   */
  epochMilliseconds(): number {
    return Number(this.#epochMicros() / 1000n);
  }

  #epochMicros(): bigint {
    return this.#originEpochMicros + this.#originPerf + (process.hrtime.bigint() - this.#originHr) / 1000n;
  }
}

/** A clock running `offsetMicros` ahead of another one: the sandbox clock. */
export class OffsetClock implements Clock {
  constructor(
    readonly base: Clock,
    readonly offsetMicros: bigint,
  ) {}

  now(): Instant {
    const base = this.base.now();
    // @NOTE from the epoch, not `add({ microseconds })`: building a Duration cost more than the rest of now().
    return this.offsetMicros === 0n
      ? base
      : Temporal.Instant.fromEpochNanoseconds(base.epochNanoseconds + this.offsetMicros * 1000n);
  }
}

/** A clock that stands still until moved: for tests of pure code. */
export class FixedClock implements Clock {
  constructor(private current: Instant) {}
  now(): Instant {
    return this.current;
  }
  set(instant: Instant): void {
    this.current = instant;
  }
}

/**
 * A clock that reads `at` now and runs on with `base`: due work done at the instant it fell due, when the clock
 * that runs it is already past that instant (overdue work, or one step of an advance).
 */
export function clockStartingAt(base: Clock, at: Instant): Clock {
  const offsetMicros = (at.epochNanoseconds - base.now().epochNanoseconds) / 1000n;
  if (offsetMicros === 0n) return base;
  // @NOTE one offset over the innermost clock, not a chain: each link of a chain made an Instant per now().
  if (base instanceof OffsetClock) return new OffsetClock(base.base, base.offsetMicros + offsetMicros);
  return new OffsetClock(base, offsetMicros);
}

/**
 * Resolves on the event loop's next turn: long work (due work in bulk) awaits this between units so requests
 * waiting on the same process are answered in between (on SQLite every query is synchronous, so without it a
 * batch would hold the process for its whole length).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Milliseconds of wall time since the call (monotonic): how long a batch of work has held its transaction. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}

/** Resolves after `ms` milliseconds of wall time (waiting for work another process holds). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How a tenant's clock is kept (stored per seller environment): running ahead of the wall clock, or frozen. */
export interface ClockState {
  /** Microseconds the clock runs ahead of the wall clock while it runs (0 for live). */
  clockOffsetMicros: bigint;
  /** The instant (stored RFC 3339) a frozen sandbox clock stands at; null while the clock runs. */
  clockFrozenAt: string | null;
}

/**
 * The clock a tenant's use cases read: a frozen one answers its instant until `clock/advance` moves it (so two
 * reads a second of wall time apart agree); a running one is the wall clock plus the offset.
 */
export function tenantClock(wallClock: Clock, state: ClockState): Clock {
  if (state.clockFrozenAt !== null) return new FixedClock(instantFromStored(state.clockFrozenAt));
  return new OffsetClock(wallClock, state.clockOffsetMicros);
}
