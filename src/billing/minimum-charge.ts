// Paddle's smallest chargeable amount per currency. A transaction (or the immediate transaction of a subscription
// change or charge) whose amount due is above zero but below it is refused: Paddle cannot collect it.
//
// Source, read 2026-11-29: developer.paddle.com/errors/transactions/transaction_balance_less_than_charge_limit,
// .../subscriptions/subscription_update_transaction_balance_less_than_charge_limit and
// .../transactions/transaction_recurring_balance_less_than_charge_limit all give the limit as "70 cent USD", with
// the example detail "Transaction balance: 50, Minimum payment amount: 70, Currency code: USD". Paddle publishes
// the other currencies' minimums only through its API (`GET /currencies`, `minimum_payment_amount`); none is in its
// public documentation, so a currency missing from this table has no minimum in Paddock (docs/errors.md says so).
import type { ErrorCode } from '../kernel/errors.js';
import { DomainError } from './errors.js';

/** Minimum chargeable amount in minor units, by currency, as Paddle documents it. */
export const MINIMUM_CHARGES: Readonly<Record<string, bigint>> = Object.freeze({ USD: 70n });

/** The minimum charge in `currency` (minor units), or null where Paddle documents none. */
export function minimumCharge(currency: string): bigint | null {
  return Object.hasOwn(MINIMUM_CHARGES, currency) ? MINIMUM_CHARGES[currency]! : null;
}

/** Whether `amount` (minor units due now) is something Paddle would refuse to charge: above zero, below the minimum. */
export function isBelowMinimumCharge(amount: bigint, currency: string): boolean {
  const minimum = minimumCharge(currency);
  return minimum !== null && amount > 0n && amount < minimum;
}

type ChargeLimitCode = Extract<ErrorCode, `${string}_less_than_charge_limit`>;

/**
 * Throws `code` when `amount` (minor units due now, after credits) is above zero and below the currency's minimum,
 * with Paddle's detail naming the balance, the minimum and the currency. Zero and credits are never refused.
 */
export function assertChargeable(amount: bigint, currency: string, code: ChargeLimitCode): void {
  if (!isBelowMinimumCharge(amount, currency)) return;
  const limits = `Minimum payment amount: ${minimumCharge(currency)}, Currency code: ${currency}`;
  const detail =
    code === 'transaction_recurring_balance_less_than_charge_limit'
      ? `Transaction recurring balance will be less than what we can charge. Recurring balance: ${amount}, ${limits}`
      : `Transaction balance is less than what we can charge. Transaction balance: ${amount}, ${limits}`;
  throw new DomainError(
    code,
    code === 'subscription_update_transaction_balance_less_than_charge_limit'
      ? `Unable to charge for Subscription update: ${detail}`
      : detail,
  );
}
