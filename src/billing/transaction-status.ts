// Transaction statuses and who may move them. Paddle sets most statuses itself; a caller may only ask for
// `billed` or `canceled` (spec: status-transaction-create), and only from some statuses.
import { DomainError } from './errors.js';

export type TransactionStatus = 'draft' | 'ready' | 'billed' | 'paid' | 'completed' | 'canceled' | 'past_due';

export interface TransactionReadiness {
  has_items: boolean;
  has_customer: boolean;
  has_address: boolean;
  collection_mode: 'automatic' | 'manual';
  has_billing_details: boolean;
}

/** `ready` once a transaction has what it needs to be billed or paid; `draft` before that. */
export function readinessStatus(readiness: TransactionReadiness): 'draft' | 'ready' {
  const complete =
    readiness.has_items &&
    readiness.has_customer &&
    readiness.has_address &&
    (readiness.collection_mode === 'automatic' || readiness.has_billing_details);
  return complete ? 'ready' : 'draft';
}

/** Statuses whose items, customer and amounts can still change (a billed transaction is a legal record). */
export function isEditable(status: TransactionStatus): boolean {
  return status === 'draft' || status === 'ready';
}

const invalidChange = (from: TransactionStatus, to: TransactionStatus) =>
  new DomainError('transaction_invalid_status_change', `Invalid attempt to change status from '${from}' to '${to}'`);

/**
 * What a caller may ask for (Paddle's error pages): `billed` from `ready` only, `canceled` from `ready` or
 * `billed`; every other status is Paddle's to set. Returns the status to store, or throws a DomainError
 * (`transaction_status_must_be_ready`, `transaction_invalid_status_change`).
 */
export function requestStatus(
  current: TransactionStatus,
  requested: TransactionStatus,
  readiness: TransactionReadiness,
): TransactionStatus {
  if (requested === current) return current;
  if (requested === 'billed') {
    if (current === 'draft' || (current === 'ready' && readinessStatus(readiness) !== 'ready')) {
      throw new DomainError('transaction_status_must_be_ready');
    }
    if (current !== 'ready') throw invalidChange(current, requested);
    return 'billed';
  }
  if (requested === 'canceled') {
    if (current !== 'ready' && current !== 'billed') throw invalidChange(current, requested);
    return 'canceled';
  }
  throw invalidChange(current, requested);
}

/** Statuses a payment may be taken in: the one list (pay, the test helper and the checkout ask here). */
export function isPayable(status: TransactionStatus | string): boolean {
  return status === 'ready' || status === 'billed' || status === 'past_due';
}
