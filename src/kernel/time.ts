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

/**
 * The UTC calendar year and month (1–12) of `instant`, as `instant.toZonedDateTimeISO('UTC')` has them. @NOTE by
 * hand from the epoch day, as `toStoredTime` is: Temporal's zoned date cost ~10 µs a call, and paying for a
 * subscription asked for it three times (the card's expiry, the pay helper's card, the invoice number's year).
 */
export function utcYearMonth(instant: Instant): { year: number; month: number } {
  const days = Number(instant.epochNanoseconds / 86_400_000_000_000n);
  const floored =
    instant.epochNanoseconds < 0n && instant.epochNanoseconds % 86_400_000_000_000n !== 0n ? days - 1 : days;
  const [year, month] = civilFromDays(floored);
  return { year, month };
}

/** The wire form: RFC 3339 UTC with trailing fraction zeros trimmed, as Paddle sends it. */
export function toWireTime(stored: string): string;
export function toWireTime(stored: string | null): string | null;
export function toWireTime(stored: string | null): string | null {
  if (stored === null) return null;
  // @NOTE the stored form (what toStoredTime writes) without a regular expression: every entity serializes two to
  // ten times, and the expression cost ~80 ns a time against ~12 (a page of 50 customers: 100 of them, #13).
  if (
    stored.length === STORED_LENGTH &&
    stored.charCodeAt(10) === 84 /* T */ &&
    stored.charCodeAt(19) === 46 /* . */ &&
    stored.charCodeAt(26) === 90 /* Z */
  ) {
    let end = 26;
    while (end > 20 && stored.charCodeAt(end - 1) === 48 /* 0 */) end -= 1;
    return end === 20 ? `${stored.slice(0, 19)}Z` : `${stored.slice(0, end)}Z`;
  }
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

/** Proleptic Gregorian year, month 1–12, day 1–31 → days since 1970-01-01 (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const NANOS_PER_DAY = 86_400_000_000_000n;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `instant` + `months` on the UTC calendar, the day clamped to the end of a shorter month (Jan 31 + 1 month = Feb
 * 28/29), the time of day kept to the nanosecond: what Temporal's `toZonedDateTimeISO('UTC').add({ months })` gives
 * (12 months for a year), without its cost (~40 µs a call; a renewal computes several period boundaries, #10).
 * Throws RangeError outside Temporal's range, as Temporal does.
 */
export function addUtcMonths(instant: Instant, months: number): Instant {
  const ns = instant.epochNanoseconds;
  let days = ns / NANOS_PER_DAY;
  let inDay = ns % NANOS_PER_DAY;
  if (inDay < 0n) {
    inDay += NANOS_PER_DAY;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const total = year * 12 + (month - 1) + months;
  const toYear = Math.floor(total / 12);
  const toMonth = total - toYear * 12 + 1;
  const toDay = Math.min(day, daysInMonth(toYear, toMonth));
  return Temporal.Instant.fromEpochNanoseconds(BigInt(daysFromCivil(toYear, toMonth, toDay)) * NANOS_PER_DAY + inDay);
}

const STORED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;

/** Instants parsed lately, by stored text: a renewal reads the same few times several times over. */
const parsed = new Map<string, Instant>();
const PARSED_KEPT = 4096;

/**
 * The instant of a stored time (or of any RFC 3339 text Temporal reads). @NOTE the stored form is read by hand
 * from the epoch: Temporal's parser cost ~15 µs a call, and a renewal reads dozens of stored times (#10).
 */
export function instantFromStored(stored: string): Instant {
  const kept = parsed.get(stored);
  if (kept) return kept;
  const match = STORED.exec(stored);
  let instant: Instant;
  if (match) {
    const [, year, month, day, hours, minutes, seconds, micros] = match.map(Number) as number[];
    const days = daysFromCivil(year!, month!, day!);
    const secondOfDay = hours! * 3600 + minutes! * 60 + seconds!;
    const epochMicros = BigInt(days) * MICROS_PER_DAY + BigInt(secondOfDay * 1_000_000 + micros!);
    instant = Temporal.Instant.fromEpochNanoseconds(epochMicros * 1000n);
  } else {
    instant = Temporal.Instant.from(stored);
  }
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(stored, instant);
  return instant;
}
