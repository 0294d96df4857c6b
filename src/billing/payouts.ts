// Paddle's fee on a completed transaction, the seller's earnings, and the same totals converted into the seller's
// balance currency (`details.payout_totals`). Pure: the caller passes the fee model (the seller's), the balance
// currency and the table of reference rates. The rules and their sources are in docs/tax-and-rounding.md ("Fees and
// payouts"); every rounding is done by kernel/money.ts.
import {
  formatAmount,
  formatRate,
  parseAmount,
  parseRate,
  roundHalfEven,
  roundHalfUp,
  type Money,
  type Ratio,
  type Rounding,
} from '../kernel/money.js';
import { currencyExponent } from './currencies.js';
import { ECB_REFERENCE_RATES, type ReferenceRates } from './exchange-rates.js';
import type { TransactionTotals } from './totals.js';

/** What Paddle takes from each transaction: a share of what the buyer paid plus a fixed amount. */
export interface FeeModel {
  /** Share of `grand_total`, a decimal string ("0.05" = 5 %). */
  rate: string;
  /** Fixed amount per transaction, in its own currency (converted into the transaction's). */
  fixed: Money;
}

/**
 * Paddle's published pay-as-you-go pricing: "5% + 50¢ per transaction" (paddle.com/pricing; the figures and where
 * they were checked are in docs/tax-and-rounding.md). Paddle's own completed-transaction example fits it to the
 * minor unit: 5 % of 65215 + 50 = 3310.75 → fee 3311.
 */
export const PADDLE_DEFAULT_FEE: FeeModel = Object.freeze({
  rate: '0.05',
  fixed: Object.freeze({ amount: 50n, currency: 'USD' }),
});

/** The currencies Paddle pays out in (the spec's `currency_code-payout`): a seller's balance currency is one. */
export const PAYOUT_CURRENCIES: readonly string[] = Object.freeze([
  'AUD',
  'CAD',
  'CHF',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HUF',
  'PLN',
  'SEK',
  'USD',
  'ZAR',
]);

/**
 * Checks a seller's payout settings; throws RangeError naming the first problem: the balance currency must be one
 * Paddle pays out in, the rate a decimal from 0 to 1, the fixed amount a non-negative integer of minor units in a
 * currency the rate table knows.
 */
export function checkPayoutSettings(balanceCurrency: string, model: FeeModel): void {
  if (!PAYOUT_CURRENCIES.includes(balanceCurrency))
    throw new RangeError(`balance currency must be one of ${PAYOUT_CURRENCIES.join(', ')}: ${balanceCurrency}`);
  const share = parseRate(model.rate);
  if (share.numerator > share.denominator) throw new RangeError(`fee rate must be at most 1: ${model.rate}`);
  if (model.fixed.amount < 0n) throw new RangeError('fixed fee must not be negative');
  if (!crossRate(model.fixed.currency, 'EUR'))
    throw new RangeError(`fixed fee currency has no reference rate: ${model.fixed.currency}`);
}

/** The fee: commercial rounding (halves away from zero), once, on the exact sum of both parts. */
export const FEE_ROUNDING: Rounding = roundHalfUp;
/** Currency conversion: to the nearest minor unit, halves to even (no bias over many conversions). */
export const FX_ROUNDING: Rounding = roundHalfEven;
/** `exchange_rate` is shown, and applied, with 8 decimals (as in Paddle's example "0.70194147"). */
const EXCHANGE_RATE_PLACES = 8;

/** `details.payout_totals` (Paddle's `transaction_payout_totals` with its 2026 fields), amounts in minor units. */
export interface PayoutTotals {
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  credit: string;
  credit_to_balance: string;
  balance: string;
  grand_total: string;
  grand_total_tax: string;
  fee: string;
  earnings: string;
  currency_code: string;
  /** Units of the payout currency per unit of the transaction's; "1" when they are the same. */
  exchange_rate: string;
  /** The fee model's share ("0.05"). */
  fee_rate: string;
}

/** What completion adds: `totals` with `fee` and `earnings`, and `payout_totals` (null when no rate is known). */
export interface CompletedTotals {
  totals: TransactionTotals;
  payout_totals: PayoutTotals | null;
}

function rateOf(code: string, table: ReferenceRates): Ratio | undefined {
  if (code === table.base) return { numerator: 1n, denominator: 1n };
  const rate = table.rates[code];
  return rate === undefined ? undefined : parseRate(rate);
}

/**
 * The exact cross rate from one currency to another through the table's base (units of `to` per unit of `from`),
 * or undefined when the table has no rate for either.
 */
export function crossRate(from: string, to: string, table: ReferenceRates = ECB_REFERENCE_RATES): Ratio | undefined {
  if (from === to) return { numerator: 1n, denominator: 1n };
  const fromRate = rateOf(from, table);
  const toRate = rateOf(to, table);
  if (!fromRate || !toRate) return undefined;
  return {
    numerator: toRate.numerator * fromRate.denominator,
    denominator: toRate.denominator * fromRate.numerator,
  };
}

/**
 * Paddle's `exchange_rate` from the transaction's currency to the payout currency: "1" when they match, else the
 * cross rate rounded half-even to 8 decimals ("0.88873089" for USD → EUR at 1.1252), trailing zeros trimmed;
 * undefined when the table cannot convert.
 */
export function exchangeRate(
  from: string,
  to: string,
  table: ReferenceRates = ECB_REFERENCE_RATES,
): string | undefined {
  if (from === to) return '1';
  const exact = crossRate(from, to, table);
  if (!exact) return undefined;
  const scale = 10n ** BigInt(EXCHANGE_RATE_PLACES);
  return formatRate({ numerator: FX_ROUNDING(exact.numerator * scale, exact.denominator), denominator: scale });
}

/** `rate` between minor units: a rate between major units, adjusted for the currencies' decimals (JPY has none). */
function minorUnitRate(rate: Ratio, from: string, to: string): Ratio {
  const shift = currencyExponent(to) - currencyExponent(from);
  return shift >= 0
    ? { numerator: rate.numerator * 10n ** BigInt(shift), denominator: rate.denominator }
    : { numerator: rate.numerator, denominator: rate.denominator * 10n ** BigInt(-shift) };
}

/** `amount` (minor units) in `to` at `rate` (a decimal string, units of `to` per unit of the amount's currency). */
export function convert(amount: Money, to: string, rate: string): Money {
  const { numerator, denominator } = minorUnitRate(parseRate(rate), amount.currency, to);
  return { amount: FX_ROUNDING(amount.amount * numerator, denominator), currency: to };
}

/**
 * Paddle's fee on a transaction, in its currency: `rate × grand_total + fixed` (the fixed part converted exactly at
 * the reference cross rate), rounded once. Nothing is charged on a grand total of zero (nothing was paid), the fee
 * never exceeds what the seller would earn before it (`grand_total − grand_total_tax`), and a fixed part the table
 * cannot convert is left out.
 */
export function transactionFee(
  totals: Pick<TransactionTotals, 'grand_total' | 'grand_total_tax' | 'currency_code'>,
  model: FeeModel,
  table: ReferenceRates = ECB_REFERENCE_RATES,
): Money {
  const currency = totals.currency_code;
  const grandTotal = parseAmount(totals.grand_total);
  if (grandTotal <= 0n) return { amount: 0n, currency };
  const share = parseRate(model.rate);
  const cross = crossRate(model.fixed.currency, currency, table);
  const fixed = cross ? minorUnitRate(cross, model.fixed.currency, currency) : { numerator: 0n, denominator: 1n };
  const fee = FEE_ROUNDING(
    grandTotal * share.numerator * fixed.denominator + model.fixed.amount * fixed.numerator * share.denominator,
    share.denominator * fixed.denominator,
  );
  const ceiling = grandTotal - parseAmount(totals.grand_total_tax);
  return { amount: fee < ceiling ? fee : ceiling, currency };
}

/**
 * What a transaction's totals become when it completes: `balance` "0" (it is paid), `fee` (see `transactionFee`) and
 * `earnings = grand_total − grand_total_tax − fee` in its currency (Paddle's example: 65215 − 5315 − 3311 = 56589),
 * and `payout_totals`: every amount converted into `payoutCurrency` at the shown `exchange_rate` (half-even), with
 * the payout's earnings worked out again from the converted grand total, tax and fee so that they add up there too.
 * `payout_totals` is null when the table has no rate for the transaction's currency.
 */
export function completedTotals(
  totals: TransactionTotals,
  model: FeeModel,
  payoutCurrency: string,
  table: ReferenceRates = ECB_REFERENCE_RATES,
): CompletedTotals {
  const currency = totals.currency_code;
  const fee = transactionFee(totals, model, table);
  const earnings = parseAmount(totals.grand_total) - parseAmount(totals.grand_total_tax) - fee.amount;
  // Completed means paid in full: nothing is left to pay (Paddle's completed example shows balance "0").
  const completed = { ...totals, balance: '0', fee: formatAmount(fee.amount), earnings: formatAmount(earnings) };
  const rate = exchangeRate(currency, payoutCurrency, table);
  if (rate === undefined) return { totals: completed, payout_totals: null };
  const inPayout = (amount: string) => convert({ amount: parseAmount(amount), currency }, payoutCurrency, rate).amount;
  // @NOTE each figure rounded on its own would break the sums a reader checks (889 + 178 ≠ 1066): the total, tax,
  // discount and credits are converted, and the subtotal and grand total are worked out from them, as earnings are.
  const total = inPayout(totals.total);
  const tax = inPayout(totals.tax);
  const discount = inPayout(totals.discount);
  const credit = inPayout(totals.credit);
  const creditToBalance = inPayout(totals.credit_to_balance);
  const grandTotal = total - credit + creditToBalance;
  const grandTotalTax = inPayout(totals.grand_total_tax);
  const payoutFee = inPayout(completed.fee);
  return {
    totals: completed,
    payout_totals: {
      subtotal: formatAmount(total - tax + discount),
      discount: formatAmount(discount),
      tax: formatAmount(tax),
      total: formatAmount(total),
      credit: formatAmount(credit),
      credit_to_balance: formatAmount(creditToBalance),
      balance: '0',
      grand_total: formatAmount(grandTotal),
      grand_total_tax: formatAmount(grandTotalTax),
      fee: formatAmount(payoutFee),
      earnings: formatAmount(grandTotal - grandTotalTax - payoutFee),
      currency_code: payoutCurrency,
      exchange_rate: rate,
      fee_rate: formatRate(parseRate(model.rate)),
    },
  };
}

/** Figures after (or of) adjustments in the transaction's currency: what payout totals convert. */
export interface AdjustedFiguresInCurrency {
  subtotal: string;
  tax: string;
  total: string;
  fee: string;
  earnings: string;
  retained_fee: string;
  currency_code: string;
}

/**
 * Paddle's adjusted payout figures (`adjusted_payout_totals` of a transaction, `payout_totals` of an adjustment):
 * each figure converted into the payout currency at the rate the transaction's `payout_totals` show, half-even;
 * `chargeback_fee` is zero (Paddock has no chargebacks).
 */
export function adjustedPayoutTotals(
  figures: AdjustedFiguresInCurrency,
  payout: Pick<PayoutTotals, 'currency_code' | 'exchange_rate'>,
) {
  const inPayout = (amount: string) =>
    formatAmount(
      convert(
        { amount: parseAmount(amount), currency: figures.currency_code },
        payout.currency_code,
        payout.exchange_rate,
      ).amount,
    );
  const total = inPayout(figures.total);
  const tax = inPayout(figures.tax);
  return {
    // Worked out from the converted total and tax, so that subtotal + tax = total holds here too.
    subtotal: formatAmount(parseAmount(total) - parseAmount(tax)),
    tax,
    total,
    fee: inPayout(figures.fee),
    chargeback_fee: { amount: '0', original: null },
    earnings: inPayout(figures.earnings),
    retained_fee: inPayout(figures.retained_fee),
    currency_code: payout.currency_code,
  };
}
