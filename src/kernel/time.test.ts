import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addUtcMonths, instantFromStored, Temporal, toStoredTime, toWireTime, utcYearMonth } from './time.js';

describe('toStoredTime', () => {
  it('writes what Temporal writes, to the microsecond, for instants across the calendar', () => {
    const samples = [
      0n,
      951_782_400_000_000_000n, // 2000-02-29 (a leap day of a century year)
      4_107_542_399_999_999_999n, // 2100-02-28T23:59:59.999999999 (not a leap year): sub-microsecond dropped
      1_712_851_044_813_000_000n,
      253_402_300_799_999_999_000n, // 9999-12-31T23:59:59.999999
    ];
    // @NOTE a fixed stride through 1970–9999, so month ends, leap years and times of day all come up.
    for (let n = 0n; n < 2000n; n += 1n) samples.push(n * 126_230_400_123_456_789n + n * n * 7919n);
    for (const ns of samples) {
      const instant = Temporal.Instant.fromEpochNanoseconds(ns);
      assert.equal(toStoredTime(instant), instant.toString({ smallestUnit: 'microsecond' }), String(ns));
    }
  });

  it('keeps Temporal for instants before 1970, and refuses years past 9999 (date_out_of_range)', () => {
    const before = Temporal.Instant.from('1969-12-31T23:59:59.5Z');
    assert.equal(toStoredTime(before), '1969-12-31T23:59:59.500000Z');
    assert.throws(() => toStoredTime(Temporal.Instant.from('+010000-01-01T00:00:00Z')), { code: 'date_out_of_range' });
  });

  it('round-trips through the wire form', () => {
    assert.equal(
      toWireTime(toStoredTime(Temporal.Instant.from('2024-04-11T15:57:24.8130Z'))),
      '2024-04-11T15:57:24.813Z',
    );
  });

  it('writes the wire form with the fraction’s trailing zeros trimmed, and no fraction when it is zero', () => {
    assert.equal(toWireTime('2024-04-11T15:57:24.123456Z'), '2024-04-11T15:57:24.123456Z');
    assert.equal(toWireTime('2024-04-11T15:57:24.100000Z'), '2024-04-11T15:57:24.1Z');
    assert.equal(toWireTime('2024-04-11T15:57:24.000100Z'), '2024-04-11T15:57:24.0001Z');
    assert.equal(toWireTime('2024-04-11T15:57:20.000000Z'), '2024-04-11T15:57:20Z');
    // other widths (older rows, client values) go through the general rule
    assert.equal(toWireTime('2024-04-11T15:57:24.5Z'), '2024-04-11T15:57:24.5Z');
    assert.equal(toWireTime('2024-04-11T15:57:24Z'), '2024-04-11T15:57:24Z');
    assert.equal(toWireTime('2024-04-11T15:57:24.123456789Z'), '2024-04-11T15:57:24.123456789Z');
    assert.equal(toWireTime(null), null);
  });
});

describe('instantFromStored', () => {
  it('reads what Temporal reads, to the microsecond, for stored times across the calendar and before 1970', () => {
    const samples = ['0000-01-01T00:00:00.000000Z', '1969-12-31T23:59:59.500000Z', '1600-02-29T12:00:00.000001Z'];
    for (let n = 0n; n < 2000n; n += 1n) {
      samples.push(toStoredTime(Temporal.Instant.fromEpochNanoseconds(n * 126_230_400_123_456_789n + n * n * 7919n)));
    }
    for (const stored of samples) {
      assert.equal(instantFromStored(stored).epochNanoseconds, Temporal.Instant.from(stored).epochNanoseconds, stored);
    }
  });

  it('reads other RFC 3339 texts through Temporal', () => {
    assert.equal(instantFromStored('2024-04-11T15:57:24.813Z').toString(), '2024-04-11T15:57:24.813Z');
  });
});

describe('addUtcMonths', () => {
  it('adds what Temporal adds on the UTC calendar: month ends clamped, leap days, times of day, before 1970', () => {
    const samples = ['2024-01-31T10:00:00.123456789Z', '2024-02-29T23:59:59.999999Z', '1969-12-31T23:59:59.5Z'];
    for (let n = 0n; n < 500n; n += 1n) {
      samples.push(Temporal.Instant.fromEpochNanoseconds(n * 126_230_400_123_456_789n + n * n * 7919n).toString());
    }
    for (const text of samples) {
      const instant = Temporal.Instant.from(text);
      for (const months of [1, 2, 3, 11, 12, 13, 24, 48, 121, -1, -13]) {
        const expected = instant.toZonedDateTimeISO('UTC').add({ months }).toInstant();
        assert.equal(addUtcMonths(instant, months).epochNanoseconds, expected.epochNanoseconds, `${text} + ${months}`);
      }
      const years = instant.toZonedDateTimeISO('UTC').add({ years: 1 }).toInstant();
      assert.equal(addUtcMonths(instant, 12).epochNanoseconds, years.epochNanoseconds, `${text} + 1 year`);
    }
  });
});

describe('utcYearMonth', () => {
  it("answers the UTC year and month Temporal's zoned date has, across month, year and era edges", () => {
    const instants = [
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999999999Z',
      '1969-12-31T00:00:00Z',
      '2024-02-29T23:59:59.999999Z',
      '2024-03-01T00:00:00Z',
      '2025-12-31T23:59:59.999999999Z',
      '2026-01-01T00:00:00Z',
      '1900-03-01T12:00:00Z',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '+012345-06-15T00:00:00Z',
    ].map((text) => Temporal.Instant.from(text));
    for (let day = -800; day < 800; day += 7)
      instants.push(Temporal.Instant.fromEpochMilliseconds(1_700_000_000_000 + day * 86_400_000 + 1234));
    for (const instant of instants) {
      const zoned = instant.toZonedDateTimeISO('UTC');
      assert.deepEqual(utcYearMonth(instant), { year: zoned.year, month: zoned.month }, instant.toString());
    }
  });
});
