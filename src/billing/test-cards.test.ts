import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import {
  cardBrand,
  declineMessage,
  laterChargeOutcome,
  parseCardInput,
  passesLuhn,
  TEST_CARDS,
  UNKNOWN_CARD_MESSAGE,
  type CardBehaviour,
  type CardInput,
  type CardParseResult,
  type ParsedCard,
} from './test-cards.js';

// The sandbox clock in these tests: 15 March 2027, late in the day UTC.
const now = Temporal.Instant.from('2027-03-15T23:59:59Z');
const valid: CardInput = {
  number: '4242 4242 4242 4242',
  expiry_month: '12',
  expiry_year: '29',
  cvc: '100',
  cardholder_name: 'Ada Lovelace',
};

function card(result: CardParseResult): ParsedCard {
  if (!result.ok) assert.fail(`expected a card, got errors ${JSON.stringify(result.errors)}`);
  return result.card;
}

function errors(result: CardParseResult): Array<[string, string]> {
  if (result.ok) assert.fail('expected field errors, got a card');
  return result.errors.map((error) => [error.field, error.message]);
}

const fieldsOf = (result: CardParseResult) => errors(result).map(([field]) => field);

describe('parseCardInput: Paddle’s sandbox cards', () => {
  const table: Array<[string, CardBehaviour, string]> = [
    ['4242 4242 4242 4242', 'succeed', '4242'],
    ['4000 0566 5566 5556', 'succeed', '5556'],
    ['4000 0038 0000 0446', 'challenge', '0446'],
    ['4000 0000 0000 0002', 'decline', '0002'],
    ['4000 0027 6000 3184', 'succeed_then_decline', '3184'],
  ];
  for (const [number, behaviour, last4] of table) {
    it(`${number} → ${behaviour}`, () => {
      const parsed = card(parseCardInput({ ...valid, number }, now));
      assert.deepEqual(parsed, {
        brand: 'visa',
        last4,
        expiry_month: 12,
        expiry_year: 2029,
        cardholder_name: 'Ada Lovelace',
        behaviour,
        is_test_card: true,
      });
    });
  }

  it('lists exactly the documented cards, all Luhn-valid', () => {
    assert.equal(TEST_CARDS.length, table.length);
    for (const test of TEST_CARDS) assert.ok(passesLuhn(test.number), test.number);
  });

  it('accepts the number with dashes, without separators, and with surrounding spaces', () => {
    for (const number of [
      '4000-0038-0000-0446',
      '4000003800000446',
      '  4000 0038 0000 0446  ',
      '4000 - 0038 0000-0446',
    ]) {
      assert.equal(card(parseCardInput({ ...valid, number }, now)).behaviour, 'challenge', number);
    }
  });

  it('trims the cardholder name and accepts a four-digit year and a one-digit month', () => {
    const parsed = card(
      parseCardInput({ ...valid, cardholder_name: '  Grace Hopper ', expiry_month: '4', expiry_year: '2031' }, now),
    );
    assert.equal(parsed.cardholder_name, 'Grace Hopper');
    assert.equal(parsed.expiry_month, 4);
    assert.equal(parsed.expiry_year, 2031);
  });
});

describe('parseCardInput: a Luhn-valid number that is not a test card', () => {
  it('is declined, with a message that names the test cards', () => {
    const parsed = card(parseCardInput({ ...valid, number: '4111 1111 1111 1111' }, now));
    assert.equal(parsed.behaviour, 'decline');
    assert.equal(parsed.is_test_card, false);
    assert.equal(parsed.brand, 'visa');
    assert.equal(declineMessage(parsed), UNKNOWN_CARD_MESSAGE);
    assert.match(UNKNOWN_CARD_MESSAGE, /4242 4242 4242 4242/);
    assert.match(UNKNOWN_CARD_MESSAGE, /4000 0038 0000 0446/);
  });

  it('the documented declining card gets the plain decline message', () => {
    const parsed = card(parseCardInput({ ...valid, number: '4000000000000002' }, now));
    assert.equal(declineMessage(parsed), 'Your card was declined. Try another card.');
  });
});

describe('parseCardInput: card number errors', () => {
  const table: Array<[string, string, RegExp]> = [
    ['', 'empty', /Enter the card number/],
    ['   ', 'blank', /Enter the card number/],
    ['4242 4242 4242 424x', 'a letter', /digits only/],
    ['4242.4242.4242.4242', 'dots', /digits only/],
    ['4242 4242 4242 4241', 'a Luhn failure', /not valid/],
    ['4000 0000 0000 0003', 'a Luhn failure near the decline card', /not valid/],
    ['4242 4242 424', 'too short', /between 12 and 19/],
    ['4242 4242 4242 4242 4242', 'too long', /between 12 and 19/],
  ];
  for (const [number, what, message] of table) {
    it(`refuses ${what} (${JSON.stringify(number)})`, () => {
      const found = errors(parseCardInput({ ...valid, number }, now));
      assert.equal(found.length, 1);
      assert.equal(found[0]?.[0], 'number');
      assert.match(found[0]?.[1] ?? '', message);
    });
  }
});

describe('parseCardInput: expiry against the sandbox clock', () => {
  it('accepts this month (a card is valid through its expiry month)', () => {
    assert.equal(card(parseCardInput({ ...valid, expiry_month: '03', expiry_year: '27' }, now)).expiry_month, 3);
  });
  it('refuses last month, on the month field', () => {
    assert.deepEqual(fieldsOf(parseCardInput({ ...valid, expiry_month: '02', expiry_year: '27' }, now)), [
      'expiry_month',
    ]);
  });
  it('refuses last year, on the year field', () => {
    const found = errors(parseCardInput({ ...valid, expiry_month: '12', expiry_year: '2026' }, now));
    assert.deepEqual(found, [['expiry_year', 'This card has expired. Check the expiry date or use another card.']]);
  });
  it('follows the clock it is given, not the wall clock', () => {
    const later = Temporal.Instant.from('2027-04-01T00:00:00Z');
    assert.ok(parseCardInput({ ...valid, expiry_month: '03', expiry_year: '27' }, now).ok);
    assert.deepEqual(fieldsOf(parseCardInput({ ...valid, expiry_month: '03', expiry_year: '27' }, later)), [
      'expiry_month',
    ]);
  });
  const badMonths = ['0', '00', '13', 'ab', '', '1.5', '123'];
  for (const month of badMonths) {
    it(`refuses month ${JSON.stringify(month)}`, () => {
      assert.deepEqual(fieldsOf(parseCardInput({ ...valid, expiry_month: month }, now)), ['expiry_month']);
    });
  }
  const badYears = ['', '2', '202', '20299', 'yy'];
  for (const year of badYears) {
    it(`refuses year ${JSON.stringify(year)}`, () => {
      assert.deepEqual(fieldsOf(parseCardInput({ ...valid, expiry_year: year }, now)), ['expiry_year']);
    });
  }
});

describe('parseCardInput: CVC and name', () => {
  const table: Array<[string, string, boolean]> = [
    ['100', 'visa, 3 digits', true],
    [' 123 ', 'visa, 3 digits with spaces', true],
    ['1000', 'visa, 4 digits', false],
    ['10', 'visa, 2 digits', false],
    ['1a0', 'letters', false],
    ['', 'empty', false],
  ];
  for (const [cvc, what, ok] of table) {
    it(`${ok ? 'accepts' : 'refuses'} ${what}`, () => {
      const result = parseCardInput({ ...valid, cvc }, now);
      if (ok) assert.ok(result.ok);
      else assert.deepEqual(fieldsOf(result), ['cvc']);
    });
  }
  it('asks American Express for four digits', () => {
    const amex = { ...valid, number: '3782 822463 10005' };
    assert.equal(card(parseCardInput({ ...amex, cvc: '1000' }, now)).brand, 'american_express');
    assert.deepEqual(errors(parseCardInput({ ...amex, cvc: '100' }, now)), [
      ['cvc', 'Enter the 4-digit security code (CVC).'],
    ]);
  });
  it('needs a cardholder name', () => {
    assert.deepEqual(fieldsOf(parseCardInput({ ...valid, cardholder_name: '  ' }, now)), ['cardholder_name']);
  });
  it('reports every wrong field at once, in form order', () => {
    const empty = { number: '', expiry_month: '', expiry_year: '', cvc: '', cardholder_name: '' };
    assert.deepEqual(fieldsOf(parseCardInput(empty, now)), [
      'cardholder_name',
      'number',
      'expiry_month',
      'expiry_year',
      'cvc',
    ]);
  });
});

describe('cardBrand', () => {
  const table: Array<[string, string]> = [
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'american_express'],
    ['6011111111111117', 'discover'],
    ['3566002020360505', 'jcb'],
    ['30569309025904', 'diners_club'],
    ['6200000000000005', 'union_pay'],
    ['6759649826438453', 'maestro'],
    ['9999999999999995', 'unknown'],
  ];
  for (const [digits, brand] of table) it(`${digits} is ${brand}`, () => assert.equal(cardBrand(digits), brand));
});

describe('laterChargeOutcome', () => {
  const table: Array<[CardBehaviour, 'succeed' | 'decline']> = [
    ['succeed', 'succeed'],
    ['challenge', 'succeed'],
    ['decline', 'decline'],
    ['succeed_then_decline', 'decline'],
  ];
  for (const [behaviour, outcome] of table)
    it(`${behaviour} → ${outcome}`, () => assert.equal(laterChargeOutcome(behaviour), outcome));
});
