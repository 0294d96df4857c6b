// The transactions module's entry: the API and the hosted checkout pages (see ../module.ts).
import { checkoutRoutes } from '../../web/checkout/routes.js';
import type { PaddockModule } from '../module.js';
import { transactionRoutes } from './routes.js';

export const transactionsModule: PaddockModule = {
  name: 'transactions',
  routes: transactionRoutes,
  webRoutes: checkoutRoutes,
};
