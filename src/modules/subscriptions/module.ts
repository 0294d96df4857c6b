// The subscriptions module's entry (see ../module.ts). Subscriptions are created by reacting to transactions:
// paid ones (automatic collection) and billed ones (manual collection); a card paid for a subscription's
// transaction becomes its payment method. Renewals, scheduled changes and payment retries fall due on the clock.
import type { PaddockModule } from '../module.js';
import { subscriptionDueWork } from './due-work.js';
import { createSubscriptionOnBilled, subscriptionOnPaid } from './hooks.js';
import { subscriptionRoutes } from './routes.js';

export const subscriptionsModule: PaddockModule = {
  name: 'subscriptions',
  routes: subscriptionRoutes,
  dueWork: [subscriptionDueWork],
  reactions: {
    // The subscription is made, or the card that paid becomes its payment method (hooks.ts).
    transactionPaid: [subscriptionOnPaid],
    manualTransactionBilled: [createSubscriptionOnBilled],
  },
};
