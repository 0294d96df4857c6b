import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import {
  addInterval,
  billingPeriodAt,
  firstPeriod,
  nextBilledAt,
  periodAfter,
  periodContains,
  periodIndexAt,
  sameDuration,
  trialDates,
  trialEndsAt,
  type Duration,
} from './periods.js';

const at = (iso: string) => Temporal.Instant.from(iso);
const iso = (instant: Temporal.Instant) => instant.toString({ smallestUnit: 'microsecond' });
const monthly: Duration = { interval: 'month', frequency: 1 };
const yearly: Duration = { interval: 'year', frequency: 1 };

describe('addInterval', () => {
  it('keeps microseconds (Paddle: started 2023-08-11T08:07:35.449123Z renews 2023-09-11T08:07:35.449123Z)', () => {
    assert.equal(iso(addInterval(at('2023-08-11T08:07:35.449123Z'), monthly, 1)), '2023-09-11T08:07:35.449123Z');
  });

  it('counts a Jan 31 monthly anchor from the anchor for a year, clamping without drifting (leap year)', () => {
    const anchor = at('2024-01-31T10:00:00.449123Z');
    const expected = [
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
      '2024-08-31',
      '2024-09-30',
      '2024-10-31',
      '2024-11-30',
      '2024-12-31',
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
    ];
    expected.forEach((day, n) =>
      assert.equal(iso(addInterval(anchor, monthly, n)), `${day}T10:00:00.449123Z`, `n=${n}`),
    );
  });

  it('clamps a Jan 31 anchor to Feb 28 in a common year and comes back to Mar 31', () => {
    const anchor = at('2023-01-31T00:00:00Z');
    assert.equal(iso(addInterval(anchor, monthly, 1)), '2023-02-28T00:00:00.000000Z');
    assert.equal(iso(addInterval(anchor, monthly, 2)), '2023-03-31T00:00:00.000000Z');
  });

  it('renews a Feb 29 yearly anchor on Feb 28 in common years and Feb 29 in leap years', () => {
    const anchor = at('2024-02-29T12:00:00Z');
    const cases: Array<[number, string]> = [
      [1, '2025-02-28'],
      [2, '2026-02-28'],
      [3, '2027-02-28'],
      [4, '2028-02-29'],
      [8, '2032-02-29'],
    ];
    for (const [n, day] of cases)
      assert.equal(iso(addInterval(anchor, yearly, n)), `${day}T12:00:00.000000Z`, `n=${n}`);
  });

  const table: Array<[string, Duration, number, string]> = [
    ['2024-02-28T23:30:00Z', { interval: 'day', frequency: 1 }, 1, '2024-02-29T23:30:00.000000Z'],
    ['2024-02-28T23:30:00Z', { interval: 'day', frequency: 1 }, 2, '2024-03-01T23:30:00.000000Z'],
    ['2023-02-28T23:30:00Z', { interval: 'day', frequency: 1 }, 1, '2023-03-01T23:30:00.000000Z'],
    ['2024-03-09T12:00:00Z', { interval: 'day', frequency: 1 }, 1, '2024-03-10T12:00:00.000000Z'], // US DST night: UTC unaffected
    ['2024-02-26T08:00:00Z', { interval: 'week', frequency: 1 }, 1, '2024-03-04T08:00:00.000000Z'],
    ['2024-02-26T08:00:00Z', { interval: 'week', frequency: 2 }, 3, '2024-04-08T08:00:00.000000Z'],
    ['2024-12-25T00:00:00Z', { interval: 'day', frequency: 10 }, 1, '2025-01-04T00:00:00.000000Z'],
    ['2023-11-30T09:00:00Z', { interval: 'month', frequency: 3 }, 1, '2024-02-29T09:00:00.000000Z'],
    ['2023-11-30T09:00:00Z', { interval: 'month', frequency: 3 }, 2, '2024-05-30T09:00:00.000000Z'],
    ['2023-08-31T09:00:00Z', { interval: 'month', frequency: 6 }, 1, '2024-02-29T09:00:00.000000Z'],
    ['2020-02-29T00:00:00Z', { interval: 'year', frequency: 2 }, 1, '2022-02-28T00:00:00.000000Z'],
    ['2020-02-29T00:00:00Z', { interval: 'year', frequency: 2 }, 2, '2024-02-29T00:00:00.000000Z'],
    ['2024-05-10T12:01:46.293348Z', monthly, 1, '2024-06-10T12:01:46.293348Z'],
    ['2024-05-10T12:01:46.293348Z', monthly, 0, '2024-05-10T12:01:46.293348Z'],
    ['2024-03-31T00:00:00Z', monthly, -1, '2024-02-29T00:00:00.000000Z'],
  ];
  for (const [anchor, cycle, n, expected] of table) {
    it(`${anchor} + ${n} × ${cycle.frequency} ${cycle.interval} = ${expected}`, () => {
      assert.equal(iso(addInterval(at(anchor), cycle, n)), expected);
    });
  }

  it('refuses a frequency below 1 or a fractional n', () => {
    assert.throws(() => addInterval(at('2024-01-01T00:00:00Z'), { interval: 'month', frequency: 0 }, 1), RangeError);
    assert.throws(() => addInterval(at('2024-01-01T00:00:00Z'), monthly, 1.5), RangeError);
  });
});

describe('billingPeriodAt', () => {
  const anchor = at('2024-01-31T10:00:00Z');
  const table: Array<[string, string, string, number]> = [
    ['2024-01-31T10:00:00Z', '2024-01-31T10:00:00.000000Z', '2024-02-29T10:00:00.000000Z', 0],
    ['2024-02-15T00:00:00Z', '2024-01-31T10:00:00.000000Z', '2024-02-29T10:00:00.000000Z', 0],
    ['2024-03-15T00:00:00Z', '2024-02-29T10:00:00.000000Z', '2024-03-31T10:00:00.000000Z', 1],
    ['2024-03-31T09:59:59.999999Z', '2024-02-29T10:00:00.000000Z', '2024-03-31T10:00:00.000000Z', 1],
    ['2024-03-31T10:00:00Z', '2024-03-31T10:00:00.000000Z', '2024-04-30T10:00:00.000000Z', 2],
    ['2024-04-30T10:00:00Z', '2024-04-30T10:00:00.000000Z', '2024-05-31T10:00:00.000000Z', 3],
    ['2030-06-15T00:00:00Z', '2030-05-31T10:00:00.000000Z', '2030-06-30T10:00:00.000000Z', 76],
  ];
  for (const [instant, starts, ends, index] of table) {
    it(`at ${instant} is [${starts}, ${ends}) (period ${index})`, () => {
      const period = billingPeriodAt(anchor, monthly, at(instant));
      assert.equal(iso(period.starts_at), starts);
      assert.equal(iso(period.ends_at), ends);
      assert.equal(periodIndexAt(anchor, monthly, at(instant)), index);
    });
  }

  it('finds weekly and daily periods by exact arithmetic', () => {
    const weekly = billingPeriodAt(
      at('2024-01-01T00:00:00Z'),
      { interval: 'week', frequency: 2 },
      at('2024-02-01T00:00:00Z'),
    );
    assert.equal(iso(weekly.starts_at), '2024-01-29T00:00:00.000000Z');
    assert.equal(iso(weekly.ends_at), '2024-02-12T00:00:00.000000Z');
    const daily = billingPeriodAt(
      at('2024-02-27T06:00:00Z'),
      { interval: 'day', frequency: 1 },
      at('2024-02-29T05:59:59Z'),
    );
    assert.equal(iso(daily.starts_at), '2024-02-28T06:00:00.000000Z');
    assert.equal(iso(daily.ends_at), '2024-02-29T06:00:00.000000Z');
  });

  it('finds yearly periods of a Feb 29 anchor', () => {
    const period = billingPeriodAt(at('2024-02-29T00:00:00Z'), yearly, at('2027-03-01T00:00:00Z'));
    assert.equal(iso(period.starts_at), '2027-02-28T00:00:00.000000Z');
    assert.equal(iso(period.ends_at), '2028-02-29T00:00:00.000000Z');
  });

  it('refuses an instant before the anchor', () => {
    assert.throws(() => billingPeriodAt(anchor, monthly, at('2024-01-31T09:59:59Z')), RangeError);
  });
});

describe('nextBilledAt, periodAfter, firstPeriod', () => {
  it('is the first boundary strictly after the instant', () => {
    const anchor = at('2024-01-31T10:00:00Z');
    assert.equal(iso(nextBilledAt(anchor, monthly, at('2024-02-01T00:00:00Z'))), '2024-02-29T10:00:00.000000Z');
    assert.equal(iso(nextBilledAt(anchor, monthly, at('2024-02-29T10:00:00Z'))), '2024-03-31T10:00:00.000000Z');
  });

  it('chains periods from the original anchor (Jan 31 → Feb 29 → Mar 31)', () => {
    const anchor = at('2024-01-31T10:00:00Z');
    const second = periodAfter(anchor, monthly, firstPeriod(anchor, monthly));
    assert.equal(iso(second.starts_at), '2024-02-29T10:00:00.000000Z');
    assert.equal(iso(second.ends_at), '2024-03-31T10:00:00.000000Z');
    const third = periodAfter(anchor, monthly, second);
    assert.equal(iso(third.ends_at), '2024-04-30T10:00:00.000000Z');
  });
});

describe('trials', () => {
  it('ends a 14-day trial at the same time of day (Paddle example 2024-04-12T11:30:29.637Z → 2024-04-26)', () => {
    assert.equal(
      iso(trialEndsAt(at('2024-04-12T11:30:29.637Z'), { interval: 'day', frequency: 14 })),
      '2024-04-26T11:30:29.637000Z',
    );
    const dates = trialDates(at('2024-01-31T00:00:00Z'), { interval: 'month', frequency: 1 });
    assert.equal(iso(dates.ends_at), '2024-02-29T00:00:00.000000Z');
  });
});

describe('helpers', () => {
  it('compares durations and tests half-open containment', () => {
    assert.equal(sameDuration(monthly, { interval: 'month', frequency: 1 }), true);
    assert.equal(sameDuration(monthly, { interval: 'month', frequency: 12 }), false);
    assert.equal(sameDuration({ interval: 'month', frequency: 12 }, yearly), false);
    const period = { starts_at: at('2024-01-01T00:00:00Z'), ends_at: at('2024-02-01T00:00:00Z') };
    assert.equal(periodContains(period, at('2024-01-01T00:00:00Z')), true);
    assert.equal(periodContains(period, at('2024-02-01T00:00:00Z')), false);
  });
});
