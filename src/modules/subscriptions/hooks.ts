// Subscriptions listen for paid (automatic) and billed (manual) transactions: that is how they are created.
import { onManualTransactionBilled, onTransactionPaid } from '../transactions/paid-hooks.js';
import { createSubscriptionFromTransaction } from './create.js';

export function registerSubscriptionHooks(): void {
  onTransactionPaid((trx, ctx, row, paid) => createSubscriptionFromTransaction(trx, ctx, row, paid.paymentMethodId));
  onManualTransactionBilled((trx, ctx, row) => createSubscriptionFromTransaction(trx, ctx, row, null));
}
