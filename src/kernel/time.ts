// Instants and their wire format. Paddle sends RFC 3339 UTC with up to microsecond precision and trims
// trailing zeros; we store a fixed-width form (always six fraction digits) so text order is time order.
import { Temporal } from 'temporal-polyfill';
import { PaddleError } from './errors.js';

export type Instant = Temporal.Instant;
export { Temporal };

const FIXED_WIDTH = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The stored form: `2024-04-11T15:57:24.813000Z` (UTC, exactly six fraction digits). Throws `400
 * date_out_of_range` for an instant outside years 0000–9999, whose text would not keep the fixed width that makes
 * text order time order (a period computed past 9999 is refused before it is written).
 */
export function toStoredTime(instant: Instant): string {
  const iso = instant.toString({ smallestUnit: 'microsecond' });
  if (iso.length !== STORED_LENGTH) throw new PaddleError('date_out_of_range');
  return iso;
}

const STORED_LENGTH = '2024-04-11T15:57:24.813000Z'.length;

/** The wire form: RFC 3339 UTC with trailing fraction zeros trimmed, as Paddle sends it. */
export function toWireTime(stored: string): string;
export function toWireTime(stored: string | null): string | null;
export function toWireTime(stored: string | null): string | null {
  if (stored === null) return null;
  const match = FIXED_WIDTH.exec(stored);
  if (!match) return stored;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${match[1]}.${fraction}Z` : `${match[1]}Z`;
}

/** Parses an RFC 3339 timestamp from a client; returns undefined when it is not one. */
export function parseRfc3339(value: string): Instant | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  try {
    return Temporal.Instant.from(value);
  } catch {
    return undefined;
  }
}

/** Normalises a client timestamp to the stored form (microsecond precision, UTC). */
export function storedFromRfc3339(value: string): string | undefined {
  const instant = parseRfc3339(value);
  return instant ? toStoredTime(instant.round({ smallestUnit: 'microsecond', roundingMode: 'trunc' })) : undefined;
}

export function instantFromStored(stored: string): Instant {
  return Temporal.Instant.from(stored);
}
