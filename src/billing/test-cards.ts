// Paddle's sandbox test cards and the card form's checks. Pure: the caller passes the sandbox clock's `now`.
// Source: Paddle's "credit/debit card" payment-method page (test cards: any cardholder name, any future expiry,
// CVC 100), summarised in shared/INTERFACE.md.
import { utcYearMonth, type Instant } from '../kernel/time.js';

/** Paddle's card `type` enum (payment_method.card.type, payments[].method_details.card.type). */
export type CardBrand =
  | 'american_express'
  | 'diners_club'
  | 'discover'
  | 'jcb'
  | 'mada'
  | 'maestro'
  | 'mastercard'
  | 'union_pay'
  | 'unknown'
  | 'visa';

/**
 * What paying with a card does: `succeed`; `challenge` (3-D Secure first, then succeeds if the customer
 * completes it); `decline`; `succeed_then_decline` (the checkout payment succeeds, every later charge of the
 * saved card, such as a renewal, is declined).
 */
export type CardBehaviour = 'succeed' | 'challenge' | 'decline' | 'succeed_then_decline';

/** The card fields as a form or the pay test helper submits them (all text, as typed). */
export interface CardInput {
  number: string;
  expiry_month: string;
  expiry_year: string;
  cvc: string;
  cardholder_name: string;
}

export type CardField = keyof CardInput;

export interface CardFieldError {
  field: CardField;
  message: string;
}

export interface ParsedCard {
  brand: CardBrand;
  last4: string;
  expiry_month: number;
  /** Four digits. */
  expiry_year: number;
  cardholder_name: string;
  behaviour: CardBehaviour;
  /** False for a well-formed number that is not one of Paddle's test cards (see `UNKNOWN_CARD_MESSAGE`). */
  is_test_card: boolean;
}

export type CardParseResult = { ok: true; card: ParsedCard } | { ok: false; errors: CardFieldError[] };

/** Paddle's documented sandbox cards, digits only, and what each one does. */
export const TEST_CARDS: ReadonlyArray<{ number: string; behaviour: CardBehaviour; description: string }> = [
  { number: '4242424242424242', behaviour: 'succeed', description: 'succeeds' },
  { number: '4000056655665556', behaviour: 'succeed', description: 'succeeds (Visa debit)' },
  { number: '4000003800000446', behaviour: 'challenge', description: 'succeeds after a 3-D Secure challenge' },
  { number: '4000000000000002', behaviour: 'decline', description: 'is declined' },
  {
    number: '4000002760003184',
    behaviour: 'succeed_then_decline',
    description: 'succeeds now, declines later charges',
  },
];

const spaced = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/**
 * @NOTE Paddle's docs are silent on other numbers. A well-formed (Luhn-valid) number that is not a test card is
 * parsed with behaviour `decline`, like a real card in Paddle's sandbox, which cannot be charged there: the
 * payment attempt is recorded as declined, and the checkout shows this message so the user learns which
 * numbers to use. Malformed numbers (non-digits, wrong length, Luhn failure) are field errors instead and no
 * payment is attempted.
 */
export const UNKNOWN_CARD_MESSAGE =
  'This card was declined: the sandbox only accepts Paddle’s test cards, such as ' +
  `${spaced('4242424242424242')} (succeeds), ${spaced('4000003800000446')} (3-D Secure), ` +
  `${spaced('4000000000000002')} (declined) and ${spaced('4000002760003184')} (declines later charges).`;

export const DECLINED_MESSAGE = 'Your card was declined. Try another card.';

/** The message a customer sees when paying with this card was declined at checkout. */
export function declineMessage(card: ParsedCard): string {
  return card.is_test_card ? DECLINED_MESSAGE : UNKNOWN_CARD_MESSAGE;
}

/** A renewal or other later charge of a saved card: only `decline` and `succeed_then_decline` cards fail. */
export function laterChargeOutcome(behaviour: CardBehaviour): 'succeed' | 'decline' {
  return behaviour === 'decline' || behaviour === 'succeed_then_decline' ? 'decline' : 'succeed';
}

/** The behaviour of a card number (digits only); unknown numbers decline (see `UNKNOWN_CARD_MESSAGE`). */
export function cardBehaviour(digits: string): { behaviour: CardBehaviour; is_test_card: boolean } {
  const known = TEST_CARDS.find((card) => card.number === digits);
  return known ? { behaviour: known.behaviour, is_test_card: true } : { behaviour: 'decline', is_test_card: false };
}

/** The Luhn (mod 10) check every card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const inRange = (digits: string, length: number, low: number, high: number) => {
  const prefix = Number(digits.slice(0, length));
  return digits.length >= length && prefix >= low && prefix <= high;
};

/** The card network from the number's leading digits (issuer identification ranges). */
export function cardBrand(digits: string): CardBrand {
  if (/^3[47]/.test(digits)) return 'american_express';
  if (inRange(digits, 4, 2221, 2720) || inRange(digits, 2, 51, 55)) return 'mastercard';
  if (/^4/.test(digits)) return 'visa';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  if (inRange(digits, 4, 3528, 3589)) return 'jcb';
  if (/^(36|38|39|30[0-5])/.test(digits)) return 'diners_club';
  if (/^62/.test(digits)) return 'union_pay';
  if (/^(5[06-8]|6)/.test(digits)) return 'maestro';
  return 'unknown';
}

function parseNumber(raw: string): { digits: string } | { error: string } {
  const trimmed = raw.trim();
  if (trimmed === '') return { error: 'Enter the card number.' };
  if (!/^[\d -]+$/.test(trimmed))
    return { error: 'Enter the card number using digits only (spaces and dashes are fine).' };
  const digits = trimmed.replace(/[ -]/g, '');
  if (digits.length < 12 || digits.length > 19) return { error: 'Enter a card number between 12 and 19 digits long.' };
  if (!passesLuhn(digits)) return { error: 'This card number is not valid. Check it for typing mistakes.' };
  return { digits };
}

function parseMonth(raw: string): number | undefined {
  const trimmed = raw.trim();
  if (!/^\d{1,2}$/.test(trimmed)) return undefined;
  const month = Number(trimmed);
  return month >= 1 && month <= 12 ? month : undefined;
}

/** Two-digit years are 20YY (cards are valid for at most about 20 years, so no century guess is needed). */
function parseYear(raw: string): number | undefined {
  const trimmed = raw.trim();
  if (/^\d{2}$/.test(trimmed)) return 2000 + Number(trimmed);
  if (/^\d{4}$/.test(trimmed)) return Number(trimmed);
  return undefined;
}

function expiryErrors(input: CardInput, now: Instant): { month: number; year: number; errors: CardFieldError[] } {
  const month = parseMonth(input.expiry_month);
  const year = parseYear(input.expiry_year);
  const errors: CardFieldError[] = [];
  if (month === undefined)
    errors.push({ field: 'expiry_month', message: 'Enter the expiry month as a number from 01 to 12.' });
  if (year === undefined)
    errors.push({ field: 'expiry_year', message: 'Enter the expiry year as two digits, such as 29.' });
  if (month !== undefined && year !== undefined) {
    // @NOTE a card is valid through the last day of its expiry month; months are counted in UTC.
    const today = utcYearMonth(now);
    if (year * 12 + month < today.year * 12 + today.month) {
      // The error goes next to the part that is in the past: the year, or the month of this year.
      const field = year < today.year ? 'expiry_year' : 'expiry_month';
      errors.push({ field, message: 'This card has expired. Check the expiry date or use another card.' });
    }
  }
  return { month: month ?? 0, year: year ?? 0, errors };
}

// @NOTE American Express prints a four-digit code on the front; every other network uses three digits. When
// the number itself is wrong (brand unknown) either length passes, so only the number gets an error.
function cvcRuleFor(brand: CardBrand): { pattern: RegExp; digits: string } {
  if (brand === 'american_express') return { pattern: /^\d{4}$/, digits: '4-digit' };
  if (brand === 'unknown') return { pattern: /^\d{3,4}$/, digits: '3- or 4-digit' };
  return { pattern: /^\d{3}$/, digits: '3-digit' };
}

/**
 * Checks what a customer typed into the card form. Returns field errors (in form order) or the card with the
 * outcome paying with it will have. `now` is the sandbox clock's time, used for the expiry check.
 */
export function parseCardInput(input: CardInput, now: Instant): CardParseResult {
  const errors: CardFieldError[] = [];
  const cardholderName = input.cardholder_name.trim();
  if (cardholderName === '') errors.push({ field: 'cardholder_name', message: 'Enter the name on the card.' });

  const number = parseNumber(input.number);
  if ('error' in number) errors.push({ field: 'number', message: number.error });

  const expiry = expiryErrors(input, now);
  errors.push(...expiry.errors);

  const brand = 'digits' in number ? cardBrand(number.digits) : 'unknown';
  const cvc = input.cvc.trim();
  const cvcRule = cvcRuleFor(brand);
  if (cvc === '') errors.push({ field: 'cvc', message: 'Enter the security code (CVC).' });
  else if (!cvcRule.pattern.test(cvc))
    errors.push({ field: 'cvc', message: `Enter the ${cvcRule.digits} security code (CVC).` });

  if (errors.length > 0 || !('digits' in number)) return { ok: false, errors };
  return {
    ok: true,
    card: {
      brand,
      last4: number.digits.slice(-4),
      expiry_month: expiry.month,
      expiry_year: expiry.year,
      cardholder_name: cardholderName,
      ...cardBehaviour(number.digits),
    },
  };
}
