// A sandbox clock that stands still (#15): frozen at an instant, it reads the same until `clock/advance` moves it
// (which keeps it frozen, at the new instant), so nothing passes between two assertions. Unfrozen, it runs on from
// where it stood.
import type { Ctx } from '../../context.js';
import type { Clock } from '../../kernel/clock.js';
import { invalidField } from '../../kernel/errors.js';
import { parseRfc3339, Temporal, type Instant } from '../../kernel/time.js';
import { LATEST_CLOCK } from './clock.js';
import { setTenantClockFrozen } from '../sellers/service.js';

/**
 * `POST /test-helpers/clock/freeze` with `{ "at"?: RFC 3339 }`: stops the key's sandbox clock at `at` (default: the
 * instant it reads now). Answers the clock's instant.
 * @throws PaddleError `invalid_field` for a malformed `at`, one before the clock's current instant, or another field.
 */
export async function freezeSandboxClock(
  ctx: Ctx,
  wallClock: Clock,
  body: Readonly<Record<string, unknown>>,
): Promise<Instant> {
  const unknown = Object.keys(body).filter((key) => key !== 'at');
  if (unknown.length > 0) throw invalidField(unknown.map((field) => ({ field, message: 'property is not allowed' })));
  let at: Instant | undefined;
  if (body.at !== undefined) {
    at = typeof body.at === 'string' ? parseRfc3339(body.at) : undefined;
    if (!at) throw invalidField([{ field: 'at', message: 'must be an RFC 3339 date-time' }]);
    if (Temporal.Instant.compare(at, LATEST_CLOCK) > 0)
      throw invalidField([{ field: 'at', message: `must not be past ${LATEST_CLOCK.toString()}` }]);
  }
  const clock = await setTenantClockFrozen(ctx.db, ctx.dialect, ctx.tenant, wallClock, { at });
  if (!clock) throw invalidField([{ field: 'at', message: 'the sandbox clock only moves forward' }]);
  return clock.now();
}

/** `POST /test-helpers/clock/unfreeze`: the key's sandbox clock runs again from the instant it stood at. */
export async function unfreezeSandboxClock(ctx: Ctx, wallClock: Clock): Promise<Instant> {
  const clock = await setTenantClockFrozen(ctx.db, ctx.dialect, ctx.tenant, wallClock, null);
  if (!clock) throw new Error('resuming a clock never fails');
  return clock.now();
}
