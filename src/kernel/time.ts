// Instants and their wire format. Paddle sends RFC 3339 UTC with up to microsecond precision and trims
// trailing zeros; we store a fixed-width form (always six fraction digits) so text order is time order.
import { Temporal } from 'temporal-polyfill';
import { PaddleError } from './errors.js';

export type Instant = Temporal.Instant;
export { Temporal };

const FIXED_WIDTH = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Days since 1970-01-01 → proleptic Gregorian [year, month 1–12, day 1–31] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const MICROS_PER_DAY = 86_400_000_000n;
/** 10000-01-01T00:00:00Z in microseconds: from there on years need more than four digits. */
const YEAR_10000_MICROS = 253_402_300_800_000_000n;

/**
 * The stored form: `2024-04-11T15:57:24.813000Z` (UTC, exactly six fraction digits; sub-microsecond digits are
 * dropped). Throws `400 date_out_of_range` for an instant outside years 0000–9999, whose text would not keep the
 * fixed width that makes text order time order (a period computed past 9999 is refused before it is written).
 * @NOTE written by hand from the epoch for years 1970–9999: Temporal's general formatter cost ~20 µs a call, and
 * every write stores several instants (#13); other years go through Temporal.
 */
export function toStoredTime(instant: Instant): string {
  const micros = instant.epochNanoseconds / 1000n;
  if (micros < 0n || micros >= YEAR_10000_MICROS) {
    const iso = instant.toString({ smallestUnit: 'microsecond' });
    if (iso.length !== STORED_LENGTH) throw new PaddleError('date_out_of_range');
    return iso;
  }
  const days = Number(micros / MICROS_PER_DAY);
  const inDay = Number(micros % MICROS_PER_DAY);
  const [year, month, day] = civilFromDays(days);
  const seconds = Math.floor(inDay / 1_000_000);
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(seconds / 3600), 2)}:` +
    `${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(inDay % 1_000_000, 6)}Z`
  );
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
