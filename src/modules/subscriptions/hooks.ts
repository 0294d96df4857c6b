// Subscriptions react to paid (automatic) and billed (manual) transactions: that is how they are created.
import type { TransactionReaction } from '../module.js';
import { createSubscriptionFromTransaction } from './create.js';

export const createSubscriptionOnPaid: TransactionReaction = (trx, ctx, row, paid) =>
  createSubscriptionFromTransaction(trx, ctx, row, paid.paymentMethodId);

export const createSubscriptionOnBilled: TransactionReaction = (trx, ctx, row) =>
  createSubscriptionFromTransaction(trx, ctx, row, null);
