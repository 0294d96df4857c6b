import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import {
  discountTermsErrors,
  discountWindow,
  discountedPeriods,
  redemptionRefusal,
  windowCovers,
} from './discounts.js';
import { firstPeriod, periodAfter, type TimePeriod } from './periods.js';

const at = (text: string) => Temporal.Instant.from(text);
const fields = (terms: Parameters<typeof discountTermsErrors>[0]) => discountTermsErrors(terms).map((e) => e.field);
const base = { currency_code: null, recur: false, maximum_recurring_intervals: null };

describe('discount terms', () => {
  it('takes percentages from 0.01 to 100 with at most two decimals', () => {
    for (const amount of ['0.01', '10', '12.5', '99.99', '100'])
      assert.deepEqual(fields({ ...base, type: 'percentage', amount }), [], amount);
    for (const amount of ['0', '0.00', '0.001', '100.01', '101', '-5', '10%', '', '1e2'])
      assert.deepEqual(fields({ ...base, type: 'percentage', amount }), ['amount'], amount);
  });

  it('takes flat amounts as positive minor units with a currency', () => {
    assert.deepEqual(fields({ ...base, type: 'flat', amount: '500', currency_code: 'USD' }), []);
    assert.deepEqual(fields({ ...base, type: 'flat_per_seat', amount: '1', currency_code: 'JPY' }), []);
    assert.deepEqual(fields({ ...base, type: 'flat', amount: '5.00', currency_code: 'USD' }), ['amount']);
    assert.deepEqual(fields({ ...base, type: 'flat', amount: '0', currency_code: 'USD' }), ['amount']);
    assert.deepEqual(fields({ ...base, type: 'flat_per_seat', amount: '500' }), ['currency_code']);
  });

  it('needs recur for maximum_recurring_intervals', () => {
    assert.deepEqual(fields({ ...base, type: 'percentage', amount: '5', maximum_recurring_intervals: 2 }), [
      'maximum_recurring_intervals',
    ]);
    assert.deepEqual(
      fields({ ...base, type: 'percentage', amount: '5', recur: true, maximum_recurring_intervals: 2 }),
      [],
    );
  });
});

describe('redemption', () => {
  const now = at('2026-11-29T12:00:00Z');
  const state = { status: 'active', expires_at: null, usage_limit: null, times_used: 0 };

  it('refuses archived, then expired, then used-up discounts', () => {
    assert.equal(redemptionRefusal(state, now), undefined);
    assert.equal(redemptionRefusal({ ...state, status: 'archived', times_used: 9, usage_limit: 1 }, now), 'archived');
    assert.equal(redemptionRefusal({ ...state, expires_at: now }, now), 'expired', 'expires at that instant');
    assert.equal(redemptionRefusal({ ...state, expires_at: at('2026-11-29T12:00:01Z') }, now), undefined);
    assert.equal(redemptionRefusal({ ...state, usage_limit: 2, times_used: 2 }, now), 'used_up');
    assert.equal(redemptionRefusal({ ...state, usage_limit: 2, times_used: 1 }, now), undefined);
  });
});

describe('recurrence', () => {
  it('discounts one period without recur, n with maximum_recurring_intervals, all without a maximum', () => {
    assert.equal(discountedPeriods({ recur: false, maximum_recurring_intervals: null }), 1);
    assert.equal(discountedPeriods({ recur: true, maximum_recurring_intervals: 2 }), 2);
    assert.equal(discountedPeriods({ recur: true, maximum_recurring_intervals: null }), null);
  });

  it('ends the window at the end of the last discounted period', () => {
    const anchor = at('2026-01-31T10:00:00Z');
    const cycle = { interval: 'month', frequency: 1 } as const;
    const first = firstPeriod(anchor, cycle);
    const next = (period: TimePeriod) => periodAfter(anchor, cycle, period);
    const twice = discountWindow({ recur: true, maximum_recurring_intervals: 2 }, first, next);
    assert.equal(twice.starts_at.toString(), '2026-01-31T10:00:00Z');
    assert.equal(twice.ends_at?.toString(), '2026-03-31T10:00:00Z', 'Jan 31 → Feb 28 → Mar 31');
    const starts = [first, next(first), next(next(first)), next(next(next(first)))].map((p) => p.starts_at);
    assert.deepEqual(
      starts.map((start) => windowCovers(twice, start)),
      [true, true, false, false],
    );
    const once = discountWindow({ recur: false, maximum_recurring_intervals: null }, first, next);
    assert.equal(once.ends_at?.toString(), first.ends_at.toString());
    const forever = discountWindow({ recur: true, maximum_recurring_intervals: null }, first, next);
    assert.equal(forever.ends_at, null);
    assert.equal(windowCovers(forever, at('2090-01-01T00:00:00Z')), true);
    assert.equal(windowCovers(forever, at('2025-12-31T00:00:00Z')), false, 'not before it starts');
  });
});
