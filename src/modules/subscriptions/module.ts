// The subscriptions module's entry (see ../module.ts). Subscriptions are created by reacting to transactions:
// paid ones (automatic collection) and billed ones (manual collection); a card paid for a subscription's
// transaction becomes its payment method. Renewals, scheduled changes and payment retries fall due on the clock.
import type { PaddockModule } from '../module.js';
import { subscriptionDueWork } from './due-work.js';
import { createSubscriptionOnBilled, createSubscriptionOnPaid } from './hooks.js';
import { useNewPaymentMethod } from './operations/update-payment-method.js';
import { subscriptionRoutes } from './routes.js';

export const subscriptionsModule: PaddockModule = {
  name: 'subscriptions',
  routes: subscriptionRoutes,
  dueWork: [subscriptionDueWork],
  reactions: {
    // @NOTE order matters: the subscription must exist before its payment method can be set.
    transactionPaid: [createSubscriptionOnPaid, useNewPaymentMethod],
    manualTransactionBilled: [createSubscriptionOnBilled],
  },
};
