// Subscriptions react to paid (automatic) and billed (manual) transactions: that is how they are created.
import type { TransactionReaction } from '../module.js';
import { createSubscriptionFromTransaction } from './create.js';

export const createSubscriptionOnPaid: TransactionReaction = (ctx, row, paid) =>
  createSubscriptionFromTransaction(ctx, row, paid.paymentMethodId);

export const createSubscriptionOnBilled: TransactionReaction = (ctx, row) =>
  createSubscriptionFromTransaction(ctx, row, null);
