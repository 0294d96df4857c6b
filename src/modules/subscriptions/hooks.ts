// Subscriptions react to paid (automatic) and billed (manual) transactions: that is how they are created.
import type { TransactionReaction } from '../module.js';
import { createSubscriptionFromTransaction, subscriptionFromTransaction } from './create.js';
import { useNewPaymentMethod } from './operations/update-payment-method.js';

/**
 * A paid transaction's subscription is made, and the card that paid becomes the payment method of the one it was
 * for (`useNewPaymentMethod`). @NOTE a subscription made just now was made with that card, so it is not read again
 * to compare (one statement less for every subscription bought).
 */
export const subscriptionOnPaid: TransactionReaction = async (ctx, row, paid) => {
  const { row: after, made } = await subscriptionFromTransaction(ctx, row, paid.paymentMethodId);
  return made ? after : useNewPaymentMethod(ctx, after, paid);
};

export const createSubscriptionOnBilled: TransactionReaction = (ctx, row) =>
  createSubscriptionFromTransaction(ctx, row, null);
