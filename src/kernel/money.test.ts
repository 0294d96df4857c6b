import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  add,
  allocate,
  applyRate,
  divide,
  extractRate,
  formatAmount,
  formatRate,
  isWholeRate,
  maxMoney,
  minMoney,
  moneyFromWire,
  moneyToWire,
  multiply,
  negate,
  parseAmount,
  parseRate,
  percent,
  roundHalfDown,
  roundHalfEven,
  roundHalfUp,
  subtract,
  sum,
  toDecimalString,
  type Money,
} from './money.js';

const usd = (amount: bigint): Money => ({ amount, currency: 'USD' });

describe('rounding rules', () => {
  // numerator, denominator, half up, half down, half even
  const cases: Array<[bigint, bigint, bigint, bigint, bigint]> = [
    [5n, 2n, 3n, 2n, 2n], // 2.5
    [7n, 2n, 4n, 3n, 4n], // 3.5
    [-5n, 2n, -3n, -2n, -2n], // -2.5 mirrors 2.5
    [-7n, 2n, -4n, -3n, -4n],
    [1n, 3n, 0n, 0n, 0n], // 0.333…
    [2n, 3n, 1n, 1n, 1n], // 0.666…
    [-2n, 3n, -1n, -1n, -1n],
    [10n, 5n, 2n, 2n, 2n], // exact
    [0n, 7n, 0n, 0n, 0n],
    [5n, -2n, -3n, -2n, -2n], // the denominator's sign counts too
    [26625n, 10n, 2663n, 2662n, 2662n], // 2662.5
    [8875n, 10n, 888n, 887n, 888n], // 887.5
    [1n, 2n, 1n, 0n, 0n], // 0.5: half even goes to 0
    [-1n, 2n, -1n, 0n, 0n],
  ];
  for (const [n, d, up, down, even] of cases) {
    it(`${n}/${d} → up ${up}, down ${down}, even ${even}`, () => {
      assert.equal(roundHalfUp(n, d), up);
      assert.equal(roundHalfDown(n, d), down);
      assert.equal(roundHalfEven(n, d), even);
    });
  }
  it('refuses to divide by zero', () => assert.throws(() => roundHalfUp(1n, 0n), RangeError));
});

describe('applyRate and extractRate', () => {
  const cases: Array<[string, bigint, string, 'up' | 'down' | 'even', bigint]> = [
    ['19 % of 10.00', 1000n, '0.19', 'up', 190n],
    ['19 % of 2.50 (47.5) half up', 250n, '0.19', 'up', 48n],
    ['19 % of 2.50 (47.5) half down', 250n, '0.19', 'down', 47n],
    ['19 % of 2.50 (47.5) half even', 250n, '0.19', 'even', 48n],
    ['proration 0.90513 of 250.00 (22628.25)', 25000n, '0.90513', 'up', 22628n],
    ['proration 0.90513 of -50.00 (-4525.65)', -5000n, '0.90513', 'up', -4526n],
    ['rate 1 keeps the amount', 12345n, '1', 'even', 12345n],
    ['rate 0 gives zero', 12345n, '0', 'up', 0n],
    ['8.875 % of 300.00 (2662.5) half down', 30000n, '0.08875', 'down', 2662n],
  ];
  const rules = { up: roundHalfUp, down: roundHalfDown, even: roundHalfEven };
  for (const [name, amount, rate, rule, expected] of cases) {
    it(name, () => assert.deepEqual(applyRate(usd(amount), rate, rules[rule]), usd(expected)));
  }

  it('extracts included tax: 12.00 incl. 20 % holds 2.00', () =>
    assert.deepEqual(extractRate(usd(1200n), '0.2', roundHalfDown), usd(200n)));
  it('extracts included tax with a half: 12.99 incl. 20 % holds 2.165', () => {
    assert.equal(extractRate(usd(1299n), '0.2', roundHalfDown).amount, 216n);
    assert.equal(extractRate(usd(1299n), '0.2', roundHalfUp).amount, 217n);
  });
  it('extracts 27 % from 5080.00 Ft exactly (1080.00)', () =>
    assert.equal(extractRate({ amount: 508000n, currency: 'HUF' }, '0.27', roundHalfDown).amount, 108000n));
  it('accepts a parsed ratio', () => assert.equal(applyRate(usd(1000n), percent('12.5'), roundHalfUp).amount, 125n));
  it('divides with a named rule', () => {
    assert.equal(divide(usd(1000n), 3n, roundHalfUp).amount, 333n);
    assert.equal(divide(usd(5n), 2n, roundHalfUp).amount, 3n);
    assert.equal(divide(usd(-5n), 2n, roundHalfDown).amount, -2n);
  });
});

describe('wire strings', () => {
  it('parses integer amounts in minor units', () => {
    assert.equal(parseAmount('2499'), 2499n);
    assert.equal(parseAmount('-4927'), -4927n);
    assert.equal(parseAmount('0'), 0n);
    assert.equal(parseAmount('9223372036854775807'), 9223372036854775807n);
    // @NOTE beyond what a bigint column stores: refused as Paddle's 400 (kernel/limits.ts), not parsed.
    assert.throws(() => parseAmount('123456789012345678901234567890'), /outside what Paddock stores/);
  });
  for (const bad of ['1.5', '+1', '-0', '01', '', '1e3', ' 1', '١٢']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseAmount(bad), RangeError));
  }
  it('formats amounts and round-trips money', () => {
    assert.equal(formatAmount(-4927n), '-4927');
    assert.deepEqual(moneyFromWire({ amount: '1000', currency_code: 'JPY' }), { amount: 1000n, currency: 'JPY' });
    assert.deepEqual(moneyToWire(usd(2499n)), { amount: '2499', currency_code: 'USD' });
  });
  const decimals: Array<[bigint, number, string]> = [
    [1099n, 2, '10.99'],
    [-5n, 2, '-0.05'],
    [0n, 2, '0.00'],
    [5n, 0, '5'],
    [-100000n, 0, '-100000'],
    [123456n, 3, '123.456'],
  ];
  for (const [amount, exponent, text] of decimals) {
    it(`shows ${amount} with ${exponent} decimals as ${text}`, () =>
      assert.equal(toDecimalString(amount, exponent), text));
  }
});

describe('rates', () => {
  it('reads decimal strings exactly', () => {
    assert.deepEqual(parseRate('0.2'), { numerator: 2n, denominator: 10n });
    assert.deepEqual(parseRate('0.90513'), { numerator: 90513n, denominator: 100000n });
    assert.deepEqual(parseRate('1'), { numerator: 1n, denominator: 1n });
    assert.deepEqual(percent('10'), { numerator: 10n, denominator: 100n });
  });
  for (const bad of ['-0.1', '.5', '1.', 'abc', '', '0x1', '1e-2']) {
    it(`rejects rate ${JSON.stringify(bad)}`, () => assert.throws(() => parseRate(bad), RangeError));
  }
  const shortest: Array<[string, string]> = [
    ['0.20', '0.2'],
    ['0.190', '0.19'],
    ['1.000', '1'],
    ['0', '0'],
    ['0.00000', '0'],
    ['0.255', '0.255'],
    ['12.50', '12.5'],
  ];
  for (const [given, shown] of shortest) {
    it(`writes ${given} as ${shown}`, () => assert.equal(formatRate(parseRate(given)), shown));
  }
  it('writes 1/4 and 1/8 as decimals and refuses 1/3', () => {
    assert.equal(formatRate({ numerator: 1n, denominator: 4n }), '0.25');
    assert.equal(formatRate({ numerator: 1n, denominator: 8n }), '0.125');
    assert.throws(() => formatRate({ numerator: 1n, denominator: 3n }), RangeError);
  });
  it('knows a whole rate', () => {
    assert.equal(isWholeRate('1'), true);
    assert.equal(isWholeRate('1.000'), true);
    assert.equal(isWholeRate('0.99999'), false);
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, negates and sums in one currency', () => {
    assert.deepEqual(add(usd(100n), usd(-250n)), usd(-150n));
    assert.deepEqual(subtract(usd(100n), usd(250n)), usd(-150n));
    assert.deepEqual(negate(usd(5n)), usd(-5n));
    assert.deepEqual(sum([usd(1n), usd(2n), usd(3n)], 'USD'), usd(6n));
    assert.deepEqual(sum([], 'EUR'), { amount: 0n, currency: 'EUR' });
  });
  it('refuses to mix currencies', () => {
    assert.throws(() => add(usd(1n), { amount: 1n, currency: 'EUR' }), RangeError);
    assert.throws(() => minMoney(usd(1n), { amount: 1n, currency: 'EUR' }), RangeError);
  });
  it('multiplies by integer quantities only', () => {
    assert.deepEqual(multiply(usd(2409n), 10), usd(24090n));
    assert.deepEqual(multiply(usd(1000n), -5), usd(-5000n));
    assert.throws(() => multiply(usd(1n), 1.5), RangeError);
  });
  it('picks the smaller and the larger', () => {
    assert.deepEqual(minMoney(usd(3n), usd(-1n)), usd(-1n));
    assert.deepEqual(maxMoney(usd(3n), usd(-1n)), usd(3n));
  });
});

describe('allocate', () => {
  const cases: Array<[string, bigint, bigint[], bigint[]]> = [
    ['in proportion', 1000n, [1000n, 3000n], [250n, 750n]],
    ['leftover cents to the earlier of equal remainders', 100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    ['leftover cents to the largest remainders', 10n, [1n, 2n, 4n], [1n, 3n, 6n]],
    ['negative totals mirror positive ones', -100n, [1n, 1n, 1n], [-34n, -33n, -33n]],
    ['zero weights take nothing', 7n, [0n, 5n, 0n], [0n, 7n, 0n]],
    ['all-zero weights give zeros', 7n, [0n, 0n], [0n, 0n]],
  ];
  for (const [name, total, weights, expected] of cases) {
    it(name, () => {
      const parts = allocate(usd(total), weights);
      assert.deepEqual(
        parts.map((p) => p.amount),
        expected,
      );
      if (weights.some((w) => w > 0n)) assert.equal(sum(parts, 'USD').amount, total);
    });
  }
  it('refuses negative weights', () => assert.throws(() => allocate(usd(1n), [-1n, 2n]), RangeError));
});
