// The static list of migrations, in order. A migration is never edited once released; add a new one.
import type { Migration } from 'kysely';
import * as createFoundation from './202611241700-create-foundation.js';
import * as createTransactions from './202611241800-create-transactions.js';
import * as addPriceSortColumns from './202611241810-add-price-sort-columns.js';
import * as createSubscriptions from './202611241830-create-subscriptions.js';
import * as createEmails from './202611241900-create-emails.js';
import * as createDiscounts from './202611291214-create-discounts.js';
import * as clockAdvanceState from './202611291310-clock-advance-state.js';
import * as indexStatusLists from './202611291413-index-status-lists.js';
import * as sandboxSellers from './202611291515-sandbox-sellers.js';
import * as sellerPayouts from './202611291609-seller-payouts.js';
import * as createNotifications from './202611291711-create-notifications.js';
import * as notificationsDue from './202611291731-notifications-due.js';
import * as createAdjustments from './202611291720-create-adjustments.js';
import * as discountGroupNames from './202611291730-discount-group-names.js';
import * as portalSessions from './202611291212-portal-sessions.js';
import * as portalSignIns from './202611291745-portal-sign-ins.js';
import * as subscriptionsOriginTransaction from './202611291830-subscriptions-origin-transaction.js';

export const migrations: Record<string, Migration> = {
  '202611241700-create-foundation': createFoundation,
  '202611241800-create-transactions': createTransactions,
  '202611241810-add-price-sort-columns': addPriceSortColumns,
  '202611241830-create-subscriptions': createSubscriptions,
  '202611241900-create-emails': createEmails,
  '202611291214-create-discounts': createDiscounts,
  '202611291310-clock-advance-state': clockAdvanceState,
  '202611291413-index-status-lists': indexStatusLists,
  '202611291515-sandbox-sellers': sandboxSellers,
  '202611291609-seller-payouts': sellerPayouts,
  '202611291711-create-notifications': createNotifications,
  '202611291720-create-adjustments': createAdjustments,
  '202611291730-discount-group-names': discountGroupNames,
  '202611291731-notifications-due': notificationsDue,
  '202611291212-portal-sessions': portalSessions,
  '202611291745-portal-sign-ins': portalSignIns,
  '202611291830-subscriptions-origin-transaction': subscriptionsOriginTransaction,
};
