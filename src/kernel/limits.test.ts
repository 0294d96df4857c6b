import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PaddleError } from './errors.js';
import { MAX_AMOUNT, bodyLimitErrors, storableAmount } from './limits.js';
import { add, money, multiply, parseAmount } from './money.js';
import { Temporal, toStoredTime } from './time.js';

describe('storableAmount', () => {
  it('keeps amounts within ±(2^63 - 1) and refuses the rest with amount_out_of_range', () => {
    assert.equal(storableAmount(MAX_AMOUNT), MAX_AMOUNT);
    assert.equal(storableAmount(-MAX_AMOUNT), -MAX_AMOUNT);
    assert.throws(
      () => storableAmount(MAX_AMOUNT + 1n),
      (e: unknown) => e instanceof PaddleError && e.code === 'amount_out_of_range',
    );
  });

  it('guards the money arithmetic and wire parsing', () => {
    const max = money(MAX_AMOUNT, 'USD');
    assert.throws(() => add(max, money(1n, 'USD')), PaddleError);
    assert.throws(() => multiply(max, 2), PaddleError);
    assert.throws(() => parseAmount('9223372036854775808'), PaddleError);
    assert.equal(multiply(money(MAX_AMOUNT, 'USD'), 1).amount, MAX_AMOUNT);
  });
});

describe('toStoredTime', () => {
  it('refuses instants whose text would not keep the fixed width', () => {
    assert.equal(toStoredTime(Temporal.Instant.from('9999-12-31T23:59:59.999999Z')), '9999-12-31T23:59:59.999999Z');
    assert.throws(
      () => toStoredTime(Temporal.Instant.from('+010000-01-01T00:00:00Z')),
      (e: unknown) => e instanceof PaddleError && e.code === 'date_out_of_range',
    );
  });
});

describe('bodyLimitErrors', () => {
  it('names each custom_data or duration out of bounds by its field', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    assert.deepEqual(
      bodyLimitErrors({
        items: [{ price: { custom_data: deep, billing_cycle: { interval: 'month', frequency: 1201 } } }],
        custom_data: { ok: true },
      })
        .map((e) => e.field)
        .sort(),
      ['items[0].price.billing_cycle.frequency', 'items[0].price.custom_data'],
    );
    assert.deepEqual(bodyLimitErrors({ trial_period: { interval: 'day', frequency: 36_500 } }), []);
  });

  it('refuses a body nested deeper than 64 levels without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.deepEqual(
      bodyLimitErrors({ x: deep }).map((e) => e.field),
      ['body'],
    );
  });
});
