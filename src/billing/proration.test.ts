import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import { DomainError } from './errors.js';
import type { Duration, TimePeriod } from './periods.js';
import {
  assertFrequencyChangeMode,
  fullPeriodProration,
  planItemChange,
  periodShare,
  prorationRate,
  toWireUpdateSummary,
  updateSummary,
  type ChangeLine,
  type ItemChangeInput,
  type PlanItem,
  type ProrationBillingMode,
} from './proration.js';

const at = (iso: string) => Temporal.Instant.from(iso);
const iso = (instant: Temporal.Instant) => instant.toString();
const period = (starts: string, ends: string): TimePeriod => ({ starts_at: at(starts), ends_at: at(ends) });
const usd = (amount: number) => ({ amount: BigInt(amount), currency: 'USD' });
const monthly: Duration = { interval: 'month', frequency: 1 };
const yearly: Duration = { interval: 'year', frequency: 1 };
const item = (price_id: string, quantity: number, unit: number, billing_cycle: Duration = monthly): PlanItem => ({
  price_id,
  quantity,
  unit_price: usd(unit),
  billing_cycle,
});
/** price, quantity, unit subtotal, subtotal, rate (null = no proration) */
const summary = (lines: ChangeLine[]) =>
  lines.map((entry) => [
    entry.price_id,
    entry.quantity,
    Number(entry.unit_subtotal.amount),
    Number(entry.subtotal.amount),
    entry.proration?.rate ?? null,
  ]);

const isDomainError = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('prorationRate', () => {
  const may = period('2024-05-10T12:01:46Z', '2024-06-10T12:01:46Z');
  const table: Array<[string, TimePeriod, string, string]> = [
    ["Paddle's documented example", may, '2024-05-13T10:36:57Z', '0.90513'],
    [
      "Paddle's preview example (µs period, ms change)",
      period('2024-05-10T12:01:46.293348Z', '2024-06-10T12:01:46.293348Z'),
      '2024-05-13T10:36:57.967Z',
      '0.90513',
    ],
    ['a change at the start', may, '2024-05-10T12:01:46Z', '1'],
    ['a change before the start', may, '2024-05-01T00:00:00Z', '1'],
    ['a change at the end', may, '2024-06-10T12:01:46Z', '0'],
    ['a change after the end', may, '2024-07-01T00:00:00Z', '0'],
    ['half a 30-day month', period('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'), '2024-04-16T00:00:00Z', '0.5'],
    [
      'two thirds left (rounds up)',
      period('2024-01-01T00:00:00Z', '2024-01-04T00:00:00Z'),
      '2024-01-02T00:00:00Z',
      '0.66667',
    ],
    [
      'one third left (rounds down)',
      period('2024-01-01T00:00:00Z', '2024-01-04T00:00:00Z'),
      '2024-01-03T00:00:00Z',
      '0.33333',
    ],
    [
      '9 days of leap February',
      period('2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'),
      '2024-02-21T00:00:00Z',
      '0.31034',
    ],
  ];
  for (const [name, slice, change, expected] of table) {
    it(`${name}: ${expected}`, () => assert.equal(prorationRate(slice, at(change)), expected));
  }

  it('rounds a tie at the sixth decimal half up (24693 s left of 200000 s = 0.123465 → "0.12347")', () => {
    const starts = at('2024-01-01T00:00:00Z');
    const ends = starts.add({ seconds: 200_000 });
    assert.equal(prorationRate({ starts_at: starts, ends_at: ends }, ends.subtract({ seconds: 24_693 })), '0.12347');
  });

  it('keeps sub-second precision: one microsecond before the end of a day is not zero', () => {
    const day = period('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z');
    assert.equal(prorationRate(day, at('2024-01-01T23:59:59.999999Z')), '0');
    assert.equal(prorationRate(day, at('2024-01-01T23:59:59Z')), '0.00001');
  });

  it('gives a moved billing date its share of the period with the same rounding, beyond one period too', () => {
    const april = period('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z');
    assert.equal(periodShare(at('2024-04-01T00:00:00Z'), at('2024-04-16T00:00:00Z'), april), '0.5');
    assert.equal(periodShare(at('2024-04-01T00:00:00Z'), at('2024-04-11T00:00:00Z'), april), '0.33333');
    assert.equal(periodShare(at('2024-04-01T00:00:00Z'), at('2024-05-21T00:00:00Z'), april), '1.66667');
    assert.equal(
      periodShare(at('2024-05-13T10:36:57Z'), at('2024-06-10T12:01:46Z'), may),
      prorationRate(may, at('2024-05-13T10:36:57Z')),
    );
  });

  it('refuses an empty period', () => {
    assert.throws(
      () => prorationRate(period('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z')),
      RangeError,
    );
  });

  it('shows unaffected items at rate "1" over the whole period', () => {
    assert.deepEqual(fullPeriodProration(may), { rate: '1', billing_period: may });
  });
});

describe("planItemChange: Paddle's preview example", () => {
  // pri_…1w (5 × 10.00) is removed, pri_…1ke (20 × 30.00) and pri_…4r (1 × 250.00) are added, pri_…23h2 stays.
  const input: ItemChangeInput = {
    current_items: [item('pri_1w', 5, 1000), item('pri_23h2', 1, 10000)],
    new_items: [item('pri_1ke', 20, 3000), item('pri_23h2', 1, 10000), item('pri_4r', 1, 25000)],
    billing_cycle: monthly,
    current_billing_period: period('2024-05-10T12:01:46.293348Z', '2024-06-10T12:01:46.293348Z'),
    billing_anchor: at('2024-05-10T12:01:46.293348Z'),
    change_at: at('2024-05-13T10:36:57.967Z'),
    proration_billing_mode: 'prorated_immediately',
  };

  it('bills the same subtotals Paddle shows (22628, 54308 and -4526 at rate 0.90513)', () => {
    const plan = planItemChange(input);
    assert.deepEqual(summary(plan.bill_now), [
      ['pri_1ke', 20, 2715, 54308, '0.90513'],
      ['pri_4r', 1, 22628, 22628, '0.90513'],
      ['pri_1w', -5, 905, -4526, '0.90513'],
    ]);
    assert.deepEqual(plan.bill_next_renewal, []);
    assert.equal(plan.credit, true);
    assert.equal(plan.billing_cycle_changed, false);
    const slice = plan.bill_now[0]!.proration!.billing_period;
    assert.equal(iso(slice.starts_at), '2024-05-13T10:36:57.967Z');
    assert.equal(iso(slice.ends_at), '2024-06-10T12:01:46.293348Z');
    assert.equal(iso(plan.next_billed_at), '2024-06-10T12:01:46.293348Z');
    assert.equal(iso(plan.billing_anchor), '2024-05-10T12:01:46.293348Z');
  });

  it("summarises the lines' totals as Paddle does (credit -4927, charge 83765, result charge 78838)", () => {
    const result = updateSummary([usd(24637), usd(59128), usd(-4927)], 'USD');
    assert.deepEqual(toWireUpdateSummary(result), {
      credit: { amount: '-4927', currency_code: 'USD' },
      charge: { amount: '83765', currency_code: 'USD' },
      result: { action: 'charge', amount: '78838', currency_code: 'USD' },
    });
  });
});

describe('planItemChange: modes', () => {
  // Half of a 30-day month is left: rate 0.5.
  const base = {
    billing_cycle: monthly,
    current_billing_period: period('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'),
    billing_anchor: at('2024-03-01T00:00:00Z'),
    change_at: at('2024-04-16T00:00:00Z'),
  };
  const downgrade = { ...base, current_items: [item('pri_pro', 1, 3000)], new_items: [item('pri_basic', 1, 1000)] };
  const upgrade = { ...base, current_items: [item('pri_basic', 1, 1000)], new_items: [item('pri_pro', 1, 3000)] };
  const addOn = {
    ...base,
    current_items: [item('pri_basic', 1, 1000)],
    new_items: [item('pri_basic', 1, 1000), item('pri_addon', 2, 450)],
  };

  const table: Array<
    [string, Omit<ItemChangeInput, 'proration_billing_mode'>, ProrationBillingMode, unknown[], unknown[], boolean]
  > = [
    [
      'mid-period upgrade, prorated now',
      upgrade,
      'prorated_immediately',
      [
        ['pri_pro', 1, 1500, 1500, '0.5'],
        ['pri_basic', -1, 500, -500, '0.5'],
      ],
      [],
      true,
    ],
    [
      'downgrade with credit, prorated now',
      downgrade,
      'prorated_immediately',
      [
        ['pri_basic', 1, 500, 500, '0.5'],
        ['pri_pro', -1, 1500, -1500, '0.5'],
      ],
      [],
      true,
    ],
    [
      'downgrade, prorated at renewal',
      downgrade,
      'prorated_next_billing_period',
      [],
      [
        ['pri_basic', 1, 500, 500, '0.5'],
        ['pri_pro', -1, 1500, -1500, '0.5'],
      ],
      true,
    ],
    [
      'upgrade, full amount now (no credit for the old plan)',
      upgrade,
      'full_immediately',
      [['pri_pro', 1, 3000, 3000, null]],
      [],
      false,
    ],
    [
      'upgrade, full amount at renewal',
      upgrade,
      'full_next_billing_period',
      [],
      [['pri_pro', 1, 3000, 3000, null]],
      false,
    ],
    ['downgrade, full amount now', downgrade, 'full_immediately', [['pri_basic', 1, 1000, 1000, null]], [], false],
    ['upgrade, not billed', upgrade, 'do_not_bill', [], [], false],
    [
      'add-on, prorated now (existing item untouched)',
      addOn,
      'prorated_immediately',
      [['pri_addon', 2, 225, 450, '0.5']],
      [],
      false,
    ],
  ];
  for (const [name, change, mode, now, next, credit] of table) {
    it(name, () => {
      const plan = planItemChange({ ...change, proration_billing_mode: mode });
      assert.deepEqual(summary(plan.bill_now), now);
      assert.deepEqual(summary(plan.bill_next_renewal), next);
      assert.equal(plan.credit, credit);
      assert.equal(iso(plan.next_billed_at), '2024-05-01T00:00:00Z');
      assert.equal(iso(plan.billing_anchor), '2024-03-01T00:00:00Z');
    });
  }

  it('summarises a downgrade as a credit result', () => {
    const plan = planItemChange({ ...downgrade, proration_billing_mode: 'prorated_immediately' });
    const result = updateSummary(
      plan.bill_now.map((entry) => entry.subtotal),
      'USD',
    );
    assert.deepEqual(toWireUpdateSummary(result), {
      credit: { amount: '-1500', currency_code: 'USD' },
      charge: { amount: '500', currency_code: 'USD' },
      result: { action: 'credit', amount: '1000', currency_code: 'USD' },
    });
  });

  it('summarises nothing billed as a zero charge', () => {
    assert.deepEqual(toWireUpdateSummary(updateSummary([], 'EUR')).result, {
      action: 'charge',
      amount: '0',
      currency_code: 'EUR',
    });
    assert.equal(updateSummary([usd(700), usd(-700)], 'USD').result.action, 'charge');
  });
});

describe('planItemChange: quantity changes', () => {
  // 9 of 29 days of February 2024 are left: rate 0.31034.
  const base = {
    billing_cycle: monthly,
    current_billing_period: period('2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'),
    billing_anchor: at('2024-01-01T00:00:00Z'),
    change_at: at('2024-02-21T00:00:00Z'),
    proration_billing_mode: 'prorated_immediately' as const,
  };
  const table: Array<[string, number, number, unknown[]]> = [
    ['3 → 5 seats bills the 2 added seats', 3, 5, [['pri_seat', 2, 372, 745, '0.31034']]],
    ['5 → 3 seats credits the 2 removed seats', 5, 3, [['pri_seat', -2, 372, -745, '0.31034']]],
    ['unchanged quantity bills nothing', 4, 4, []],
  ];
  for (const [name, from, to, expected] of table) {
    it(name, () => {
      const plan = planItemChange({
        ...base,
        current_items: [item('pri_seat', from, 1200)],
        new_items: [item('pri_seat', to, 1200)],
      });
      assert.deepEqual(summary(plan.bill_now), expected);
    });
  }

  it('credits and recharges an item whose unit price snapshot changed', () => {
    const plan = planItemChange({
      ...base,
      current_items: [item('pri_seat', 2, 1000)],
      new_items: [item('pri_seat', 2, 1500)],
    });
    assert.deepEqual(summary(plan.bill_now), [
      ['pri_seat', 2, 466, 931, '0.31034'],
      ['pri_seat', -2, 310, -621, '0.31034'],
    ]);
  });

  it('bills nothing for a decrease in a full mode', () => {
    const plan = planItemChange({
      ...base,
      proration_billing_mode: 'full_immediately',
      current_items: [item('pri_seat', 5, 1200)],
      new_items: [item('pri_seat', 3, 1200)],
    });
    assert.deepEqual(plan.bill_now, []);
  });
});

describe('planItemChange: billing frequency changes', () => {
  const base = {
    billing_cycle: monthly,
    current_billing_period: period('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'),
    billing_anchor: at('2024-01-01T00:00:00Z'),
    change_at: at('2024-04-16T00:00:00Z'),
    current_items: [item('pri_monthly', 1, 1000)],
    new_items: [item('pri_annual', 1, 10000, yearly)],
  };

  it('prorated now: credits the unused month and charges a new year starting now', () => {
    const plan = planItemChange({ ...base, proration_billing_mode: 'prorated_immediately' });
    assert.equal(plan.billing_cycle_changed, true);
    assert.deepEqual(plan.billing_cycle, yearly);
    assert.deepEqual(summary(plan.bill_now), [
      ['pri_annual', 1, 10000, 10000, '1'],
      ['pri_monthly', -1, 500, -500, '0.5'],
    ]);
    const charged = plan.bill_now[0]!.proration!.billing_period;
    assert.equal(iso(charged.starts_at), '2024-04-16T00:00:00Z');
    assert.equal(iso(charged.ends_at), '2025-04-16T00:00:00Z');
    assert.equal(iso(plan.current_billing_period.starts_at), '2024-04-16T00:00:00Z');
    assert.equal(iso(plan.next_billed_at), '2025-04-16T00:00:00Z');
    assert.equal(iso(plan.billing_anchor), '2024-04-16T00:00:00Z');
    assert.equal(plan.credit, true);
  });

  it('full now: charges the new year without crediting the month', () => {
    const plan = planItemChange({ ...base, proration_billing_mode: 'full_immediately' });
    assert.deepEqual(summary(plan.bill_now), [['pri_annual', 1, 10000, 10000, null]]);
    assert.equal(iso(plan.next_billed_at), '2025-04-16T00:00:00Z');
  });

  it('not billed: the paid month runs out and the annual cycle counts from its end', () => {
    const plan = planItemChange({ ...base, proration_billing_mode: 'do_not_bill' });
    assert.deepEqual(plan.bill_now, []);
    assert.deepEqual(plan.bill_next_renewal, []);
    assert.equal(iso(plan.current_billing_period.ends_at), '2024-05-01T00:00:00Z');
    assert.equal(iso(plan.next_billed_at), '2024-05-01T00:00:00Z');
    assert.equal(iso(plan.billing_anchor), '2024-05-01T00:00:00Z');
  });

  for (const mode of ['prorated_next_billing_period', 'full_next_billing_period'] as const) {
    it(`refuses ${mode} with invalid_field on proration_billing_mode`, () => {
      assert.throws(
        () => planItemChange({ ...base, proration_billing_mode: mode }),
        (error: unknown) =>
          error instanceof DomainError &&
          error.code === 'invalid_field' &&
          error.status === 400 &&
          error.errors?.[0]?.field === 'proration_billing_mode',
      );
      assert.throws(() => assertFrequencyChangeMode(mode), DomainError);
    });
  }

  it('treats monthly → every 12 months as a frequency change too', () => {
    const plan = planItemChange({
      ...base,
      new_items: [item('pri_12m', 1, 10000, { interval: 'month', frequency: 12 })],
      proration_billing_mode: 'full_immediately',
    });
    assert.equal(plan.billing_cycle_changed, true);
  });
});

describe('planItemChange: refused item lists', () => {
  const base = {
    billing_cycle: monthly,
    current_billing_period: period('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'),
    billing_anchor: at('2024-04-01T00:00:00Z'),
    change_at: at('2024-04-16T00:00:00Z'),
    current_items: [item('pri_a', 1, 1000)],
    proration_billing_mode: 'prorated_immediately' as const,
  };
  const table: Array<[string, PlanItem[], string]> = [
    ['no items left', [], 'subscription_all_items_removed'],
    ['the same price twice', [item('pri_a', 1, 1000), item('pri_a', 2, 1000)], 'subscription_duplicate_price_ids'],
    ['a zero quantity', [item('pri_a', 0, 1000)], 'subscription_quantity_not_valid'],
    [
      'mixed billing cycles',
      [item('pri_a', 1, 1000), item('pri_b', 1, 9000, yearly)],
      'subscription_new_items_not_valid',
    ],
  ];
  for (const [name, newItems, code] of table) {
    it(`refuses ${name} with ${code}`, () => {
      assert.throws(() => planItemChange({ ...base, new_items: newItems }), isDomainError(code));
    });
  }

  it('refuses items in different currencies as a programming error', () => {
    assert.throws(
      () =>
        planItemChange({
          ...base,
          new_items: [{ ...item('pri_a', 1, 1000), unit_price: { amount: 1000n, currency: 'EUR' } }],
        }),
      RangeError,
    );
  });
});
