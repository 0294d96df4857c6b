// Expected values are worked out by hand in the comments (rules: docs/tax-and-rounding.md). Cases marked
// "Paddle" are lines from the examples in Paddle's OpenAPI document, reproduced to the minor unit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAjv } from '../http/openapi.js';
import type { Money } from '../kernel/money.js';
import {
  computeTotals,
  discountApplies,
  formattedLineTotals,
  unadjustedTotals,
  withNewerTotalsFields,
  type TotalsDiscount,
  type TotalsInput,
  type TotalsLine,
} from './totals.js';

const PRODUCT = {
  id: 'pro_01gsz4t5hdjse780zja8vvr7jg',
  name: 'AeroEdit Pro',
  description: null,
  type: 'standard',
  tax_category: 'standard',
  image_url: null,
  custom_data: null,
  status: 'active',
  import_meta: null,
  created_at: '2023-02-23T12:43:46.605Z',
  updated_at: '2024-04-05T15:53:44.687Z',
};

type Four = [number, number, number, number];

function item(
  currency: string,
  unit: number,
  quantity: number,
  extra: Partial<TotalsLine<typeof PRODUCT>> = {},
): TotalsLine<typeof PRODUCT> {
  return {
    price_id: 'pri_01gsz8x8sawmvhz1pv30nge1ke',
    quantity,
    unit_price: { amount: BigInt(unit), currency },
    tax_mode: 'external',
    product: PRODUCT,
    product_id: PRODUCT.id,
    tax_category: 'standard',
    ...extra,
  };
}

function four(totals: { subtotal: string; discount: string; tax: string; total: string }): Four {
  return [Number(totals.subtotal), Number(totals.discount), Number(totals.tax), Number(totals.total)];
}

const money = (amount: number, currency: string): Money => ({ amount: BigInt(amount), currency });
const pct = (amount: string, restrict_to: string[] | null = null): TotalsDiscount => ({
  type: 'percentage',
  amount,
  restrict_to,
});
const flat = (amount: string, currency: string, type: 'flat' | 'flat_per_seat' = 'flat'): TotalsDiscount => ({
  type,
  amount,
  currency_code: currency,
});

interface LineCase {
  name: string;
  country: string | null;
  line: TotalsLine<typeof PRODUCT>;
  discount?: TotalsDiscount;
  rate: string;
  unit: Four; // subtotal, discount, tax, total
  totals: Four;
}

const US_NY = { tax_rate: '0.08875' }; // Paddle's examples bill New York sales tax; Paddock's US rate is 0.

const lineCases: LineCase[] = [
  // external: tax = (subtotal - discount) × rate, halves toward zero
  {
    name: 'DE 19 %, 3 × €10.00',
    country: 'DE',
    line: item('EUR', 1000, 3),
    rate: '0.19',
    unit: [1000, 0, 190, 1190],
    totals: [3000, 0, 570, 3570],
  },
  {
    name: 'DE 19 % of €2.50 = 47.5 cents → 47',
    country: 'DE',
    line: item('EUR', 250, 1),
    rate: '0.19',
    unit: [250, 0, 47, 297],
    totals: [250, 0, 47, 297],
  },
  {
    name: 'GB 20 %, 10 × £24.09 (Paddle)',
    country: 'GB',
    line: item('GBP', 2409, 10),
    rate: '0.2',
    unit: [2409, 0, 482, 2891],
    totals: [24090, 0, 4818, 28908],
  },
  {
    name: 'JP 10 %, 3 × ¥1,000',
    country: 'JP',
    line: item('JPY', 1000, 3),
    rate: '0.1',
    unit: [1000, 0, 100, 1100],
    totals: [3000, 0, 300, 3300],
  },
  {
    name: 'JP 10 % of ¥1,005 = 100.5 → ¥100',
    country: 'JP',
    line: item('JPY', 1005, 1),
    rate: '0.1',
    unit: [1005, 0, 100, 1105],
    totals: [1005, 0, 100, 1105],
  },
  {
    name: 'HU 27 % of 3,990.00 Ft = 1,077.30 Ft',
    country: 'HU',
    line: item('HUF', 399000, 1),
    rate: '0.27',
    unit: [399000, 0, 107730, 506730],
    totals: [399000, 0, 107730, 506730],
  },
  {
    name: 'NO 25 % of kr 99.00',
    country: 'NO',
    line: item('NOK', 9900, 1),
    rate: '0.25',
    unit: [9900, 0, 2475, 12375],
    totals: [9900, 0, 2475, 12375],
  },
  {
    name: 'AU 10 % of A$9.99 = 99.9 → 100',
    country: 'AU',
    line: item('AUD', 999, 1),
    rate: '0.1',
    unit: [999, 0, 100, 1099],
    totals: [999, 0, 100, 1099],
  },
  {
    name: 'US: no tax at country level',
    country: 'US',
    line: item('USD', 30000, 20),
    rate: '0',
    unit: [30000, 0, 0, 30000],
    totals: [600000, 0, 0, 600000],
  },
  {
    name: 'no country: no tax',
    country: null,
    line: item('USD', 1000, 1),
    rate: '0',
    unit: [1000, 0, 0, 1000],
    totals: [1000, 0, 0, 1000],
  },
  {
    name: 'country without a rate: no tax',
    country: 'AQ',
    line: item('USD', 1000, 1),
    rate: '0',
    unit: [1000, 0, 0, 1000],
    totals: [1000, 0, 0, 1000],
  },
  // Paddle, US (NY 8.875 %): 2662.5 → 2662, 266.25 → 266, 887.5 → 887
  {
    name: 'NY 8.875 %, 10 × $30.00 (Paddle)',
    country: 'US',
    line: item('USD', 3000, 10, US_NY),
    rate: '0.08875',
    unit: [3000, 0, 266, 3266],
    totals: [30000, 0, 2662, 32662],
  },
  {
    name: 'NY 8.875 %, $100.00 (Paddle)',
    country: 'US',
    line: item('USD', 10000, 1, US_NY),
    rate: '0.08875',
    unit: [10000, 0, 887, 10887],
    totals: [10000, 0, 887, 10887],
  },
  {
    name: 'NY 8.875 %, $199.00 = 1766.125 → 1766 (Paddle)',
    country: 'US',
    line: item('USD', 19900, 1, US_NY),
    rate: '0.08875',
    unit: [19900, 0, 1766, 21666],
    totals: [19900, 0, 1766, 21666],
  },

  // internal: tax = total × rate / (1 + rate); subtotal = price - its own tax; discount is what is left
  // FR: 2598 × 0.2 / 1.2 = 433 exactly; per unit 1299 / 6 = 216.5 → 216, subtotal 1299 - 216 = 1083
  {
    name: 'FR 20 % included, 2 × €12.99',
    country: 'FR',
    line: item('EUR', 1299, 2, { tax_mode: 'internal' }),
    rate: '0.2',
    unit: [1083, 0, 216, 1299],
    totals: [2165, 0, 433, 2598],
  },
  {
    name: 'JP 10 % included in ¥1,100',
    country: 'JP',
    line: item('JPY', 1100, 1, { tax_mode: 'internal' }),
    rate: '0.1',
    unit: [1000, 0, 100, 1100],
    totals: [1000, 0, 100, 1100],
  },
  // 508000 × 27 / 127 = 108000
  {
    name: 'HU 27 % included in 5,080.00 Ft',
    country: 'HU',
    line: item('HUF', 508000, 1, { tax_mode: 'internal' }),
    rate: '0.27',
    unit: [400000, 0, 108000, 508000],
    totals: [400000, 0, 108000, 508000],
  },
  {
    name: 'AU GST included in A$11.00',
    country: 'AU',
    line: item('AUD', 1100, 1, { tax_mode: 'internal' }),
    rate: '0.1',
    unit: [1000, 0, 100, 1100],
    totals: [1000, 0, 100, 1100],
  },
  // account_setting = external by default: 1190 × 0.19 = 226.1 → 226
  {
    name: 'account_setting adds tax on top by default',
    country: 'DE',
    line: item('EUR', 1190, 1, { tax_mode: 'account_setting' }),
    rate: '0.19',
    unit: [1190, 0, 226, 1416],
    totals: [1190, 0, 226, 1416],
  },

  // discounts
  {
    name: '10 % off 20 × $300.00, US (Paddle)',
    country: 'US',
    line: item('USD', 30000, 20),
    discount: pct('10'),
    rate: '0',
    unit: [30000, 3000, 0, 27000],
    totals: [600000, 60000, 0, 540000],
  },
  // (2500000 - 250000) × 0.08875 = 199687.5 → 199687; per unit 45000 × 0.08875 = 3993.75 → 3994
  {
    name: '10 % off 50 × $500.00, NY (Paddle)',
    country: 'US',
    line: item('USD', 50000, 50, US_NY),
    discount: pct('10'),
    rate: '0.08875',
    unit: [50000, 5000, 3994, 48994],
    totals: [2500000, 250000, 199687, 2449687],
  },
  // 999 × 15 % = 149.85 → 150; (999 - 150) × 0.19 = 161.31 → 161
  {
    name: '15 % off €9.99, DE',
    country: 'DE',
    line: item('EUR', 999, 1),
    discount: pct('15'),
    rate: '0.19',
    unit: [999, 150, 161, 1010],
    totals: [999, 150, 161, 1010],
  },
  // credit: -2000, 10 % = -200, (-1800) × 0.19 = -342; per unit 1000, 100, 171, 1071
  {
    name: '10 % off a credit of 2 × €10.00 (gives back what was paid)',
    country: 'DE',
    line: item('EUR', 1000, -2),
    discount: pct('10'),
    rate: '0.19',
    unit: [1000, 100, 171, 1071],
    totals: [-2000, -200, -342, -2142],
  },
  {
    name: '€2.00 per seat off 3 × €10.00',
    country: 'DE',
    line: item('EUR', 1000, 3),
    discount: flat('200', 'EUR', 'flat_per_seat'),
    rate: '0.19',
    unit: [1000, 200, 152, 952],
    totals: [3000, 600, 456, 2856],
  },
  {
    name: 'per-seat discount larger than the price stops at zero',
    country: 'DE',
    line: item('EUR', 1000, 3),
    discount: flat('1500', 'EUR', 'flat_per_seat'),
    rate: '0.19',
    unit: [1000, 1000, 0, 0],
    totals: [3000, 3000, 0, 0],
  },
  // €1.00 over 3 units: 100 / 3 = 33.3 → 33 per unit; 967 × 0.19 = 183.73 → 184; line 2900 × 0.19 = 551
  {
    name: 'flat €1.00 off 3 × €10.00',
    country: 'DE',
    line: item('EUR', 1000, 3),
    discount: flat('100', 'EUR'),
    rate: '0.19',
    unit: [1000, 33, 184, 1151],
    totals: [3000, 100, 551, 3451],
  },
  // internal: €1.20 off €12.00 incl. 20 %: pays 1080, tax 180; subtotal 1000, so the discount shows net: 100
  {
    name: 'flat €1.20 off €12.00 tax included shows the discount without tax',
    country: 'FR',
    line: item('EUR', 1200, 1, { tax_mode: 'internal' }),
    discount: flat('120', 'EUR'),
    rate: '0.2',
    unit: [1000, 100, 180, 1080],
    totals: [1000, 100, 180, 1080],
  },
  {
    name: '10 % off €12.00 tax included',
    country: 'FR',
    line: item('EUR', 1200, 1, { tax_mode: 'internal' }),
    discount: pct('10'),
    rate: '0.2',
    unit: [1000, 100, 180, 1080],
    totals: [1000, 100, 180, 1080],
  },

  // proration: subtotal, amount after discount and total of the full period, each × rate, rounded half up
  // Paddle: 25000 + 2219 (2218.75) = 27219; × 0.90513: 22628.25 → 22628, 24636.73 → 24637, tax 2009
  {
    name: 'prorated 0.90513 of $250.00, NY (Paddle)',
    country: 'US',
    line: item('USD', 25000, 1, { ...US_NY, proration_rate: '0.90513' }),
    rate: '0.08875',
    unit: [22628, 0, 2009, 24637],
    totals: [22628, 0, 2009, 24637],
  },
  // Paddle: 60000 + 5325 = 65325 → 54307.8 → 54308, 59127.6 → 59128; unit 3000 + 266 → 2715.39 → 2715, 2956.15 → 2956
  {
    name: 'prorated 0.90513 of 20 × $30.00, NY (Paddle)',
    country: 'US',
    line: item('USD', 3000, 20, { ...US_NY, proration_rate: '0.90513' }),
    rate: '0.08875',
    unit: [2715, 0, 241, 2956],
    totals: [54308, 0, 4820, 59128],
  },
  // -5000 - 444 (443.75) = -5444 → -4525.65 → -4526, -4927.53 → -4928, tax -402; unit 1000 + 89 → 905, 986.
  // Paddle shows -4526 / -401 / -4927 here: it credits what was billed before (see docs/tax-and-rounding.md).
  {
    name: 'prorated credit of 5 × $10.00, NY',
    country: 'US',
    line: item('USD', 1000, -5, { ...US_NY, proration_rate: '0.90513' }),
    rate: '0.08875',
    unit: [905, 0, 81, 986],
    totals: [-4526, 0, -402, -4928],
  },
  // 999 + 190 (189.81) = 1189; × 0.5: 499.5 → 500, 594.5 → 595, tax 95
  {
    name: 'half of €9.99, DE: halves round up',
    country: 'DE',
    line: item('EUR', 999, 1, { proration_rate: '0.5' }),
    rate: '0.19',
    unit: [500, 0, 95, 595],
    totals: [500, 0, 95, 595],
  },
  {
    name: 'rate 0 bills nothing (Paddle)',
    country: 'US',
    line: item('USD', 10000, 1, { ...US_NY, proration_rate: '0' }),
    rate: '0.08875',
    unit: [0, 0, 0, 0],
    totals: [0, 0, 0, 0],
  },
  // internal 1100 → 1000 + 100; × 0.90513: 905.13 → 905, 995.64 → 996, tax 91
  {
    name: 'prorated 0.90513 of A$11.00 GST included',
    country: 'AU',
    line: item('AUD', 1100, 1, { tax_mode: 'internal', proration_rate: '0.90513' }),
    rate: '0.1',
    unit: [905, 0, 91, 996],
    totals: [905, 0, 91, 996],
  },
  // full: 3000 - 300 + 513 = 3213; net 2700 × 0.5 = 1350, subtotal 1500, total 1606.5 → 1607, tax 257
  {
    name: '10 % off, half a period, 3 × €10.00',
    country: 'DE',
    line: item('EUR', 1000, 3, { proration_rate: '0.5' }),
    discount: pct('10'),
    rate: '0.19',
    unit: [500, 50, 86, 536],
    totals: [1500, 150, 257, 1607],
  },
];

function single(c: LineCase, extra: Partial<TotalsInput<typeof PRODUCT>> = {}) {
  return computeTotals({
    currency_code: c.line.unit_price.currency,
    country_code: c.country,
    lines: [c.line],
    discount: c.discount ?? null,
    ...extra,
  });
}

describe('line totals', () => {
  for (const c of lineCases) {
    it(c.name, () => {
      const details = single(c);
      const line = details.line_items[0];
      assert.ok(line);
      assert.equal(line.tax_rate, c.rate);
      assert.deepEqual(four(line.unit_totals), c.unit, 'unit_totals');
      assert.deepEqual(four(line.totals), c.totals, 'totals');
      assert.deepEqual(details.tax_rates_used, [{ tax_rate: c.rate, totals: line.totals }]);
      assert.deepEqual(four(details.totals), c.totals);
    });
  }

  it('takes the seller’s default for account_setting prices', () => {
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [item('EUR', 1190, 1, { tax_mode: 'account_setting' })],
      account_tax_mode: 'internal',
    });
    assert.deepEqual(four(details.totals), [1000, 0, 190, 1190]);
  });

  it('keeps a rate fixed earlier over the table’s, written in Paddle’s short form', () => {
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [item('EUR', 1000, 1, { tax_rate: '0.160' })],
    });
    assert.equal(details.line_items[0]?.tax_rate, '0.16');
    assert.deepEqual(four(details.totals), [1000, 0, 160, 1160]);
  });

  it('takes the proration rate from the proration object and shows that object', () => {
    const proration = {
      rate: '0.90513',
      billing_period: { starts_at: '2024-05-13T10:36:57.967Z', ends_at: '2024-06-10T12:01:46.293348Z' },
    };
    const details = computeTotals({
      currency_code: 'USD',
      country_code: 'US',
      lines: [item('USD', 25000, 1, { ...US_NY, proration })],
    });
    assert.deepEqual(details.line_items[0]?.proration, proration);
    assert.deepEqual(four(details.totals), [22628, 0, 2009, 24637]);
    assert.throws(
      () =>
        computeTotals({
          currency_code: 'USD',
          country_code: 'US',
          lines: [item('USD', 1, 1, { proration, proration_rate: '0.5' })],
        }),
      RangeError,
    );
  });
});

describe('discounts across lines', () => {
  it("reproduces Paddle's discounted transaction: 10 % off 50 × $500.00, $3,000.00 and $199.00 at 8.875 %", () => {
    // The example of Paddle's get-transaction (txn with dsc_01gtgztp8fpchantd5g1wrksa3), every figure.
    const details = computeTotals({
      currency_code: 'USD',
      country_code: 'US',
      lines: [
        item('USD', 50000, 50, { ...US_NY, price_id: 'pri_annual' }),
        item('USD', 300000, 1, { ...US_NY, price_id: 'pri_addon' }),
        item('USD', 19900, 1, { ...US_NY, price_id: 'pri_domains' }),
      ],
      discount: pct('10'),
    });
    assert.deepEqual(
      details.line_items.map((l) => [four(l.totals), four(l.unit_totals)]),
      [
        [
          [2500000, 250000, 199687, 2449687],
          [50000, 5000, 3994, 48994],
        ],
        [
          [300000, 30000, 23962, 293962],
          [300000, 30000, 23962, 293962],
        ],
        [
          [19900, 1990, 1590, 19500],
          [19900, 1990, 1590, 19500],
        ],
      ],
    );
    assert.deepEqual(four(details.totals), [2819900, 281990, 225239, 2763149]);
    assert.equal(details.totals.grand_total, '2763149');
    assert.deepEqual(details.tax_rates_used, [
      { tax_rate: '0.08875', totals: { subtotal: '2819900', discount: '281990', tax: '225239', total: '2763149' } },
    ]);
  });

  it('discounts zero-decimal currencies in whole yen, tax included and excluded, quantity > 1', () => {
    const jpy = (unit: number, quantity: number, mode: 'internal' | 'external', discount: TotalsDiscount) =>
      four(
        computeTotals({
          currency_code: 'JPY',
          country_code: 'JP',
          lines: [item('JPY', unit, quantity, { tax_mode: mode })],
          discount,
        }).totals,
      );
    // 3 × ¥1,005 = 3015; 15 % = 452.25 → 452; (3015 − 452) × 10 % = 256.3 → 256
    assert.deepEqual(jpy(1005, 3, 'external', pct('15')), [3015, 452, 256, 2819]);
    // ¥100 per seat × 3 = 300; (3015 − 300) × 10 % = 271.5 → 271 (halves toward zero)
    assert.deepEqual(jpy(1005, 3, 'external', flat('100', 'JPY', 'flat_per_seat')), [3015, 300, 271, 2986]);
    // tax included: 2 × ¥1,100 = 2200 incl. 200; ¥500 off → 1700 incl. 154.55 → 155; net 1545; subtotal 2000
    assert.deepEqual(jpy(1100, 2, 'internal', flat('500', 'JPY')), [2000, 455, 155, 1700]);
  });

  const a = item('EUR', 1000, 1, { price_id: 'pri_a', product_id: 'pro_a' });
  const b = item('EUR', 3000, 1, { price_id: 'pri_b', product_id: 'pro_b' });

  it('shares a flat amount in proportion to the lines (€10.00 → 2.50 + 7.50)', () => {
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [a, b],
      discount: flat('1000', 'EUR'),
    });
    // 750 × 0.19 = 142.5 → 142; 2250 × 0.19 = 427.5 → 427
    assert.deepEqual(
      details.line_items.map((l) => four(l.totals)),
      [
        [1000, 250, 142, 892],
        [3000, 750, 427, 2677],
      ],
    );
    assert.deepEqual(four(details.totals), [4000, 1000, 569, 3569]);
  });

  it('never discounts below zero', () => {
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [a, b],
      discount: flat('10000', 'EUR'),
    });
    assert.deepEqual(four(details.totals), [4000, 4000, 0, 0]);
    assert.equal(details.totals.grand_total, '0');
  });

  it('leaves credits alone with a flat amount', () => {
    const credit = item('EUR', 500, -1, { price_id: 'pri_c' });
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [a, credit],
      discount: flat('100', 'EUR'),
    });
    // a: 900 × 0.19 = 171; credit: -500, -95
    assert.deepEqual(
      details.line_items.map((l) => four(l.totals)),
      [
        [1000, 100, 171, 1071],
        [-500, 0, -95, -595],
      ],
    );
  });

  it('follows restrict_to by price id and by product id', () => {
    const byPrice = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [a, b],
      discount: pct('10', ['pri_a']),
    });
    assert.deepEqual(
      byPrice.line_items.map((l) => l.totals.discount),
      ['100', '0'],
    );
    const byProduct = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [a, b],
      discount: pct('10', ['pro_b']),
    });
    assert.deepEqual(
      byProduct.line_items.map((l) => l.totals.discount),
      ['0', '300'],
    );
    assert.equal(discountApplies(pct('10', ['pro_b']), { price_id: null, product_id: null }), false);
    assert.equal(discountApplies(pct('10'), { price_id: null, product_id: null }), true);
  });

  it('refuses discounts that cannot apply', () => {
    const run = (discount: TotalsDiscount) =>
      computeTotals({ currency_code: 'EUR', country_code: 'DE', lines: [a], discount });
    assert.throws(() => run(flat('100', 'USD')), RangeError);
    assert.throws(() => run({ type: 'flat', amount: '100' }), RangeError);
    assert.throws(() => run(flat('-1', 'EUR')), RangeError);
    assert.throws(() => run(pct('0')), RangeError);
    assert.throws(() => run(pct('100.01')), RangeError);
    assert.deepEqual(four(run(pct('100')).totals), [1000, 1000, 0, 0]);
  });
});

describe('transaction totals', () => {
  const eur = (amount: number) => money(amount, 'EUR');
  const ten = item('EUR', 1000, 10); // 10000 + 1900 = 11900

  const cases: Array<{
    name: string;
    lines: TotalsLine<typeof PRODUCT>[];
    available?: number;
    payments?: number;
    expect: Record<string, string>;
  }> = [
    {
      name: 'nothing to credit, nothing paid',
      lines: [ten],
      expect: {
        total: '11900',
        credit: '0',
        credit_to_balance: '0',
        grand_total: '11900',
        grand_total_tax: '1900',
        balance: '11900',
      },
    },
    {
      name: 'credit balance pays part',
      lines: [ten],
      available: 5000,
      // The tax inside what is due: 1900 × 6900 / 11900 = 1101.68 → 1102.
      expect: {
        total: '11900',
        credit: '5000',
        credit_to_balance: '0',
        grand_total: '6900',
        grand_total_tax: '1102',
        balance: '6900',
      },
    },
    {
      name: 'credit balance pays all, never more than is due',
      lines: [ten],
      available: 20000,
      expect: {
        total: '11900',
        credit: '11900',
        credit_to_balance: '0',
        grand_total: '0',
        grand_total_tax: '0',
        balance: '0',
      },
    },
    {
      name: 'payments reduce the balance, not the grand total',
      lines: [ten],
      payments: 11900,
      expect: { total: '11900', credit: '0', grand_total: '11900', grand_total_tax: '1900', balance: '0' },
    },
    {
      name: 'credit then a part payment',
      lines: [ten],
      available: 1900,
      payments: 4000,
      // 1900 × 10000 / 11900 = 1596.64 → 1597
      expect: { credit: '1900', grand_total: '10000', grand_total_tax: '1597', balance: '6000' },
    },
    {
      name: 'a negative available balance counts as none',
      lines: [ten],
      available: -500,
      expect: { credit: '0', grand_total: '11900' },
    },
    // 1000 + 190 charge, -3000 - 570 credit: total -2380 goes to the balance; the customer's credit is not used
    {
      name: 'a negative total becomes credit_to_balance and is due 0',
      lines: [item('EUR', 1000, 1), item('EUR', 3000, -1)],
      available: 5000,
      expect: {
        subtotal: '-2000',
        tax: '-380',
        total: '-2380',
        credit: '0',
        credit_to_balance: '2380',
        grand_total: '0',
        grand_total_tax: '0',
        balance: '0',
      },
    },
    {
      name: 'a zero total',
      lines: [item('EUR', 1000, 1), item('EUR', 1000, -1)],
      available: 5000,
      expect: { total: '0', credit: '0', credit_to_balance: '0', grand_total: '0', balance: '0' },
    },
    { name: 'no lines', lines: [], expect: { subtotal: '0', total: '0', grand_total: '0', balance: '0' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const details = computeTotals({
        currency_code: 'EUR',
        country_code: 'DE',
        lines: c.lines,
        available_credit: c.available === undefined ? null : eur(c.available),
        payments: c.payments === undefined ? null : eur(c.payments),
      });
      for (const [field, value] of Object.entries(c.expect))
        assert.equal(details.totals[field as keyof typeof details.totals], value, field);
      assert.equal(details.totals.fee, null);
      assert.equal(details.totals.earnings, null);
      assert.equal(details.totals.currency_code, 'EUR');
    });
  }

  it("sums Paddle's proration preview: charges 24637 + 59128 and a credit", () => {
    const lines = [
      item('USD', 25000, 1, { ...US_NY, proration_rate: '0.90513' }),
      item('USD', 3000, 20, { ...US_NY, proration_rate: '0.90513' }),
      item('USD', 1000, -5, { ...US_NY, proration_rate: '0.90513' }),
    ];
    const details = computeTotals({ currency_code: 'USD', country_code: 'US', lines });
    // 22628 + 54308 - 4526 = 72410 (Paddle: 72410); 2009 + 4820 - 402 = 6427 (Paddle: 6428, one cent of the credit)
    assert.deepEqual(four(details.totals), [72410, 0, 6427, 78837]);
    assert.equal(details.totals.grand_total, '78837');
  });

  it('groups tax_rates_used by rate, in the order rates first appear', () => {
    const lines = [
      item('EUR', 1000, 1, { tax_rate: '0.2' }),
      item('EUR', 500, 2, { tax_rate: '0.1' }),
      item('EUR', 250, 1, { tax_rate: '0.20' }),
    ];
    const details = computeTotals({ currency_code: 'EUR', country_code: 'FR', lines });
    assert.deepEqual(details.tax_rates_used, [
      { tax_rate: '0.2', totals: { subtotal: '1250', discount: '0', tax: '250', total: '1500' } },
      { tax_rate: '0.1', totals: { subtotal: '1000', discount: '0', tax: '100', total: '1100' } },
    ]);
    assert.deepEqual(four(details.totals), [2250, 0, 350, 2600]);
  });

  it('refuses inputs that cannot be a transaction', () => {
    const run = (input: Partial<TotalsInput<typeof PRODUCT>>) =>
      computeTotals({ currency_code: 'EUR', country_code: 'DE', lines: [], ...input });
    assert.throws(() => run({ lines: [item('USD', 1000, 1)] }), RangeError);
    assert.throws(() => run({ currency_code: 'XYZ' }), RangeError);
    assert.throws(() => run({ lines: [item('EUR', 1000, 1.5)] }), RangeError);
    assert.throws(() => run({ lines: [item('EUR', -1000, 1)] }), RangeError);
    assert.throws(() => run({ lines: [item('EUR', 1000, 1)], available_credit: money(1, 'USD') }), RangeError);
  });
});

describe('fields Paddle added after a transaction was stored', () => {
  it('fills them as Paddle does for its older transactions, and keeps what was stored', () => {
    const old = {
      totals: {
        subtotal: '1000',
        discount: '0',
        tax: '190',
        total: '1190',
        credit: '0',
        credit_to_balance: '0',
        balance: '1190',
        grand_total: '1190',
        fee: null,
        earnings: null,
        currency_code: 'EUR',
      },
      adjusted_totals: {
        subtotal: '1000',
        tax: '190',
        total: '1190',
        grand_total: '1190',
        fee: null,
        earnings: null,
        currency_code: 'EUR',
      },
      line_items: [
        {
          id: 'txnitm_1',
          price_id: 'pri_1',
          quantity: 1,
          proration: null,
          tax_rate: '0.19',
          unit_totals: { subtotal: '1000', discount: '0', tax: '190', total: '1190' },
          totals: { subtotal: '1000', discount: '0', tax: '190', total: '1190' },
          product: PRODUCT,
        },
      ],
      payout_totals: null,
    };
    const current = withNewerTotalsFields(old);
    assert.equal(current.totals.grand_total_tax, '190');
    assert.equal(current.adjusted_totals?.grand_total_tax, '190');
    assert.equal(current.adjusted_totals?.retained_fee, '0');
    assert.equal(current.line_items[0]?.item_id, null);
    assert.equal(current.payout_totals, null);
    const kept = withNewerTotalsFields({ ...old, totals: { ...old.totals, grand_total_tax: '150' } });
    assert.equal(kept.totals.grand_total_tax, '150');
  });
});

describe('invariants over a grid of inputs', () => {
  it('subtotal - discount + tax = total on every line and unit, totals are the sums, tax has the sign of the amount', () => {
    const discounts: Array<TotalsDiscount | null> = [
      null,
      pct('10'),
      pct('33.33'),
      flat('137', 'EUR'),
      flat('45', 'EUR', 'flat_per_seat'),
    ];
    let checked = 0;
    for (const unit of [1, 99, 250, 999, 1299, 100000]) {
      for (const quantity of [1, 3, -2]) {
        for (const tax_mode of ['external', 'internal'] as const) {
          for (const proration_rate of ['1', '0.90513', '0.5', '0.00001']) {
            for (const country of ['DE', 'HU', 'US', 'FI']) {
              for (const discount of discounts) {
                const lines = [item('EUR', unit, quantity, { tax_mode, proration_rate }), item('EUR', 1000, 1)];
                const details = computeTotals({ currency_code: 'EUR', country_code: country, lines, discount });
                let sums: Four = [0, 0, 0, 0];
                for (const line of details.line_items) {
                  for (const part of [line.totals, line.unit_totals]) {
                    const [s, d, t, total] = four(part);
                    assert.equal(s - d + t, total, JSON.stringify(line));
                    if (line.tax_rate === '0') assert.equal(t, 0);
                    assert.ok(Math.sign(t) === 0 || Math.sign(t) === Math.sign(s - d), JSON.stringify(line));
                  }
                  assert.ok(Number(line.unit_totals.subtotal) >= 0);
                  sums = sums.map((v, i) => v + (four(line.totals)[i] ?? 0)) as Four;
                }
                assert.deepEqual(four(details.totals), sums);
                checked += 1;
              }
            }
          }
        }
      }
    }
    assert.equal(checked, 6 * 3 * 2 * 4 * 4 * 5);
  });
});

describe("Paddle's wire shapes", () => {
  const ajv = createAjv();
  const detailsSchema = ajv.compile({ $ref: 'paddle-openapi.json#/components/schemas/transaction_details' });
  const previewSchema = ajv.compile({ $ref: 'paddle-openapi.json#/components/schemas/transaction_preview_details' });
  const totals = ajv.compile({ $ref: 'paddle-openapi.json#/components/schemas/totals' });

  it('gives transaction details that match the spec, with line item ids when given', () => {
    const details = computeTotals({
      currency_code: 'EUR',
      country_code: 'DE',
      lines: [
        item('EUR', 1000, 2, { id: 'txnitm_01hv8xxw6qxaypzmf81xqgcba9' }),
        item('EUR', 500, -1, { id: 'txnitm_01hv8xxw6qxaypzmf823nwmr95' }),
      ],
      discount: pct('10'),
      available_credit: money(100, 'EUR'),
    });
    const document = {
      ...details,
      adjusted_totals: unadjustedTotals(details.totals),
      payout_totals: null,
      adjusted_payout_totals: null,
    };
    assert.ok(detailsSchema(document), JSON.stringify(detailsSchema.errors));
    assert.deepEqual(Object.keys(details.line_items[0] ?? {}), [
      'id',
      'item_id',
      'price_id',
      'quantity',
      'proration',
      'tax_rate',
      'unit_totals',
      'totals',
      'product',
    ]);
    assert.deepEqual(Object.keys(details.totals), [
      'subtotal',
      'discount',
      'tax',
      'total',
      'credit',
      'credit_to_balance',
      'balance',
      'grand_total',
      'grand_total_tax',
      'fee',
      'earnings',
      'currency_code',
    ]);
    assert.deepEqual(document.adjusted_totals, {
      subtotal: '1500',
      tax: '257',
      total: '1607',
      grand_total: '1507',
      grand_total_tax: '241', // 257 × 1507 / 1607 = 241.0
      fee: null,
      earnings: null,
      currency_code: 'EUR',
      retained_fee: '0',
    });
  });

  it('gives preview details without ids, and formatted totals for price previews', () => {
    const details = computeTotals({
      currency_code: 'USD',
      country_code: 'US',
      lines: [item('USD', 30000, 20)],
      discount: pct('10'),
    });
    assert.ok(previewSchema(details), JSON.stringify(previewSchema.errors));
    const line = details.line_items[0];
    assert.ok(line && !('id' in line));
    const formatted = formattedLineTotals(line, 'USD');
    assert.deepEqual(formatted, {
      formatted_unit_totals: { subtotal: '$300.00', discount: '$30.00', tax: '$0.00', total: '$270.00' },
      formatted_totals: { subtotal: '$6,000.00', discount: '$600.00', tax: '$0.00', total: '$5,400.00' },
    });
    assert.ok(totals(formatted.formatted_totals));
  });
});
