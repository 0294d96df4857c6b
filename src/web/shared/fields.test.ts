import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CVC_FIELD, errorSummary, inputField, isCardField } from './fields.js';

describe('inputField', () => {
  it('puts label, hint and error before the control, which points at the hint and the error', () => {
    const markup = String(inputField('card-cvc', CVC_FIELD, '12', 'Enter the 3-digit code.'));
    const order = ['<label for="card-cvc">', 'id="card-cvc-hint"', 'id="card-cvc-error"', '<input id="card-cvc"'].map(
      (part) => markup.indexOf(part),
    );
    assert.ok(
      order.every((at) => at >= 0),
      markup,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.match(markup, /aria-describedby="card-cvc-hint card-cvc-error"/);
    assert.match(markup, /aria-invalid="true"/);
    assert.match(markup, /name="cvc"[^>]*inputmode="numeric"[^>]*maxlength="4"[^>]*value="12" required>/);
  });

  it('escapes the value and leaves out what is not asked for', () => {
    const markup = String(
      inputField('x-name', { name: 'name', label: 'Name', autocomplete: 'name', required: false }, '"><b>', undefined),
    );
    assert.match(markup, /value="&quot;&gt;&lt;b&gt;"/);
    assert.doesNotMatch(markup, /aria-describedby|aria-invalid|required|inputmode/);
  });
});

describe('errorSummary', () => {
  it('is absent without errors, and links each field error to its field', () => {
    assert.equal(
      errorSummary('Not saved.', [], (field: string) => field),
      null,
    );
    const markup = String(
      errorSummary(
        'Not saved.',
        [
          { field: 'number', message: 'Card number is not valid.' },
          { field: null, message: 'Declined.' },
        ],
        (field) => `card-${field}`,
      ),
    );
    assert.match(markup, /Not saved\./);
    assert.match(markup, /<li><a href="#card-number">Card number is not valid\.<\/a><\/li>/);
    assert.match(markup, /<li>Declined\.<\/li>/);
  });
});

describe('isCardField', () => {
  it('knows the five card fields the card parser reads', () => {
    for (const name of ['cardholder_name', 'number', 'expiry_month', 'expiry_year', 'cvc'])
      assert.ok(isCardField(name), name);
    assert.equal(isCardField('email'), false);
  });
});
