import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CURRENCIES,
  currencyExponent,
  currencyInfo,
  formatMoney,
  formatTotals,
  isSupportedCurrency,
  majorUnits,
} from './currencies.js';

describe('currency table', () => {
  it("covers the spec's currency_code enum plus CLP and PEN, and nothing else", () => {
    const spec = JSON.parse(readFileSync(new URL('../../openapi/paddle-openapi.json', import.meta.url), 'utf8')) as {
      components: { schemas: { currency_code: { enum: string[] } } };
    };
    const expected = [...spec.components.schemas.currency_code.enum, 'CLP', 'PEN'].sort();
    assert.deepEqual(Object.keys(CURRENCIES).sort(), expected);
  });

  const exponents: Array<[string, number]> = [
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['VND', 0],
    ['CLP', 0],
    ['HUF', 2],
    ['TWD', 2],
    ['PEN', 2],
  ];
  for (const [code, exponent] of exponents) {
    it(`${code} has ${exponent} decimals`, () => assert.equal(currencyExponent(code), exponent));
  }

  it('refuses a currency Paddle does not price in', () => {
    assert.equal(isSupportedCurrency('XYZ'), false);
    assert.equal(isSupportedCurrency('toString'), false);
    assert.throws(() => currencyInfo('BTC'), RangeError);
  });
});

describe('majorUnits', () => {
  const cases: Array<[string, string, string]> = [
    ['2499', 'USD', '24.99'],
    ['1000', 'JPY', '1000'],
    ['-4927', 'USD', '-49.27'],
    ['5', 'EUR', '0.05'],
    ['99950', 'HUF', '999.50'],
  ];
  for (const [amount, code, expected] of cases) {
    it(`${amount} ${code} reads ${expected}`, () => assert.equal(majorUnits(amount, code), expected));
  }
});

describe('formatMoney', () => {
  const cases: Array<[string | bigint, string, string]> = [
    ['1000', 'USD', '$10.00'],
    ['100000', 'JPY', '¥100,000'],
    ['1000', 'JPY', '¥1,000'],
    ['999', 'EUR', '€9.99'],
    ['-4927', 'USD', '-$49.27'],
    ['0', 'GBP', '£0.00'],
    [1000n, 'KRW', '₩1,000'],
    ['99950', 'HUF', 'HUF\u00a0999.50'],
    // The largest amount Paddock stores (kernel/limits.ts), formatted exactly: no float ever holds it.
    ['9223372036854775807', 'USD', '$92,233,720,368,547,758.07'],
  ];
  for (const [amount, code, expected] of cases) {
    it(`${String(amount)} ${code} → ${expected}`, () => assert.equal(formatMoney(amount, code), expected));
  }
  it('takes a locale', () => assert.equal(formatMoney('999', 'EUR', 'de'), '9,99\u00a0€'));
});

describe('formatTotals', () => {
  it("formats a price preview's totals as Paddle's example does", () => {
    assert.deepEqual(formatTotals({ subtotal: '600000', discount: '60000', tax: '0', total: '540000' }, 'USD'), {
      subtotal: '$6,000.00',
      discount: '$600.00',
      tax: '$0.00',
      total: '$5,400.00',
    });
  });
});
