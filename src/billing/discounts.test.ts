import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import { appliesToNextPeriod, discountTermsErrors, discountedPeriods, redemptionRefusal } from './discounts.js';

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
    const twice = { recur: true, maximum_recurring_intervals: 2 };
    assert.deepEqual(
      [0, 1, 2, 3].map((done) => appliesToNextPeriod(twice, done)),
      [true, true, false, false],
    );
    assert.equal(appliesToNextPeriod({ recur: true, maximum_recurring_intervals: null }, 1000), true);
    assert.equal(appliesToNextPeriod({ recur: false, maximum_recurring_intervals: null }, 1), false);
  });
});
