import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PaddleError } from '../../kernel/errors.js';
import { INVOICE_NOT_AVAILABLE, invoiceAvailability, requireInvoiceAvailable, type InvoiceCandidate } from './rules.js';

const STATUSES = ['draft', 'ready', 'billed', 'paid', 'completed', 'canceled', 'past_due'] as const;
const MODES = ['automatic', 'manual'] as const;

/** The table from Paddle's docs, written out by hand. */
const EXPECTED_WITH_VALUE: Record<(typeof MODES)[number], Record<(typeof STATUSES)[number], boolean>> = {
  automatic: {
    draft: false,
    ready: false,
    billed: false,
    paid: false,
    completed: true,
    canceled: false,
    past_due: false,
  },
  manual: { draft: false, ready: false, billed: true, paid: false, completed: true, canceled: false, past_due: false },
};

function candidate(status: string, collection_mode: 'automatic' | 'manual', total: string): InvoiceCandidate {
  return { status, collection_mode, total };
}

describe('which transactions have an invoice PDF', () => {
  for (const mode of MODES) {
    for (const status of STATUSES) {
      for (const total of ['0', '1250']) {
        const expected = total !== '0' && EXPECTED_WITH_VALUE[mode][status];
        it(`${mode} · ${status} · total ${total} → ${expected ? 'available' : INVOICE_NOT_AVAILABLE}`, () => {
          const result = invoiceAvailability(candidate(status, mode, total));
          assert.equal(result.ok, expected);
          if (!result.ok) {
            assert.equal(result.code, 'transaction_invoice_not_available');
            assert.equal(result.status, 400);
            assert.ok(result.detail.length > 0);
          }
        });
      }
    }
  }

  it('explains a status refusal with the statuses that would work', () => {
    const result = invoiceAvailability(candidate('ready', 'manual', '100'));
    assert.ok(!result.ok);
    assert.match(result.detail, /`billed` or `completed`, not `ready`/);
    const automatic = invoiceAvailability(candidate('billed', 'automatic', '100'));
    assert.ok(!automatic.ok);
    assert.match(automatic.detail, /automatically-collected .* `completed`, not `billed`/);
  });

  it('explains a zero-value refusal', () => {
    const result = invoiceAvailability(candidate('completed', 'automatic', '0'));
    assert.ok(!result.ok);
    assert.match(result.detail, /zero-value/);
  });

  it('takes the total as a string or a bigint', () => {
    assert.equal(invoiceAvailability({ status: 'completed', collection_mode: 'automatic', total: 0n }).ok, false);
    assert.equal(invoiceAvailability({ status: 'completed', collection_mode: 'automatic', total: 1n }).ok, true);
  });

  it('throws a Paddle error, or nothing', () => {
    assert.doesNotThrow(() => requireInvoiceAvailable(candidate('completed', 'automatic', '10')));
    assert.throws(
      () => requireInvoiceAvailable(candidate('paid', 'automatic', '10')),
      (error: unknown) => error instanceof PaddleError && error.status === 400 && error.code === INVOICE_NOT_AVAILABLE,
    );
  });
});
