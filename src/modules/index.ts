// Every module Paddock is built from, once. The HTTP app, the scheduler and the CLI all wire from this list
// (`wire` in ./module.ts), so a reaction or due work declared in a module's entry runs wherever use cases run.
// Adding a resource: its folder with a `module.ts`, and one line here.
import { addressesModule } from './addresses/module.js';
import { adjustmentsModule } from './adjustments/module.js';
import { businessesModule } from './businesses/module.js';
import { creditBalancesModule } from './credit-balances/module.js';
import { customerPortalModule } from './customer-portal/module.js';
import { customersModule } from './customers/module.js';
import { discountGroupsModule } from './discount-groups/module.js';
import { discountsModule } from './discounts/module.js';
import { emailsModule } from './emails/module.js';
import { eventsModule } from './events/module.js';
import { invoicesModule } from './invoices/module.js';
import { notificationSettingsModule } from './notification-settings/module.js';
import { notificationsModule } from './notifications/module.js';
import { wire, type PaddockModule, type Wiring } from './module.js';
import { paymentMethodsModule } from './payment-methods/module.js';
import { pricesModule } from './prices/module.js';
import { productsModule } from './products/module.js';
import { subscriptionsModule } from './subscriptions/module.js';
import { testHelpersModule } from './test-helpers/module.js';
import { transactionsModule } from './transactions/module.js';

export const MODULES: readonly PaddockModule[] = [
  productsModule,
  pricesModule,
  customersModule,
  addressesModule,
  businessesModule,
  discountGroupsModule,
  discountsModule,
  paymentMethodsModule,
  creditBalancesModule,
  transactionsModule,
  invoicesModule,
  adjustmentsModule,
  subscriptionsModule,
  customerPortalModule,
  emailsModule,
  eventsModule,
  notificationSettingsModule,
  notificationsModule,
  testHelpersModule,
];

/** The wiring of every module: what the scheduler and the CLI use when they run use cases without the app. */
export const PADDOCK_WIRING: Wiring = wire(MODULES);
