import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertChargeable, isBelowMinimumCharge, minimumCharge } from './minimum-charge.js';

describe('minimum charge', () => {
  it("is Paddle's documented 70 cents in USD, and none where Paddle documents none", () => {
    assert.equal(minimumCharge('USD'), 70n);
    assert.equal(minimumCharge('JPY'), null);
  });

  it('refuses only an amount above zero and below the minimum', () => {
    assert.deepEqual(
      [-50n, 0n, 1n, 69n, 70n, 71n].map((amount) => isBelowMinimumCharge(amount, 'USD')),
      [false, false, true, true, false, false],
    );
    assert.equal(isBelowMinimumCharge(1n, 'EUR'), false);
  });

  it("names the balance, the minimum and the currency in Paddle's words", () => {
    assert.throws(
      () => assertChargeable(50n, 'USD', 'subscription_update_transaction_balance_less_than_charge_limit'),
      (error: Error & { code?: string; status?: number }) =>
        error.code === 'subscription_update_transaction_balance_less_than_charge_limit' &&
        error.status === 400 &&
        error.message ===
          'Unable to charge for Subscription update: Transaction balance is less than what we can charge. Transaction balance: 50, Minimum payment amount: 70, Currency code: USD',
    );
    assert.doesNotThrow(() =>
      assertChargeable(70n, 'USD', 'subscription_update_transaction_balance_less_than_charge_limit'),
    );
  });
});
