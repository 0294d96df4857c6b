// Money: integer minor units (bigint) with a currency code, and the only place where money is rounded.
// Every operation is exact bigint arithmetic on integers and rationals: a rate such as "0.08875" is read as
// 8875/100000, never as a float, and a result is rounded once, with a rounding rule the caller names.
// See docs/tax-and-rounding.md for which rule each billing step uses and why.
// Every result of the arithmetic below passes storableAmount (kernel/limits.ts): an amount a bigint column cannot
// hold is `400 amount_out_of_range`, raised before anything is written.
import { storableAmount } from './limits.js';

/** An amount in the currency's lowest denomination (cents for USD, yen for JPY). */
export interface Money {
  amount: bigint;
  currency: string;
}

/** Paddle's `money` wire shape: the amount as a string of an integer in minor units. */
export interface WireMoney {
  amount: string;
  currency_code: string;
}

/** An exact non-negative rational, e.g. a tax rate "0.19" = 19/100 or a proration rate "0.90513". */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

/**
 * Rounds numerator/denominator to an integer. Named rules only; the names follow decimal.js and Java's
 * RoundingMode: "up"/"down" mean away from / toward zero, so rounding a negative amount mirrors the positive one
 * (a credit of -x rounds to exactly minus the charge of x).
 */
export type Rounding = (numerator: bigint, denominator: bigint) => bigint;

function roundWith(tie: (quotient: bigint, sign: bigint) => bigint): Rounding {
  return (numerator, denominator) => {
    if (denominator === 0n) throw new RangeError('division by zero');
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    const quotient = numerator / denominator; // truncated toward zero
    const remainder = numerator % denominator; // same sign as numerator
    if (remainder === 0n) return quotient;
    const sign = numerator < 0n ? -1n : 1n;
    const twice = 2n * (remainder < 0n ? -remainder : remainder);
    if (twice < denominator) return quotient;
    if (twice > denominator) return quotient + sign;
    return tie(quotient, sign);
  };
}

/** Nearest integer; exact halves away from zero (2.5 → 3, -2.5 → -3). Commercial rounding. */
export const roundHalfUp: Rounding = roundWith((quotient, sign) => quotient + sign);

/** Nearest integer; exact halves toward zero (2.5 → 2, -2.5 → -2). */
export const roundHalfDown: Rounding = roundWith((quotient) => quotient);

/** Nearest integer; exact halves to the even neighbour (2.5 → 2, 3.5 → 4). Banker's rounding. */
export const roundHalfEven: Rounding = roundWith((quotient, sign) =>
  quotient % 2n === 0n ? quotient : quotient + sign,
);

// ---- Wire strings ----------------------------------------------------------------------------------------

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** Parses Paddle's amount string ("2499", "-4927") into minor units. Rejects decimals, signs like "+1", "-0". */
export function parseAmount(amount: string): bigint {
  if (!INTEGER.test(amount) || amount === '-0')
    throw new RangeError(`not an integer amount in minor units: "${amount}"`);
  return storableAmount(BigInt(amount));
}

/** Minor units as Paddle's amount string. */
export function formatAmount(amount: bigint): string {
  return amount.toString();
}

export function moneyFromWire(wire: WireMoney): Money {
  return { amount: parseAmount(wire.amount), currency: wire.currency_code };
}

export function moneyToWire(money: Money): WireMoney {
  return { amount: formatAmount(money.amount), currency_code: money.currency };
}

/** Minor units as a plain decimal string with `exponent` fraction digits: (1099n, 2) → "10.99", (-5n, 2) → "-0.05". */
export function toDecimalString(amount: bigint, exponent: number): string {
  if (exponent === 0) return amount.toString();
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return `${negative ? '-' : ''}${whole}.${digits.slice(digits.length - exponent)}`;
}

// ---- Rates -----------------------------------------------------------------------------------------------

/** Reads a non-negative decimal string ("0.2", "1", "0.90513") exactly. */
export function parseRate(rate: string): Ratio {
  if (!DECIMAL.test(rate)) throw new RangeError(`not a non-negative decimal: "${rate}"`);
  const [whole = '0', fraction = ''] = rate.split('.');
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/** A percentage as a ratio: "10" → 10/100, "12.5" → 125/1000. */
export function percent(value: string): Ratio {
  const ratio = parseRate(value);
  return { numerator: ratio.numerator, denominator: ratio.denominator * 100n };
}

/** A rate in Paddle's shortest decimal form: 19/100 → "0.19", 1/1 → "1", 0 → "0". Throws if not a finite decimal. */
export function formatRate(rate: Ratio): string {
  let { numerator, denominator } = rate;
  let places = 0;
  while (denominator % 10n === 0n && numerator % 10n === 0n && denominator > 1n) {
    numerator /= 10n;
    denominator /= 10n;
  }
  let scale = 1n;
  while (scale % denominator !== 0n) {
    scale *= 10n;
    places += 1;
    if (places > 40) throw new RangeError('rate is not a finite decimal');
  }
  const scaled = (numerator * scale) / denominator;
  return toDecimalString(scaled, places)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

function ratioOf(rate: string | Ratio): Ratio {
  return typeof rate === 'string' ? parseRate(rate) : rate;
}

export function isWholeRate(rate: string | Ratio): boolean {
  const ratio = ratioOf(rate);
  return ratio.numerator === ratio.denominator;
}

// ---- Arithmetic ------------------------------------------------------------------------------------------

export function money(amount: bigint, currency: string): Money {
  return { amount, currency };
}

export function zero(currency: string): Money {
  return { amount: 0n, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} and ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: storableAmount(a.amount + b.amount), currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: storableAmount(a.amount - b.amount), currency: a.currency };
}

export function negate(a: Money): Money {
  return { amount: -a.amount, currency: a.currency };
}

/** Sum in `currency` (so an empty list has a currency too). */
export function sum(amounts: Money[], currency: string): Money {
  return amounts.reduce(add, zero(currency));
}

/** Times an integer quantity (exact). Quantities may be negative (credit lines). */
export function multiply(a: Money, quantity: number | bigint): Money {
  if (typeof quantity === 'number' && !Number.isSafeInteger(quantity))
    throw new RangeError(`quantity must be an integer: ${quantity}`);
  return { amount: storableAmount(a.amount * BigInt(quantity)), currency: a.currency };
}

export function minMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return a.amount <= b.amount ? a : b;
}

export function maxMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return a.amount >= b.amount ? a : b;
}

/** amount × rate, rounded once to minor units. */
export function applyRate(amount: Money, rate: string | Ratio, rounding: Rounding): Money {
  const { numerator, denominator } = ratioOf(rate);
  return { amount: storableAmount(rounding(amount.amount * numerator, denominator)), currency: amount.currency };
}

/** The part of `gross` that a rate added on top of a net amount: gross × rate / (1 + rate), rounded once. */
export function extractRate(gross: Money, rate: string | Ratio, rounding: Rounding): Money {
  const { numerator, denominator } = ratioOf(rate);
  return {
    amount: storableAmount(rounding(gross.amount * numerator, denominator + numerator)),
    currency: gross.currency,
  };
}

/** amount / divisor, rounded once (e.g. a line's share per unit). */
export function divide(amount: Money, divisor: bigint, rounding: Rounding): Money {
  return { amount: rounding(amount.amount, divisor), currency: amount.currency };
}

/**
 * Splits `total` over `weights` in proportion, so the parts add up to `total` exactly: each part is floored and the
 * leftover minor units go to the largest remainders (ties to the earlier weight). Weights must be non-negative.
 */
export function allocate(total: Money, weights: bigint[]): Money[] {
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  if (weights.some((w) => w < 0n)) throw new RangeError('allocation weights must be non-negative');
  if (weightSum === 0n) return weights.map(() => zero(total.currency));
  const negative = total.amount < 0n;
  const magnitude = negative ? -total.amount : total.amount;
  const parts = weights.map((w) => (magnitude * w) / weightSum);
  const remainders = weights.map((w, index) => ({ index, remainder: (magnitude * w) % weightSum }));
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((part) => ({ amount: negative ? -part : part, currency: total.currency }));
}
