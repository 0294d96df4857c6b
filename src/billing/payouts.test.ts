import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ECB_REFERENCE_RATES } from './exchange-rates.js';
import {
  checkPayoutSettings,
  completedTotals,
  convert,
  crossRate,
  exchangeRate,
  PADDLE_DEFAULT_FEE,
  transactionFee,
  type FeeModel,
} from './payouts.js';
import type { TransactionTotals } from './totals.js';

/** Completed-transaction totals with nothing credited: grand total = total, its tax = tax. */
function totals(total: number, tax: number, currency = 'USD'): TransactionTotals {
  return {
    subtotal: String(total - tax),
    discount: '0',
    tax: String(tax),
    total: String(total),
    credit: '0',
    credit_to_balance: '0',
    balance: '0',
    grand_total: String(total),
    grand_total_tax: String(tax),
    fee: null,
    earnings: null,
    currency_code: currency,
  };
}

describe('the exchange-rate table', () => {
  it('is dated and quotes every payout currency Paddle offers', () => {
    assert.match(ECB_REFERENCE_RATES.date, /^\d{4}-\d{2}-\d{2}$/);
    for (const code of ['AUD', 'CAD', 'CHF', 'CNY', 'CZK', 'DKK', 'GBP', 'HUF', 'PLN', 'SEK', 'USD', 'ZAR'])
      assert.ok(ECB_REFERENCE_RATES.rates[code], code);
    assert.equal(ECB_REFERENCE_RATES.rates.USD, '1.1252');
  });
});

describe('exchange rates', () => {
  it('is "1" between a currency and itself, and exact through the euro otherwise', () => {
    assert.equal(exchangeRate('USD', 'USD'), '1');
    assert.equal(exchangeRate('ARS', 'ARS'), '1');
    assert.equal(exchangeRate('EUR', 'USD'), '1.1252');
    // 1 / 1.1252 = 0.888730892…, shown with 8 decimals
    assert.equal(exchangeRate('USD', 'EUR'), '0.88873089');
    // 0.8477 / 1.1252 = 0.753377177…
    assert.equal(exchangeRate('USD', 'GBP'), '0.75337718');
    assert.deepEqual(crossRate('GBP', 'USD'), { numerator: 11252n * 10000n, denominator: 10000n * 8477n });
  });

  it('knows no rate for a currency the table lacks', () => {
    assert.equal(exchangeRate('ARS', 'USD'), undefined);
    assert.equal(crossRate('USD', 'VND'), undefined);
  });

  it('converts minor units at the shown rate, halves to even, across decimals', () => {
    assert.deepEqual(convert({ amount: 11900n, currency: 'EUR' }, 'USD', '1.1252'), {
      amount: 13390n,
      currency: 'USD',
    }); // 13389.88
    assert.deepEqual(convert({ amount: 1n, currency: 'USD' }, 'EUR', '0.5'), { amount: 0n, currency: 'EUR' });
    assert.deepEqual(convert({ amount: 3n, currency: 'USD' }, 'EUR', '0.5'), { amount: 2n, currency: 'EUR' });
    assert.deepEqual(convert({ amount: -3n, currency: 'USD' }, 'EUR', '0.5'), { amount: -2n, currency: 'EUR' });
    // ¥10,000 at 0.00688786 USD per yen = $68.8786 → 6888 cents
    const rate = exchangeRate('JPY', 'USD');
    assert.equal(rate, '0.00688786');
    assert.deepEqual(convert({ amount: 10000n, currency: 'JPY' }, 'USD', rate as string), {
      amount: 6888n,
      currency: 'USD',
    });
    // $12.34 into yen: 1234 cents × 145.1830… / 100 = 1791.56 → ¥1792
    assert.deepEqual(convert({ amount: 1234n, currency: 'USD' }, 'JPY', exchangeRate('USD', 'JPY') as string), {
      amount: 1792n,
      currency: 'JPY',
    });
  });
});

describe('the fee', () => {
  it("reproduces Paddle's completed transaction: 5 % of 65215 + 50 = 3310.75 → 3311", () => {
    assert.deepEqual(transactionFee(totals(65215, 5315), PADDLE_DEFAULT_FEE), { amount: 3311n, currency: 'USD' });
  });

  it('converts the fixed 50¢ into the transaction currency exactly, and rounds once', () => {
    // 5 % of €119.00 = 595, plus 50¢ = €0.444365… → 639.44 → 639
    assert.equal(transactionFee(totals(11900, 1900, 'EUR'), PADDLE_DEFAULT_FEE).amount, 639n);
    // 5 % of ¥10,000 = 500, plus 50¢ = ¥72.59 → 572.59 → 573
    assert.equal(transactionFee(totals(10000, 0, 'JPY'), PADDLE_DEFAULT_FEE).amount, 573n);
  });

  it('charges nothing when nothing was paid, and never more than the seller earns', () => {
    assert.equal(transactionFee(totals(0, 0), PADDLE_DEFAULT_FEE).amount, 0n);
    // 5 % of 30 + 50 = 51.5, capped at 30 − 0
    assert.equal(transactionFee(totals(30, 0), PADDLE_DEFAULT_FEE).amount, 30n);
    assert.equal(transactionFee(totals(60, 10), PADDLE_DEFAULT_FEE).amount, 50n);
  });

  it("follows a seller's own model, and leaves out a fixed part it cannot convert", () => {
    const negotiated: FeeModel = { rate: '0.029', fixed: { amount: 30n, currency: 'USD' } };
    // 2.9 % of 10000 = 290 + 30
    assert.equal(transactionFee(totals(10000, 0), negotiated).amount, 320n);
    // ARS has no reference rate: 5 % only
    assert.equal(transactionFee(totals(100000, 0, 'ARS'), PADDLE_DEFAULT_FEE).amount, 5000n);
  });
});

describe('completed totals', () => {
  it('gives fee, earnings and payout totals in the same currency at exchange rate "1"', () => {
    const done = completedTotals(totals(65215, 5315), PADDLE_DEFAULT_FEE, 'USD');
    assert.equal(done.totals.fee, '3311');
    assert.equal(done.totals.earnings, '56589'); // 65215 − 5315 − 3311, as Paddle's example
    assert.equal(
      completedTotals({ ...totals(65215, 5315), balance: '65215' }, PADDLE_DEFAULT_FEE, 'USD').totals.balance,
      '0',
    );
    assert.deepEqual(done.payout_totals, {
      subtotal: '59900',
      discount: '0',
      tax: '5315',
      total: '65215',
      credit: '0',
      credit_to_balance: '0',
      balance: '0',
      grand_total: '65215',
      grand_total_tax: '5315',
      fee: '3311',
      earnings: '56589',
      currency_code: 'USD',
      exchange_rate: '1',
      fee_rate: '0.05',
    });
  });

  it("converts into the seller's balance currency, earnings adding up there too", () => {
    const done = completedTotals(totals(11900, 1900, 'EUR'), PADDLE_DEFAULT_FEE, 'USD');
    assert.equal(done.totals.fee, '639');
    assert.equal(done.totals.earnings, '9361'); // 11900 − 1900 − 639
    const payout = done.payout_totals;
    assert.ok(payout);
    assert.equal(payout.exchange_rate, '1.1252');
    assert.equal(payout.grand_total, '13390'); // 13389.88
    assert.equal(payout.grand_total_tax, '2138'); // 2137.88
    assert.equal(payout.fee, '719'); // 719.0028
    assert.equal(payout.earnings, String(13390 - 2138 - 719));
    assert.equal(payout.currency_code, 'USD');
  });

  it("keeps subtotal − discount + tax = total and the grand total's sum in the balance currency", () => {
    // USD → EUR at 0.88873089: 1000 → 888.73, 200 → 177.75, 1200 → 1066.48; rounded one by one, 889 + 178 ≠ 1066.
    const source = { ...totals(1200, 200, 'USD'), credit: '100', grand_total: '1100', grand_total_tax: '183' };
    const payout = completedTotals(source, PADDLE_DEFAULT_FEE, 'EUR').payout_totals;
    assert.ok(payout);
    assert.deepEqual([payout.total, payout.tax, payout.subtotal], ['1066', '178', '888']);
    assert.equal(Number(payout.subtotal) - Number(payout.discount) + Number(payout.tax), Number(payout.total));
    assert.equal(
      Number(payout.total) - Number(payout.credit) + Number(payout.credit_to_balance),
      Number(payout.grand_total),
    );
  });

  it('takes the tax inside the grand total when credit paid part of it', () => {
    const credited = { ...totals(11900, 1900, 'EUR'), credit: '5000', grand_total: '6900', grand_total_tax: '1102' };
    const done = completedTotals(credited, PADDLE_DEFAULT_FEE, 'EUR');
    // 5 % of 6900 = 345 + 44.44 → 389; earnings 6900 − 1102 − 389
    assert.equal(done.totals.fee, '389');
    assert.equal(done.totals.earnings, '5409');
    assert.equal(done.payout_totals?.credit, '5000');
  });

  it('has no payout totals when the transaction currency has no reference rate', () => {
    const done = completedTotals(totals(100000, 0, 'ARS'), PADDLE_DEFAULT_FEE, 'USD');
    assert.equal(done.payout_totals, null);
    assert.equal(done.totals.fee, '5000');
    assert.equal(done.totals.earnings, '95000');
  });
});

describe('payout settings', () => {
  it('accepts Paddle’s default and a negotiated model, and refuses what cannot be paid', () => {
    checkPayoutSettings('USD', PADDLE_DEFAULT_FEE);
    checkPayoutSettings('EUR', { rate: '0.029', fixed: { amount: 25n, currency: 'EUR' } });
    assert.throws(() => checkPayoutSettings('JPY', PADDLE_DEFAULT_FEE), /balance currency must be one of/);
    assert.throws(() => checkPayoutSettings('USD', { ...PADDLE_DEFAULT_FEE, rate: '1.5' }), /at most 1/);
    assert.throws(() => checkPayoutSettings('USD', { ...PADDLE_DEFAULT_FEE, rate: '-1' }), /not a non-negative/);
    assert.throws(
      () => checkPayoutSettings('USD', { rate: '0.05', fixed: { amount: -1n, currency: 'USD' } }),
      /must not be negative/,
    );
    assert.throws(
      () => checkPayoutSettings('USD', { rate: '0.05', fixed: { amount: 50n, currency: 'ARS' } }),
      /no reference rate/,
    );
  });
});
