import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal, toStoredTime, toWireTime } from './time.js';

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
});
