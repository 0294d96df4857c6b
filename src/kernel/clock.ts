// The one source of "now". Nothing else in Paddock reads the wall clock.
// Live environments follow the wall clock; each sandbox adds its own forward-only offset (stored in the
// database, so every process sees the same sandbox time).
import { Temporal, type Instant } from './time.js';

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
    const elapsedMicros = (process.hrtime.bigint() - this.#originHr) / 1000n;
    let micros = this.#originEpochMicros + this.#originPerf + elapsedMicros;
    // @NOTE never hand out the same or an earlier instant twice in one process.
    if (micros <= this.#last) micros = this.#last + 1n;
    this.#last = micros;
    return Temporal.Instant.fromEpochNanoseconds(micros * 1000n);
  }
}

/** A clock running `offsetMicros` ahead of another one: the sandbox clock. */
export class OffsetClock implements Clock {
  constructor(
    private readonly base: Clock,
    readonly offsetMicros: bigint,
  ) {}

  now(): Instant {
    return this.base.now().add({ microseconds: Number(this.offsetMicros) });
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
