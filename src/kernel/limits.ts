// The bounds Paddock keeps every value inside, so that valid-looking input never reaches a 500 and nothing stored
// becomes unreadable: free-form `custom_data` (depth and size), the length of billing cycles and trials, amounts
// (what a bigint column holds) and instants (what the fixed-width stored time holds). Paddle documents none of
// these bounds; each is far beyond what a Paddle integration sends (docs/errors.md, "Limits").
import { PaddleError, type FieldError } from './errors.js';

/** `custom_data` may nest objects and arrays this deep (the object itself is level 1). */
export const MAX_CUSTOM_DATA_DEPTH = 32;
/** `custom_data` may take this many bytes as JSON (UTF-8). */
export const MAX_CUSTOM_DATA_BYTES = 65_536;
/** A request body may nest this deep anywhere (only `custom_data` is free-form; the rest is the spec's shape). */
export const MAX_BODY_DEPTH = 64;
/** A billing cycle or trial period may last at most this many years (36,500 days, 5,200 weeks, 1,200 months). */
export const MAX_DURATION_YEARS = 100;
/** The largest amount in minor units a bigint column (SQLite INTEGER, PostgreSQL int8) stores: 2^63 − 1. */
export const MAX_AMOUNT = 2n ** 63n - 1n;

const MAX_FREQUENCY: Record<string, number> = {
  day: MAX_DURATION_YEARS * 365,
  week: MAX_DURATION_YEARS * 52,
  month: MAX_DURATION_YEARS * 12,
  year: MAX_DURATION_YEARS,
};

/**
 * `amount` when it is within ±MAX_AMOUNT; otherwise throws `400 amount_out_of_range`. Every computed amount goes
 * through here (kernel/money.ts's arithmetic, credit balances), so a total that would overflow the database is
 * refused before anything is written.
 */
export function storableAmount(amount: bigint): bigint {
  if (amount > MAX_AMOUNT || amount < -MAX_AMOUNT) throw new PaddleError('amount_out_of_range');
  return amount;
}

interface Pending {
  value: unknown;
  field: string;
  depth: number;
}

function childField(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function children(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((item, index) => [index, item]);
  if (value !== null && typeof value === 'object') return Object.entries(value);
  return [];
}

/** The nesting depth of a JSON value (a scalar is 0, `{}` is 1), counted without recursion. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; depth: number };
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const [, child] of children(next.value)) stack.push({ value: child, depth });
  }
  return deepest;
}

function customDataError(value: unknown, field: string): FieldError | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depthOf(value, MAX_CUSTOM_DATA_DEPTH) > MAX_CUSTOM_DATA_DEPTH)
    return { field, message: `must not nest deeper than ${MAX_CUSTOM_DATA_DEPTH} levels` };
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_CUSTOM_DATA_BYTES)
    return { field, message: `must not be larger than ${MAX_CUSTOM_DATA_BYTES} bytes as JSON` };
  return undefined;
}

function durationError(value: unknown, field: string): FieldError | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { interval, frequency } = value as { interval?: unknown; frequency?: unknown };
  const max = typeof interval === 'string' ? MAX_FREQUENCY[interval] : undefined;
  if (max === undefined || typeof frequency !== 'number' || frequency <= max) return undefined;
  return {
    field: `${field}.frequency`,
    message: `must be at most ${max} for ${interval} (${MAX_DURATION_YEARS} years)`,
  };
}

/**
 * The field errors of a request body against Paddock's bounds: `custom_data` anywhere (depth, size), a
 * `billing_cycle` or `trial_period` anywhere (length), and the body's own depth. Walks without recursion, so a body
 * nested thousands of levels deep is refused, not a stack overflow. Field names as Paddle's (`items[0].price`).
 */
export function bodyLimitErrors(body: unknown): FieldError[] {
  if (depthOf(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    return [{ field: 'body', message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` }];
  }
  const errors: FieldError[] = [];
  const stack: Pending[] = [{ value: body, field: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, field, depth } = stack.pop() as Pending;
    for (const [key, child] of children(value)) {
      const name = childField(field, key);
      const error =
        key === 'custom_data'
          ? customDataError(child, name)
          : key === 'billing_cycle' || key === 'trial_period'
            ? durationError(child, name)
            : undefined;
      if (error) errors.push(error);
      else if (key !== 'custom_data') stack.push({ value: child, field: name, depth: depth + 1 });
    }
  }
  return errors;
}
