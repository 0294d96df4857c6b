import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from './errors.js';
import {
  readinessStatus,
  requestStatus,
  type TransactionReadiness,
  type TransactionStatus,
} from './transaction-status.js';

const complete: TransactionReadiness = {
  has_items: true,
  has_customer: true,
  has_address: true,
  collection_mode: 'automatic',
  has_billing_details: false,
};

describe('readinessStatus', () => {
  it('is ready only with items, customer and address (and billing details when manual)', () => {
    assert.equal(readinessStatus(complete), 'ready');
    assert.equal(readinessStatus({ ...complete, has_address: false }), 'draft');
    assert.equal(readinessStatus({ ...complete, has_customer: false }), 'draft');
    assert.equal(readinessStatus({ ...complete, collection_mode: 'manual' }), 'draft');
    assert.equal(readinessStatus({ ...complete, collection_mode: 'manual', has_billing_details: true }), 'ready');
  });
});

describe('requestStatus', () => {
  const allowed: Array<[TransactionStatus, TransactionStatus]> = [
    ['ready', 'billed'],
    ['ready', 'canceled'],
    ['billed', 'canceled'],
  ];
  for (const [from, to] of allowed) {
    it(`allows ${from} → ${to}`, () => assert.equal(requestStatus(from, to, complete), to));
  }
  const refused: Array<[TransactionStatus, TransactionStatus, string]> = [
    ['draft', 'billed', 'transaction_status_must_be_ready'],
    ['draft', 'canceled', 'transaction_invalid_status_change'],
    ['completed', 'canceled', 'transaction_invalid_status_change'],
    ['paid', 'canceled', 'transaction_invalid_status_change'],
    ['billed', 'billed', ''],
    ['ready', 'completed', 'transaction_invalid_status_change'],
    ['ready', 'paid', 'transaction_invalid_status_change'],
    ['billed', 'past_due', 'transaction_invalid_status_change'],
    ['canceled', 'billed', 'transaction_invalid_status_change'],
  ];
  for (const [from, to, code] of refused) {
    it(code ? `refuses ${from} → ${to} with ${code}` : `treats ${from} → ${to} as no change`, () => {
      if (!code) return assert.equal(requestStatus(from, to, complete), from);
      assert.throws(
        () => requestStatus(from, to, complete),
        (error: unknown) => error instanceof DomainError && error.code === code,
      );
    });
  }
  it('refuses to bill a ready-looking transaction that lacks billing details when manual', () => {
    assert.throws(
      () => requestStatus('ready', 'billed', { ...complete, collection_mode: 'manual' }),
      (error: unknown) => error instanceof DomainError && error.code === 'transaction_status_must_be_ready',
    );
  });
});
