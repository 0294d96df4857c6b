// The credit-balances module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { creditBalanceRoutes } from './routes.js';

export const creditBalancesModule: PaddockModule = { name: 'credit-balances', routes: creditBalanceRoutes };
