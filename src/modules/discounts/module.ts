// The discounts module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { countRedemption } from './redemption.js';
import { discountRoutes } from './routes.js';

export const discountsModule: PaddockModule = {
  name: 'discounts',
  routes: discountRoutes,
  reactions: { transactionPaid: [countRedemption] },
};
