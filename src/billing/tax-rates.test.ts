import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRate } from '../kernel/money.js';
import { STANDARD_TAX_RATES, TAX_CATEGORIES, taxName, taxRateFor, type TaxCategory } from './tax-rates.js';

const EU = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];

describe('standard rate table', () => {
  it('has all 27 EU member states', () => {
    assert.equal(EU.length, 27);
    for (const code of EU) assert.ok(STANDARD_TAX_RATES[code], `missing ${code}`);
  });

  it('has the other countries Paddock promises', () => {
    for (const code of ['GB', 'NO', 'CH', 'IS', 'AU', 'NZ', 'JP', 'KR', 'SG', 'IN', 'CA', 'US'])
      assert.ok(STANDARD_TAX_RATES[code], `missing ${code}`);
  });

  it('keys every entry by its own ISO 3166-1 alpha-2 code, with a rate in [0, 1) in shortest form', () => {
    for (const [code, entry] of Object.entries(STANDARD_TAX_RATES)) {
      assert.match(code, /^[A-Z]{2}$/);
      assert.equal(entry.country_code, code);
      const rate = parseRate(entry.rate);
      assert.ok(rate.numerator < rate.denominator, `${code} rate ${entry.rate}`);
      assert.doesNotMatch(entry.rate, /\.\d*0$/, `${code} rate ${entry.rate} has a trailing zero`);
    }
  });

  // Rates in force on 2026-11-24 (docs/tax-and-rounding.md lists the sources).
  const rates: Array<[string, string]> = [
    ['DE', '0.19'],
    ['FR', '0.2'],
    ['GB', '0.2'],
    ['HU', '0.27'],
    ['FI', '0.255'],
    ['EE', '0.24'],
    ['RO', '0.21'],
    ['SK', '0.23'],
    ['LU', '0.17'],
    ['IE', '0.23'],
    ['NO', '0.25'],
    ['CH', '0.081'],
    ['IS', '0.24'],
    ['JP', '0.1'],
    ['KR', '0.1'],
    ['AU', '0.1'],
    ['NZ', '0.15'],
    ['SG', '0.09'],
    ['IN', '0.18'],
    ['CA', '0.05'],
    ['US', '0'],
  ];
  for (const [country, rate] of rates) {
    it(`${country} is ${rate}`, () => assert.equal(taxRateFor(country, 'standard'), rate));
  }
});

describe('taxRateFor', () => {
  it('applies the standard rate to every tax category', () => {
    for (const category of TAX_CATEGORIES) assert.equal(taxRateFor('DE', category), '0.19', category);
    assert.equal(TAX_CATEGORIES.length, 9);
  });
  it('charges nothing where the table has no rate or there is no country', () => {
    assert.equal(taxRateFor('AQ', 'saas'), '0');
    assert.equal(taxRateFor(null, 'saas'), '0');
    assert.equal(taxRateFor(undefined, 'saas'), '0');
    assert.equal(taxRateFor('constructor', 'saas'), '0');
  });
  it('accepts lower-case country codes', () => assert.equal(taxRateFor('de', 'standard'), '0.19'));
  it('refuses an unknown tax category', () =>
    assert.throws(() => taxRateFor('DE', 'groceries' as TaxCategory), RangeError));
});

describe('taxName', () => {
  it('names the tax as documents in that country do', () => {
    assert.equal(taxName('DE'), 'VAT');
    assert.equal(taxName('AU'), 'GST');
    assert.equal(taxName('JP'), 'Consumption tax');
    assert.equal(taxName('US'), 'Sales tax');
    assert.equal(taxName(null), 'Tax');
  });
});
